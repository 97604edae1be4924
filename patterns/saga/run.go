package saga

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/store"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Name is the pattern's command name.
const Name = "saga"

// CheckoutQueue is the queue the shop sends PlaceOrder commands to.
const CheckoutQueue = "checkout"

// RepliesQueue is the orchestrator's own queue for replies.
const RepliesQueue = "replies"

// outcome is what a step did, as a reply or event tells it.
type outcome uint8

const (
	done   outcome = iota // the step was applied
	failed                // the step was refused (a business failure)
	undone                // the step was compensated, or never done and now cannot be
)

// body is the payload of every saga message.
type body struct {
	order   int
	step    Step
	outcome outcome
	cause   string // a compensation: why the saga goes back
}

// runner is one simulation: what the orchestrator (or order service) and
// the services share.
type runner struct {
	cfg   Config
	s     *patterns.Sim
	w     *sim.World
	b     *broker.Broker
	work  *rand.Rand
	salt  [numSteps]uint64
	nextM int

	shop     *patterns.Arrivals // sends PlaceOrder for order-1001 …
	services [numSteps]*service
	finished int // orders APPROVED or REJECTED (or given up)
	waiting  int // orchestrator: sagas waiting for a reply or a timer
	lead     *sim.Actor
	opts     broker.QueueOptions
}

// Run simulates the scenario with the common options c, sending every
// event to out (which may be nil), and returns the report that closes the
// trace. cfg must be valid.
func (cfg Config) Run(c patterns.Common, out trace.Sink) *trace.Report {
	cfg.Common = c
	led := NewLedger()
	s := patterns.Start(Name, cfg.Common, cfg.Params(), trace.Tee(led, out))
	r := &runner{cfg: cfg, s: s, w: s.World, b: s.Broker, work: s.World.Rand("work"),
		opts: broker.QueueOptions{DuplicateRate: cfg.DuplicateRate}}
	for i := range r.salt {
		r.salt[i] = r.w.Rand("faults:fail:" + steps[i].name).Uint64()
	}
	shop := r.w.Actor(Shop)
	checkout := r.b.Queue(CheckoutQueue, r.opts)
	r.shop = &patterns.Arrivals{Actor: shop, Gap: cfg.Arrival, Rand: r.w.Rand("arrival"),
		N: cfg.Orders, Restarts: cfg.RestartAfter > 0, Send: func(i int) {
			checkout.Send(Shop, r.msg("PlaceOrder", trace.Command, i, &body{order: i}))
		}}
	if cfg.Style == Choreography {
		r.lead = r.w.Actor(OrderService)
	} else {
		r.lead = r.w.Actor(Orchestrator)
	}
	for i := range r.services {
		r.services[i] = newService(r, Step(i))
	}
	if cfg.Style == Choreography {
		newChoreography(r, checkout)
	} else {
		newOrchestrator(r, checkout)
	}
	r.w.ScheduleCrashes(cfg.Crashes, cfg.RestartAfter)
	// An order is in flight while a message of it is unsettled or its saga
	// waits for a reply: at --arrival 0 the shop keeps a window of them.
	r.shop.InFlight = func() int { return r.b.UnsettledCount() + r.waiting }
	s.Produce(r.shop)

	s.RunIdle(r.done)
	return s.Finish(patterns.Ending{Delivery: true, Tables: led.Tables(), Verdicts: led.Verdicts(s.World.Stopped())})
}

// done reports whether nothing is left to happen once the broker is idle
// (see Sim.RunIdle): every order sent, no saga waiting and no crashed
// actor due back.
func (r *runner) done() bool {
	if !r.shop.Done() || r.waiting > 0 {
		return false
	}
	if r.cfg.RestartAfter > 0 {
		for _, cr := range r.cfg.Crashes {
			if a, _ := r.w.Lookup(cr.Actor); !a.Up() || r.w.Now() <= cr.At {
				return false
			}
		}
	}
	return true
}

// msg returns a new message with the next id.
func (r *runner) msg(typ string, class trace.Class, n int, b *body) *broker.Message {
	r.nextM++
	return &broker.Message{Msg: trace.Msg{ID: "m" + strconv.Itoa(r.nextM), Type: typ, Class: class, Key: patterns.OrderKey(n)}, Body: b}
}

// rejects says whether the service of step s rejects order n, and why.
func (r *runner) rejects(s Step, n int) bool {
	if slices.Contains(r.cfg.Fail, steps[s].name) {
		return true
	}
	p := r.cfg.FailRate[steps[s].name]
	return p > 0 && unit(r.salt[s], uint64(n)) < p
}

// unit maps (salt, n) to a number in [0, 1), the same for an order in
// every variant whatever the order of events: a fault per order, drawn
// from the step's own stream.
func unit(salt, n uint64) float64 {
	z := salt + n*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}

// workTime draws the time a service takes for one message.
func (r *runner) workTime(name string) time.Duration {
	d := r.cfg.Work.Sample(r.work)
	if f, ok := r.cfg.Slow[name]; ok {
		d = sim.Scale(d, f)
	}
	return d
}

// commit commits tx; the stores here inject no faults, and the owner is up
// while it runs, so a commit cannot fail.
func commit(tx *store.Tx) { _ = tx.Commit() }
