package competing

import (
	"strconv"
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
		crash := randomCrash(w, a, cfg)
		q.Subscribe(a, broker.ConsumerOptions{Prefetch: cfg.Prefetch, Ack: cfg.Ack}, func(d *broker.Delivery) {
			took := sim.Scale(cfg.Work.Sample(work), factor)
			if crash != nil && crash(took) {
				return
			}
			w.AfterCall(took, a, finish, d)
		})
	}

	p := &patterns.Arrivals{Actor: w.Actor(Producer), Gap: cfg.Arrival, Rand: w.Rand("arrival"),
		N: cfg.Messages, Restarts: cfg.RestartAfter > 0, Send: func(i int) {
			id, key := idAndKey(i)
			q.Send(Producer, &broker.Message{Msg: trace.Msg{ID: id, Type: "PlaceOrder", Class: trace.Command, Key: key,
				Num: uint64(i)}})
		}}
	w.ScheduleCrashes(cfg.Crashes, cfg.RestartAfter)
	p.Start(w)

	s.Run(func() bool { return p.Done() && b.Idle() })
	return s.Finish(patterns.Ending{Delivery: true})
}

// randomCrash returns, for a worker a, what decides whether a delivery
// that takes took to work on crashes it: with chance cfg.CrashRate the
// worker goes down halfway through the work, before it acks, and restarts
// after cfg.RestartAfter. Each worker draws from a fault stream of its own,
// one draw per delivery, so its n-th delivery crashes or not whatever the
// work times and the ack mode: the variants meet the same crashes. It
// returns nil when the rate is 0, so such runs draw nothing.
func randomCrash(w *sim.World, a *sim.Actor, cfg Config) func(took time.Duration) bool {
	if cfg.CrashRate == 0 {
		return nil
	}
	faults := w.Rand("faults:crash:" + a.Name)
	why := "random crash (--crash-rate " + strconv.FormatFloat(cfg.CrashRate, 'g', -1, 64) + ")"
	down := func() { a.CrashFor(cfg.RestartAfter, why) }
	return func(took time.Duration) bool {
		if faults.Float64() >= cfg.CrashRate {
			return false
		}
		w.After(took/2, a, down)
		return true
	}
}
