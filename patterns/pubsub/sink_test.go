package pubsub

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// feed sends the sink one event at time t.
func feed(s *Sink, t time.Duration, k trace.Kind, actor, to, id, key string) {
	s.Event(&trace.Event{T: t, Kind: k, Actor: actor, To: to, Msg: trace.Msg{ID: id, Key: key, Type: "T"}})
}

func TestSinkFollowsIDsOfAnyShape(t *testing.T) {
	cfg := Default()
	cfg.Subscribers = []string{"email"}
	s := NewSink(cfg)
	q := cfg.QueueName("email")
	// Numbered ids and others mixed: each keeps its own state.
	for i, id := range []string{"e1", "odd-id", "e2", "x.y"} {
		at := time.Duration(i) * time.Millisecond
		feed(s, at, trace.Publish, Publisher, Topic, id, "k-"+id)
		feed(s, at, trace.Send, Topic, q, id, "k-"+id)
	}
	feed(s, 10*time.Millisecond, trace.Handle, "email", q, "odd-id", "k-odd-id")
	feed(s, 11*time.Millisecond, trace.Handle, "email", q, "odd-id", "k-odd-id")
	feed(s, 12*time.Millisecond, trace.Handle, "email", q, "e2", "k-e2")
	st := s.subs[0]
	if st.received != 4 || st.handled != 2 || st.dupHandled != 1 {
		t.Fatalf("received %d handled %d dups %d: want 4, 2, 1", st.received, st.handled, st.dupHandled)
	}
	if got := st.lag.Percentile(100); got != 10*time.Millisecond {
		t.Errorf("largest lag %s, want 10ms (e2: published at 2ms, handled at 12ms; odd-id 1ms → 10ms = 9ms)", got)
	}
	v := s.Delivered(false)
	if v.OK || len(v.Evidence) != 2 || v.Evidence[0] != "e1 for email: still waiting in orders/email" ||
		v.Evidence[1] != "x.y for email: still waiting in orders/email" {
		t.Errorf("%+v", v)
	}
}

func TestSinkCountsBacklogAndMisses(t *testing.T) {
	cfg := Default()
	cfg.Subscribers = []string{"email"}
	cfg.Transient = []string{"email"}
	s := NewSink(cfg)
	q := cfg.QueueName("email")
	feed(s, 0, trace.Drop, Topic, q, "e1", "order-1001") // never received
	feed(s, 1*time.Millisecond, trace.Send, Topic, q, "e2", "order-1002")
	feed(s, 1*time.Millisecond, trace.Send, Topic, q, "e3", "order-1003")
	feed(s, 2*time.Millisecond, trace.Drop, q, q, "e3", "order-1003") // lost from the queue
	st := s.subs[0]
	if st.maxBacklog != 2 || st.backlog != 1 || st.missed != 2 || st.unsent != 1 {
		t.Errorf("max backlog %d, backlog %d, missed %d, unsent %d: want 2, 1, 2, 1",
			st.maxBacklog, st.backlog, st.missed, st.unsent)
	}
	v, ok := s.Missed()
	if !ok || v.OK || v.Detail != "email missed 2 of 3" {
		t.Errorf("%+v", v)
	}
}
