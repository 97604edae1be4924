package trace

// maxWindow is the most slots a Numbered keeps in its ring; a number that
// meets a slot taken by another spills that one into a map, so one
// message stuck in flight does not make the ring span every message sent
// after it.
const maxWindow = 1 << 14

// Numbered holds a value per message number (Msg.Num, above 0) for the
// messages in flight: number k sits in the slot k modulo the ring's
// length (a power of two: a mask), which holds k beside its value, so
// finding, holding or forgetting one costs an index and a compare, not
// a hash, and nothing is kept of where the numbers start. Messages come
// and go roughly in the order of their numbers, so the ring grows only
// to span what is in flight: a number that meets a slot taken by
// another doubles it, up to maxWindow, and past that moves the one in the
// slot to a map (the older one, unless an old number comes back). The
// zero Numbered is empty and ready to use.
type Numbered[T any] struct {
	ring  []numSlot[T] // its length is a power of two
	spill map[uint64]*T
}

// numSlot holds the value of number k, or nothing when k is 0.
type numSlot[T any] struct {
	k uint64
	v T
}

// Len returns how many values are held: a count, for tests and reports.
func (n *Numbered[T]) Len() int {
	held := len(n.spill)
	for i := range n.ring {
		if n.ring[i].k != 0 {
			held++
		}
	}
	return held
}

// slot returns the slot number k sits in, or nil for an empty ring.
func (n *Numbered[T]) slot(k uint64) *numSlot[T] {
	// For an empty ring the mask is every bit and i is never below 0.
	if i := k & uint64(len(n.ring)-1); i < uint64(len(n.ring)) {
		return &n.ring[i]
	}
	return nil
}

// Get returns the value of number k, or nil. The pointer holds until the
// next Add or Hold.
func (n *Numbered[T]) Get(k uint64) *T {
	if p := n.Ring(k); p != nil {
		return p
	}
	if n.spill != nil {
		return n.spill[k]
	}
	return nil
}

// Ring returns the value of number k when it sits in the ring, as nearly
// every number in flight does, or nil, when Get may still find it
// spilled: the look of Get small enough to be inlined into a caller
// with more to do.
func (n *Numbered[T]) Ring(k uint64) *T {
	if s := n.slot(k); s != nil && s.k == k {
		return &s.v
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
	if s := n.slot(k); s != nil && s.k == 0 {
		s.k = k
		return &s.v
	}
	return n.hold(k)
}

// Claim is the common case of Hold and Find, small enough to be inlined:
// when k's slot is free and nothing has spilled, so that k cannot be
// held anywhere, it holds the zero value for k and returns where it is
// kept; otherwise it returns nil, changing nothing, and Hold (for a k
// not held yet) or Find does the rest.
func (n *Numbered[T]) Claim(k uint64) *T {
	if s := n.slot(k); s != nil && s.k == 0 && n.spill == nil {
		s.k = k
		return &s.v
	}
	return nil
}

// Find returns the value of number k and true, or, when k is not held,
// holds the zero value for it and returns where it is kept, to be filled
// in, and false: Get then Hold in one look. The pointer holds until the
// next Add or Hold.
func (n *Numbered[T]) Find(k uint64) (p *T, found bool) {
	if s := n.slot(k); s != nil {
		if s.k == k {
			return &s.v, true
		}
		if s.k == 0 && n.spill == nil {
			s.k = k
			return &s.v, false
		}
	}
	if p := n.Get(k); p != nil {
		return p, true
	}
	return n.hold(k), false // which drops an empty spill map
}

// dropEmptySpill forgets the map once every number that spilled is
// forgotten, so that Claim's short path, which holds only while nothing
// is spilled, comes back. Take and Delete leave it to hold, the slow
// path after a failed Claim, to stay small where they are inlined.
func (n *Numbered[T]) dropEmptySpill() {
	if n.spill != nil && len(n.spill) == 0 {
		n.spill = nil
	}
}

// hold is Hold for a number whose slot another number takes, or an empty
// ring: it doubles the ring until they part, up to maxWindow, and past
// that spills the other.
func (n *Numbered[T]) hold(k uint64) *T {
	n.dropEmptySpill()
	for {
		s := n.slot(k)
		if s != nil && s.k == 0 {
			s.k = k
			return &s.v
		}
		if len(n.ring) < maxWindow {
			n.grow()
			continue
		}
		n.toSpill(s.k, s.v)
		*s = numSlot[T]{k: k}
		return &s.v
	}
}

func (n *Numbered[T]) toSpill(k uint64, v T) {
	if n.spill == nil {
		n.spill = map[uint64]*T{}
	}
	p := new(T)
	*p = v
	n.spill[k] = p
}

// grow doubles the ring. Numbers in different slots stay in different
// slots: the longer mask keeps the bits that parted them.
func (n *Numbered[T]) grow() {
	ring := make([]numSlot[T], max(2*len(n.ring), 64))
	mask := uint64(len(ring) - 1)
	for i := range n.ring {
		if s := &n.ring[i]; s.k != 0 {
			ring[s.k&mask] = *s
		}
	}
	n.ring = ring
}

// Take returns the value of number k and forgets it, with false when k
// is not held: Get and Delete in one look.
func (n *Numbered[T]) Take(k uint64) (v T, ok bool) {
	if s := n.slot(k); s != nil && s.k == k {
		v, *s = s.v, numSlot[T]{}
		return v, true
	}
	if p := n.spill[k]; p != nil {
		delete(n.spill, k)
		return *p, true
	}
	return v, false
}

// Delete forgets number k.
func (n *Numbered[T]) Delete(k uint64) {
	if s := n.slot(k); s != nil && s.k == k {
		*s = numSlot[T]{}
		return
	}
	if n.spill != nil {
		delete(n.spill, k)
	}
}

// All calls fn with every number held and its value, in no particular
// order.
func (n *Numbered[T]) All(fn func(k uint64, v *T)) {
	for i := range n.ring {
		if s := &n.ring[i]; s.k != 0 {
			fn(s.k, &s.v)
		}
	}
	for k, v := range n.spill {
		fn(k, v)
	}
}
