package competing

import (
	"math/rand/v2"
	"time"

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

	p := &producer{cfg: cfg, q: q, actor: w.Actor(Producer), arrival: w.Rand("arrival")}
	p.sendNext = p.send
	p.actor.OnRestart(p.schedule)
	w.ScheduleCrashes(cfg.Crashes, cfg.RestartAfter)
	p.schedule()

	s.Run(func() bool { return p.finished() && b.Idle() })
	return s.Finish(patterns.Ending{Delivery: true})
}

// producer sends m1 … mN, one arrival gap apart, scheduling one send at a
// time so memory does not grow with --messages.
type producer struct {
	cfg     Config
	q       *broker.Queue
	actor   *sim.Actor
	arrival *rand.Rand
	sent    int

	sendNext func() // p.send, made once so scheduling it allocates nothing
}

// schedule plans the next send, if any is left.
func (p *producer) schedule() {
	if p.sent >= p.cfg.Messages {
		return
	}
	gap := time.Duration(0)
	if p.sent > 0 {
		gap = p.cfg.Arrival.Sample(p.arrival)
	}
	p.q.World().After(gap, p.actor, p.sendNext)
}

func (p *producer) send() {
	p.sent++
	p.q.Send(Producer, &broker.Message{Msg: trace.Msg{
		ID: MessageID(p.sent), Type: "PlaceOrder", Class: trace.Command, Key: OrderKey(p.sent),
	}})
	p.schedule()
}

// finished reports whether the producer will send nothing more: all sent,
// or crashed for good.
func (p *producer) finished() bool {
	return p.sent >= p.cfg.Messages || (!p.actor.Up() && p.cfg.RestartAfter == 0)
}
