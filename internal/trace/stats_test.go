package trace

import "testing"

// A process that joins a live run sees the deliveries and acks of its own
// worker but not the sends of the presenter's producer: its queue table
// must not say that fewer than nothing is left.
func TestStatsLeftNeverNegativeForAcksOfUnseenSends(t *testing.T) {
	s := NewStats()
	for _, id := range []string{"m1", "m2"} {
		m := Msg{ID: id, Class: Command, Type: "PlaceOrder"}
		s.Event(&Event{Kind: Deliver, Actor: "orders", To: "ada", Msg: m})
		s.Event(&Event{Kind: Handle, Actor: "ada", Msg: m})
		s.Event(&Event{Kind: Ack, Actor: "ada", To: "orders", Msg: m})
	}
	var r Report
	s.Fill(&r)
	for _, tb := range r.Tables {
		if tb.Title != "queues" {
			continue
		}
		if got := tb.Rows[0][4]; got != "0" {
			t.Fatalf("left = %s for a queue whose sends were never seen, want 0", got)
		}
		return
	}
	t.Fatal("no queues table")
}
