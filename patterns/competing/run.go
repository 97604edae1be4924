package competing

import (
	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Name is the pattern's command name.
const Name = "competing"

// Run simulates the scenario with the common options c, sending every
// event to out (which may be nil), and returns the report that closes the
// trace. cfg must be valid.
func (cfg Config) Run(c patterns.Common, out trace.Sink) *trace.Report {
	cfg.Common = c
	s := patterns.Start(Name, cfg.Common, cfg.Params(), out)
	w, b := s.World, s.Broker
	q := b.Queue(Queue, broker.QueueOptions{
		VisibilityTimeout: cfg.VisibilityTimeout,
		MaxDeliveries:     cfg.MaxDeliveries,
	})

	poison := map[string]bool{}
	for _, id := range cfg.Poison {
		poison[id] = true
	}
	work := w.Rand("work")
	finish := func(arg any) {
		d := arg.(*broker.Delivery)
		if poison[d.Msg.ID] {
			d.Nack(true, "handler failed: cannot parse the order")
			return
		}
		d.Handle("order placed")
		d.Ack()
	}
	for i := 1; i <= cfg.Consumers; i++ {
		a := w.Actor(WorkerName(i))
		factor := 1.0
		if f, ok := cfg.Slow[a.Name]; ok {
			factor = f
		}
		q.Subscribe(a, broker.ConsumerOptions{Prefetch: cfg.Prefetch, Ack: cfg.Ack}, func(d *broker.Delivery) {
			w.AfterCall(sim.Scale(cfg.Work.Sample(work), factor), a, finish, d)
		})
	}

	p := &patterns.Arrivals{Actor: w.Actor(Producer), Gap: cfg.Arrival, Rand: w.Rand("arrival"),
		N: cfg.Messages, Restarts: cfg.RestartAfter > 0, Send: func(i int) {
			id, key := idAndKey(i)
			q.Send(Producer, &broker.Message{Msg: trace.Msg{ID: id, Type: "PlaceOrder", Class: trace.Command, Key: key}})
		}}
	w.ScheduleCrashes(cfg.Crashes, cfg.RestartAfter)
	p.Start(w)

	s.Run(func() bool { return p.Done() && b.Idle() })
	return s.Finish(patterns.Ending{Delivery: true})
}
