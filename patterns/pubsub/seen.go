package pubsub

import (
	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/patterns"
)

// seenSet is the idempotent subscribers' memory of what each handled: a
// byte per message of the form a letter and a number (e12, c7) by
// subscriber, a map entry for any other id (a live broker's). It once was
// a map keyed "subscriber/id": about 100 bytes per message per subscriber.
type seenSet struct {
	subs  map[seenKey]*check.Dense[bool]
	other map[string]bool
}

// seenKey names one subscriber's numbers of one letter: e5 and c5 are
// different messages.
type seenKey struct {
	sub    string
	letter byte
}

func newSeenSet() *seenSet {
	return &seenSet{subs: map[seenKey]*check.Dense[bool]{}, other: map[string]bool{}}
}

// seenNum reads the number of an id of one letter and a number.
func seenNum(id string) (int, bool) {
	if len(id) < 2 || id[0] < 'a' || id[0] > 'z' {
		return 0, false
	}
	n, ok := patterns.KeyNumber(id, id[:1], 0)
	return n, ok && n <= patterns.MaxDense
}

// add notes that sub handled id, and reports whether it had before.
func (s *seenSet) add(sub, id string) (again bool) {
	if n, ok := seenNum(id); ok {
		k := seenKey{sub, id[0]}
		d := s.subs[k]
		if d == nil {
			d = &check.Dense[bool]{}
			s.subs[k] = d
		}
		p := d.At(n)
		again, *p = *p, true
		return again
	}
	k := sub + "/" + id
	again, s.other[k] = s.other[k], true
	return again
}
