package pubsub

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/patterntest"
)

// newSink returns a Sink that has seen cfg's run event.
func newSink(cfg Config) *Sink {
	s := NewSink()
	s.Event(&trace.Event{Kind: trace.Run, Params: cfg.Params()})
	return s
}

// feed sends the sink one event at time t.
func feed(s *Sink, t time.Duration, k trace.Kind, actor, to, id, key string) {
	s.Event(&trace.Event{T: t, Kind: k, Actor: actor, To: to, Msg: trace.Msg{ID: id, Key: key, Type: "T"}})
}

func TestSinkFollowsIDsOfAnyShape(t *testing.T) {
	cfg := Default()
	cfg.Subscribers = []string{"email"}
	s := newSink(cfg)
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
	s := newSink(cfg)
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
	if !ok || v.OK || v.Detail != "email missed 2 of 3 events (1 dropped uncopied while it was away, 1 dropped from its queue)" {
		t.Errorf("%+v", v)
	}
}

// TestSinkLearnsSubscriptionsFromTheRunEvent: the run event alone tells the
// sink each subscription's queue, kind and filter — no Config needed.
func TestSinkLearnsSubscriptionsFromTheRunEvent(t *testing.T) {
	cfg := Default()
	cfg.Subscribers = []string{"inventory", "email", "payment"}
	cfg.Transient = []string{"email"}
	cfg.Instances = map[string]int{"payment": 3}
	f, err := broker.ParseFilter("orders.*.eu")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Filters = []Filter{{Name: "inventory", Filter: f}}
	want := [][]string{
		{"inventory", "orders/inventory", "durable", "orders.*.eu"},
		{"email", "orders/email", "transient", "all"},
		{"payment", "orders/payment", "durable ×3", "all"},
	}
	check := func(s *Sink, want [][]string) {
		t.Helper()
		if len(s.subs) != len(want) {
			t.Fatalf("%d subscriptions, want %d", len(s.subs), len(want))
		}
		for i, st := range s.subs {
			got := []string{st.name, st.queue, st.kind, st.filter}
			if !slices.Equal(got, want[i]) || st.durable != (st.kind != "transient") {
				t.Errorf("subscription %d: %v durable=%v, want %v", i, got, st.durable, want[i])
			}
		}
	}
	check(newSink(cfg), want)
	cfg.Mode = Direct
	cfg.Transient, cfg.Filters, cfg.Instances = nil, nil, nil
	check(newSink(cfg), [][]string{
		{"inventory", "inventory.in", "commands", "all"},
		{"email", "email.in", "commands", "all"},
		{"payment", "payment.in", "commands", "all"},
	})
}

// A page of handled messages is forgotten once publication is a page past
// it, and what it held still counts: a message handled again there is a
// duplicate, and one never handled keeps its page and its evidence.
func TestSinkForgetsHandledPages(t *testing.T) {
	cfg := Default()
	cfg.Subscribers = []string{"email"}
	s := newSink(cfg)
	q := cfg.QueueName("email")
	n := 4 * check.DensePage
	for i := 1; i <= n; i++ {
		id := "e" + strconv.Itoa(i)
		feed(s, 0, trace.Publish, Publisher, Topic, id, "k")
		feed(s, 0, trace.Send, Topic, q, id, "k")
		if i != 2*check.DensePage+5 {
			feed(s, 0, trace.Handle, "email", q, id, "k")
		}
	}
	st := s.subs[0]
	if st.state.Get(1) != nil || st.state.Get(2*check.DensePage+5) == nil {
		t.Fatal("the handled page was kept, or the page with a message pending was forgotten")
	}
	feed(s, 0, trace.Handle, "email", q, "e1", "k")
	if st.handled != int64(n-1) || st.dupHandled != 1 {
		t.Errorf("handled %d, dups %d: want %d, 1", st.handled, st.dupHandled, n-1)
	}
	v := s.Delivered(false)
	want := "e" + strconv.Itoa(2*check.DensePage+5) + " for email: still waiting in orders/email"
	if v.OK || len(v.Evidence) != 1 || v.Evidence[0] != want {
		t.Errorf("%+v", v)
	}
}

// A long steady run keeps what is in flight. With events, each
// subscription forgets the messages it handled (they once kept a byte
// each per subscription, and their publication time eight), so ten times
// the events leave about the same heap at the end. In direct mode the
// order service forgets a finished order (it kept every order, over 500
// bytes each, and a map entry per command), and the sink the commands
// every service handled: what stays is the time each order was placed and
// a byte per command for its replies. An idempotent subscriber remembers
// what it handled in a byte a message (it was a map entry with its
// "subscriber/id" string, about 100 bytes).
func TestMemoryFollowsWhatIsInFlight(t *testing.T) {
	for _, tc := range []struct {
		mode       Mode
		idempotent bool
		limit      float64
	}{{Events, false, 2}, {Direct, false, 24}, {Events, true, 8}} {
		per := patterntest.HeapPerOrder(t, func(n int) patterns.Config {
			cfg := Default()
			cfg.Mode, cfg.Events, cfg.Idempotent = tc.mode, n, tc.idempotent
			cfg.Arrival = sim.Exp(10 * time.Millisecond)
			cfg.Work = sim.Exp(5 * time.Millisecond)
			return cfg
		}, 5_000, 50_000)
		if per > tc.limit {
			t.Errorf("%s (idempotent %v): the run kept %.1f bytes per order at its end, want at most %.0f",
				tc.mode, tc.idempotent, per, tc.limit)
		}
	}
}

// Every first handling of a message counts toward its subscription's lag,
// the last one of a page too: handling it lets the page be forgotten, its
// publication times with it, so the lag must be read before (it was not:
// a long run lost a lag sample a page, found by a second read).
func TestSinkLagCountsTheLastMessageOfEachPage(t *testing.T) {
	cfg := Default()
	cfg.Subscribers = []string{"email"}
	s := newSink(cfg)
	q := cfg.QueueName("email")
	n := 4 * check.DensePage
	for i := 1; i <= n; i++ { // every page published before any is handled
		id := "e" + strconv.Itoa(i)
		at := time.Duration(i) * time.Millisecond
		feed(s, at, trace.Publish, Publisher, Topic, id, "k")
		feed(s, at, trace.Send, Topic, q, id, "k")
	}
	for i := 1; i <= n; i++ {
		at := time.Duration(i)*time.Millisecond + time.Second
		feed(s, at, trace.Handle, "email", q, "e"+strconv.Itoa(i), "k")
	}
	st := s.subs[0]
	if st.handled != int64(n) || st.lag.Count() != int64(n) {
		t.Errorf("handled %d, lag samples %d: want %d of each", st.handled, st.lag.Count(), n)
	}
	if got := st.lag.Max(); got != time.Second {
		t.Errorf("max lag %v, want 1s", got)
	}
}
