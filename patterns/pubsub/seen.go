package pubsub

import "github.com/msgplay/msgplay/internal/check"

// maxSeenNum is the highest message number a seenSet keeps densely.
const maxSeenNum = 1 << 25

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
	if len(id) < 2 || len(id) > 9 || id[0] < 'a' || id[0] > 'z' || id[1] == '0' {
		return 0, false
	}
	n := 0
	for _, c := range []byte(id[1:]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = 10*n + int(c-'0')
	}
	return n, n <= maxSeenNum
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
