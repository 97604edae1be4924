package trace

// maxWindow is the most numbers a Numbered keeps in its ring; older ones
// spill into a map, so one message stuck in flight does not make the ring
// span every message sent after it.
const maxWindow = 1 << 14

// Numbered holds a value per message number (Msg.Num) for the messages in
// flight: a ring over the window of numbers from the oldest one held, so
// finding one costs an index, not a hash. Messages come and go roughly in
// the order of their numbers, so the window stays as wide as what is in
// flight. The zero Numbered is empty and ready to use.
type Numbered[T any] struct {
	base  uint64 // the number at ring[head]
	head  int
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

// Get returns the value of number k, or nil. The pointer holds until the
// next Add.
func (n *Numbered[T]) Get(k uint64) *T {
	if d := k - n.base; d < uint64(len(n.ring)) { // below base, d wraps past every length
		if s := &n.ring[(n.head+int(d))&(len(n.ring)-1)]; s.used {
			return &s.v
		}
	}
	if n.spill != nil {
		return n.spill[k]
	}
	return nil
}

// Add holds v for number k, which must not be held yet, and returns where
// it is kept; the pointer holds until the next Add.
func (n *Numbered[T]) Add(k uint64, v T) *T {
	if n.live == 0 {
		n.base, n.head = k, 0
	}
	if k < n.base {
		return n.toSpill(k, v)
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
			n.base, n.head = k, 0
			break
		}
		n.spillOldest()
	}
	s := &n.ring[(n.head+int(k-n.base))&(len(n.ring)-1)]
	s.v, s.used = v, true
	n.live++
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
		ring[i] = n.ring[(n.head+i)&(len(n.ring)-1)]
	}
	n.ring, n.head = ring, 0
}

// spillOldest moves the value at the base of the window, if any, to the
// map and moves the window on by one.
func (n *Numbered[T]) spillOldest() {
	if s := &n.ring[n.head]; s.used {
		n.toSpill(n.base, s.v)
		*s = numSlot[T]{}
		n.live--
	}
	n.head = (n.head + 1) & (len(n.ring) - 1)
	n.base++
}

// spillAll moves every value in the ring to the map.
func (n *Numbered[T]) spillAll() {
	for i := range n.ring {
		if s := &n.ring[(n.head+i)&(len(n.ring)-1)]; s.used {
			n.toSpill(n.base+uint64(i), s.v)
			*s = numSlot[T]{}
		}
	}
	n.live = 0
}

// Take returns the value of number k and forgets it, with false when k
// is not held: Get and Delete in one look.
func (n *Numbered[T]) Take(k uint64) (v T, ok bool) {
	if d := k - n.base; d < uint64(len(n.ring)) {
		if s := &n.ring[(n.head+int(d))&(len(n.ring)-1)]; s.used {
			v = s.v
			n.vacate(s)
			return v, true
		}
	}
	if p, ok := n.spill[k]; ok {
		delete(n.spill, k)
		return *p, true
	}
	return v, false
}

// vacate empties s, a used slot of the ring, and moves the window's start
// past the numbers no longer held.
func (n *Numbered[T]) vacate(s *numSlot[T]) {
	*s = numSlot[T]{}
	n.live--
	for n.live > 0 && !n.ring[n.head].used {
		n.head = (n.head + 1) & (len(n.ring) - 1)
		n.base++
	}
}

// Delete forgets number k.
func (n *Numbered[T]) Delete(k uint64) {
	if d := k - n.base; d < uint64(len(n.ring)) {
		if s := &n.ring[(n.head+int(d))&(len(n.ring)-1)]; s.used {
			n.vacate(s)
			return
		}
	}
	delete(n.spill, k)
}

// All calls fn with every number held and its value, the ring's in order
// of number, then the spilled ones in no particular order.
func (n *Numbered[T]) All(fn func(k uint64, v *T)) {
	for i := range n.ring {
		if s := &n.ring[(n.head+i)&(len(n.ring)-1)]; s.used {
			fn(n.base+uint64(i), &s.v)
		}
	}
	for k, v := range n.spill {
		fn(k, v)
	}
}
