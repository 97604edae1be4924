package broker

import (
	"errors"
	"testing"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// TestOutageRefusesSendsAndPublishesInItsWindow: during an outage a send
// and a publish fail with ErrUnreachable and a fault event about the
// message; what was queued before is still delivered; fault events mark the
// window; after it, sends succeed again.
func TestOutageRefusesSendsAndPublishesInItsWindow(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("orders", QueueOptions{})
	topic := r.b.Topic("events")
	topic.Subscribe("audit", SubscriptionOptions{Durable: true})
	r.b.Outage(sim.Window{})                           // the zero window is none
	r.b.Outage(sim.Window{From: 10 * ms, To: 30 * ms}) // two windows, both kept
	r.b.Outage(sim.Window{From: 50 * ms, To: 60 * ms})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 1}, 15*ms)
	msg := func(id string) *Message { return &Message{Msg: trace.Msg{ID: id, Type: "T", Class: trace.Command}} }
	var errs []error
	r.send(q, 1) // m1 at 0: queued before the outage, handled inside it
	r.w.At(20*ms, nil, func() {
		errs = append(errs, q.Send("producer", msg("m2")), topic.Publish("producer", msg("e1")))
		if !r.b.Down() || r.b.OutagesOver() {
			t.Errorf("at 20ms: Down %v, OutagesOver %v; want true, false", r.b.Down(), r.b.OutagesOver())
		}
	})
	r.w.At(40*ms, nil, func() {
		errs = append(errs, q.Send("producer", msg("m3")))
		if r.b.Down() || r.b.OutagesOver() {
			t.Errorf("at 40ms, between outages: Down %v, OutagesOver %v; want false, false", r.b.Down(), r.b.OutagesOver())
		}
	})
	r.w.Run(func() bool { return r.sent && r.b.Idle() && r.b.OutagesOver() })
	if len(errs) != 3 || !errors.Is(errs[0], ErrUnreachable) || !errors.Is(errs[1], ErrUnreachable) || errs[2] != nil {
		t.Fatalf("errors %v: want unreachable, unreachable, nil", errs)
	}
	r.has("0s send m1 producer>orders",
		"10ms fault broker",
		"15ms ack m1 w1>orders #1",
		"20ms fault m2 producer>orders",
		"20ms fault e1 producer>events",
		"30ms fault broker",
		"40ms send m3 producer>orders",
		"50ms fault broker",
		"60ms fault broker")
	r.lacks("20ms send")
	r.lacks("20ms publish")
	if _, ok := r.w.Lookup(FaultActor); !ok {
		t.Errorf("no actor %q to carry the outage's events", FaultActor)
	}
}
