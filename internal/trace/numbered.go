package trace

// maxWindow is the most numbers a Numbered keeps in its ring; older ones
// spill into a map, so one message stuck in flight does not make the ring
// span every message sent after it.
const maxWindow = 1 << 14

// Numbered holds a value per message number (Msg.Num) for the messages in
// flight: a ring over the window of numbers from the oldest one held, so
// finding one costs an index, not a hash. Number k sits at k modulo the
// ring's length (a power of two: a mask), so no head is kept apart.
// Messages come and go roughly in the order of their numbers, so the
// window stays as wide as what is in flight. The zero Numbered is empty
// and ready to use.
type Numbered[T any] struct {
	base  uint64       // the window is [base, base+len(ring)); base is held unless the ring is empty
	ring  []numSlot[T] // its length is a power of two
	live  int          // values in the ring
	spill map[uint64]*T
}

type numSlot[T any] struct {
	v    T
	used bool
}

// Len returns how many values are held.
func (n *Numbered[T]) Len() int { return n.live + len(n.spill) }

// slot returns the slot of number k when it is within the window, or nil.
func (n *Numbered[T]) slot(k uint64) *numSlot[T] {
	if k-n.base < uint64(len(n.ring)) { // below base, k-base wraps past every length
		return &n.ring[k&uint64(len(n.ring)-1)]
	}
	return nil
}

// Get returns the value of number k, or nil. The pointer holds until the
// next Add.
func (n *Numbered[T]) Get(k uint64) *T {
	if s := n.slot(k); s != nil && s.used {
		return &s.v
	}
	if n.spill != nil {
		return n.spill[k]
	}
	return nil
}

// Add holds v for number k, which must not be held yet, and returns where
// it is kept; the pointer holds until the next Add.
func (n *Numbered[T]) Add(k uint64, v T) *T {
	p := n.Hold(k)
	*p = v
	return p
}

// Hold holds the zero value for number k, which must not be held yet,
// and returns where it is kept, to be filled in: Add without the copy.
// The pointer holds until the next Add or Hold.
func (n *Numbered[T]) Hold(k uint64) *T {
	if s := n.slot(k); s != nil && n.live > 0 {
		s.used = true
		n.live++
		return &s.v
	}
	return n.hold(k)
}

// hold is Hold for a number outside the window, or an empty ring: it
// moves or widens the window, or spills.
func (n *Numbered[T]) hold(k uint64) *T {
	if n.live == 0 {
		n.base = k
	}
	if k < n.base {
		var zero T
		return n.toSpill(k, zero)
	}
	for k-n.base >= uint64(len(n.ring)) {
		if len(n.ring) < maxWindow {
			n.grow()
			continue
		}
		if k-n.base >= 2*uint64(len(n.ring)) {
			// The window would pass every slot: spill them all at once
			// and start it at k, rather than move it one number at a time
			// across the gap.
			n.spillAll()
			n.base = k
			break
		}
		n.spillOldest()
	}
	mask := uint64(len(n.ring) - 1)
	s := &n.ring[k&mask]
	s.used = true
	n.live++
	for !n.ring[n.base&mask].used { // spilling may have left base unheld; k is held
		n.base++
	}
	return &s.v
}

func (n *Numbered[T]) toSpill(k uint64, v T) *T {
	if n.spill == nil {
		n.spill = map[uint64]*T{}
	}
	p := new(T)
	*p = v
	n.spill[k] = p
	return p
}

// grow doubles the ring, keeping the window where it is.
func (n *Numbered[T]) grow() {
	ring := make([]numSlot[T], max(2*len(n.ring), 64))
	for i := range n.ring {
		k := n.base + uint64(i)
		ring[k&uint64(len(ring)-1)] = n.ring[k&uint64(len(n.ring)-1)]
	}
	n.ring = ring
}

// spillOldest moves the value at the base of the window, if any, to the
// map and moves the window on by one.
func (n *Numbered[T]) spillOldest() {
	if s := &n.ring[n.base&uint64(len(n.ring)-1)]; s.used {
		n.toSpill(n.base, s.v)
		*s = numSlot[T]{}
		n.live--
	}
	n.base++
}

// spillAll moves every value in the ring to the map.
func (n *Numbered[T]) spillAll() {
	for i := range n.ring {
		k := n.base + uint64(i)
		if s := &n.ring[k&uint64(len(n.ring)-1)]; s.used {
			n.toSpill(k, s.v)
			*s = numSlot[T]{}
		}
	}
	n.live = 0
}

// Take returns the value of number k and forgets it, with false when k
// is not held: Get and Delete in one look.
func (n *Numbered[T]) Take(k uint64) (v T, ok bool) {
	if s := n.slot(k); s != nil && s.used {
		v = s.v
		n.vacate(k, s)
		return v, true
	}
	if p, ok := n.spill[k]; ok {
		delete(n.spill, k)
		return *p, true
	}
	return v, false
}

// vacate empties s, the used slot of number k, and moves the window's
// start past the numbers no longer held.
func (n *Numbered[T]) vacate(k uint64, s *numSlot[T]) {
	*s = numSlot[T]{}
	n.live--
	if k != n.base || n.live == 0 {
		return // the window starts where it did (or anywhere: the next Hold sets it)
	}
	mask := uint64(len(n.ring) - 1)
	for n.base++; !n.ring[n.base&mask].used; n.base++ {
	}
}

// Delete forgets number k.
func (n *Numbered[T]) Delete(k uint64) {
	if s := n.slot(k); s != nil && s.used {
		n.vacate(k, s)
		return
	}
	delete(n.spill, k)
}

// All calls fn with every number held and its value, the ring's in order
// of number, then the spilled ones in no particular order.
func (n *Numbered[T]) All(fn func(k uint64, v *T)) {
	for i := range n.ring {
		k := n.base + uint64(i)
		if s := &n.ring[k&uint64(len(n.ring)-1)]; s.used {
			fn(k, &s.v)
		}
	}
	for k, v := range n.spill {
		fn(k, v)
	}
}
