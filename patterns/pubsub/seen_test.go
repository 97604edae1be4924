package pubsub

import "testing"

// An idempotent subscriber's memory tells messages apart by their whole id:
// its letter, its number, any other shape, and the subscriber.
func TestSeenSetTellsIDsApart(t *testing.T) {
	s := newSeenSet()
	for _, tc := range []struct {
		sub, id string
		again   bool
	}{
		{"email", "e5", false},
		{"email", "e5", true},
		{"email", "c5", false}, // same number, another letter
		{"email", "c5", true},
		{"audit", "e5", false}, // same id, another subscriber
		{"email", "e05", false},
		{"email", "e05", true},
		{"email", "x-1", false},
		{"email", "x-1", true},
		{"email", "e50000000000", false}, // past the dense numbers
		{"email", "e50000000000", true},
	} {
		if got := s.add(tc.sub, tc.id); got != tc.again {
			t.Errorf("add(%s, %s) = %v, want %v", tc.sub, tc.id, got, tc.again)
		}
	}
}
