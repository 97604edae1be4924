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
	w, b := s.World, s.Port()
	q := b.Queue(Queue, cfg.queueOptions())
	workers := cfg.workerKit(w)
	for i := 1; i <= cfg.Consumers; i++ {
		workers.add(w.Actor(patterns.WorkerName(i)), q)
	}

	var pool broker.Pool // the orders in flight, reused once acked: no allocation per order
	p := &patterns.Arrivals{Actor: w.Actor(Producer), Gap: cfg.Arrival, Rand: w.Rand("arrival"),
		N: cfg.Messages, Restarts: cfg.RestartAfter > 0, Send: func(i int) {
			m := pool.Get() // all zero: set only what differs
			m.Type, m.Class, m.Num, m.Names = "PlaceOrder", trace.Command, uint64(i), patterns.OrderNumbering
			q.Send(Producer, m)
		}}
	w.ScheduleCrashes(cfg.Crashes, cfg.RestartAfter)
	s.Produce(p)

	s.RunIdle(p.Done)
	return s.Finish(patterns.Ending{Delivery: true})
}

func (cfg Config) queueOptions() broker.QueueOptions {
	return broker.QueueOptions{VisibilityTimeout: cfg.VisibilityTimeout, MaxDeliveries: cfg.MaxDeliveries}
}

// workers is what every worker shares: the work-time stream, the poison
// list and the callback that finishes a delivery.
type workers struct {
	cfg    Config
	w      *sim.World
	work   sim.Sampler
	finish func(arg any)
}

// workerKit returns what the workers of w share. Make it before the first
// worker, as the work stream is drawn in the order the workers work.
func (cfg Config) workerKit(w *sim.World) *workers {
	poison := map[string]bool{}
	for _, id := range cfg.Poison {
		poison[id] = true
	}
	finish := func(arg any) {
		d := broker.WorkOf(arg)
		if len(poison) > 0 && poison[d.Message().IDText()] {
			d.Nack(true, "handler failed: cannot parse the order")
			return
		}
		d.Handle("order placed")
		d.Ack()
	}
	return &workers{cfg: cfg, w: w, work: w.Sampler(cfg.Work, w.Rand("work")), finish: finish}
}

// add makes a one more worker consuming from q: it works on each delivery
// for a sampled time (slower by its --slow factor), may crash halfway
// (--crash-rate), then handles and acks it, or nacks a poison message.
func (k *workers) add(a *sim.Actor, q broker.QueuePort) {
	cfg, w := k.cfg, k.w
	factor := 1.0
	if f, ok := cfg.Slow[a.Name]; ok {
		factor = f
	}
	crash := randomCrash(w, a, cfg)
	q.Consume(a, broker.ConsumerOptions{Prefetch: cfg.Prefetch, Ack: cfg.Ack}, func(d broker.Work) {
		took := sim.Scale(k.work.Sample(), factor)
		if crash != nil && crash(took) {
			return
		}
		w.AfterCall(took, a, k.finish, d)
	})
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
