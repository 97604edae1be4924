package patterns

import (
	"strconv"
	"testing"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// The producers are told the settle events only once some arrivals keep
// a window: at a steady rate no send waits for a settle, so every ack
// would wake nobody. Arrivals at a gap of 0 then get them from the start:
// without them the window, once full, would hold its sends for good.
func TestProducersWantSettlesOnlyForAWindow(t *testing.T) {
	s := Start("t", Common{Seed: 1}, nil, nil)
	q := s.Broker.Queue("q", broker.QueueOptions{})
	send := func(i int) {
		q.Send("producer", &broker.Message{Msg: trace.Msg{ID: "m" + strconv.Itoa(i), Type: "PlaceOrder", Class: trace.Command}})
	}
	s.Produce(&Arrivals{Gap: sim.Const(ms), Rand: s.World.Rand("a"), N: 5, Send: send})
	if w := s.producers.Wants(); w != 0 {
		t.Errorf("arrivals at a steady rate: the producers want %b, want nothing", w)
	}
	window := &Arrivals{Gap: sim.Const(0), Rand: s.World.Rand("b"), N: 5, Window: 2, Send: send}
	s.Produce(window)
	if w := s.producers.Wants(); !w.Has(trace.Ack) || !w.Has(trace.Drop) || w.Has(trace.Send) {
		t.Errorf("arrivals keeping a window: the producers want %b, want the settle events", w)
	}
	worker := s.World.Actor("worker")
	q.Subscribe(worker, broker.ConsumerOptions{Prefetch: 1}, func(d *broker.Delivery) {
		s.World.After(ms, worker, func() { d.Handle(""); d.Ack() })
	})
	s.Run(func() bool { return window.Done() && s.Broker.Idle() })
	if window.Sent() != 5 {
		t.Errorf("the window sent %d of 5: its settles did not wake it", window.Sent())
	}
}
