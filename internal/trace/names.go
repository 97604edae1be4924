package trace

import "unsafe"

// scanMax is how many names a byName finds by scanning before it builds a
// map: a handful of string compares beat hashing the name on every event.
const scanMax = 12

// byName holds one *T per name, in the order the names came, and finds
// them without hashing while they are few.
type byName[T any] struct {
	names []string
	vals  []*T
	index map[string]*T   // nil until there are more than scanMax names
	seen  [16]seenName[T] // names found before, by the address of their bytes
}

// recent returns the value of name when it is the very string found
// before (see seen), and nil otherwise: a look small enough to be
// inlined, for the names that come again and again (a run's queues and
// consumers, each named by one string).
func (b *byName[T]) recent(name string) *T {
	p := unsafe.StringData(name)
	if s := &b.seen[uintptr(unsafe.Pointer(p))>>3&(uintptr(len(b.seen))-1)]; s.p == p && s.n == len(name) {
		return s.v
	}
	return nil
}

// seenName is a name held by a byName, found by the address of its bytes:
// the names kept alive by names, so no other string can have that
// address unless it shares the very bytes.
type seenName[T any] struct {
	p *byte
	n int
	v *T
}

// get returns the value of name, or nil.
func (b *byName[T]) get(name string) *T {
	// A name given on every event is most often the very string first
	// given: look for it by address, comparing no bytes, before by value.
	p := unsafe.StringData(name)
	s := &b.seen[uintptr(unsafe.Pointer(p))>>3&(uintptr(len(b.seen))-1)]
	if s.p == p && s.n == len(name) && p != nil {
		return s.v
	}
	if b.index != nil {
		return b.index[name]
	}
	for i, n := range b.names {
		if unsafe.StringData(n) == p && len(n) == len(name) {
			*s = seenName[T]{p, len(n), b.vals[i]}
			return b.vals[i]
		}
	}
	for i, n := range b.names {
		if n == name {
			return b.vals[i]
		}
	}
	return nil
}

// add returns the value of name, making it (zero) on first use.
func (b *byName[T]) add(name string) *T {
	if v := b.get(name); v != nil {
		return v
	}
	v := new(T)
	b.names = append(b.names, name)
	b.vals = append(b.vals, v)
	if b.index != nil {
		b.index[name] = v
	} else if len(b.names) > scanMax {
		b.index = make(map[string]*T, 2*len(b.names))
		for i, n := range b.names {
			b.index[n] = b.vals[i]
		}
	}
	return v
}
