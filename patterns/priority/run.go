package priority

import (
	"math/rand/v2"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Name is the pattern's command name.
const Name = "priority"

// run is one simulation: what the shop and the workers share.
type run struct {
	cfg        Config
	w          *sim.World
	queues     [2]*broker.Queue // express, standard; one queue twice but in separate-queues mode
	mix, work  *rand.Rand
	sent       int
	finishCall func(any) // worker.finish, made once
}

// Run simulates the scenario, sending every event to out (which may be
// nil), and returns the report that closes the trace. The receiver must be
// valid.
func (c Config) Run(common patterns.Common, out trace.Sink) *trace.Report {
	c.Common = common
	checks := NewChecks()
	s := patterns.Start(Name, c.Common, c.Params(), trace.Tee(checks, out))
	r := &run{cfg: c, w: s.World, mix: s.World.Rand("mix"), work: s.World.Rand("work")}
	shop := r.w.Actor(Shop)
	switch c.Mode {
	case Separate:
		r.queues[0] = s.Broker.Queue(ExpressQueue, broker.QueueOptions{})
		r.queues[1] = s.Broker.Queue(StandardQueue, broker.QueueOptions{})
	case Priority:
		q := s.Broker.Queue(QueueName, broker.QueueOptions{MaxPriority: 1})
		r.queues = [2]*broker.Queue{q, q}
	default:
		q := s.Broker.Queue(QueueName, broker.QueueOptions{})
		r.queues = [2]*broker.Queue{q, q}
	}
	for i := 1; i <= c.Consumers; i++ {
		newWorker(r, r.w.Actor(patterns.WorkerName(i)))
	}
	arrivals := &patterns.Arrivals{Actor: shop, Gap: c.Arrival, Rand: r.w.Rand("arrival"), N: c.Orders, Send: func(int) { r.send("") }}
	for _, b := range c.Bursts {
		r.w.At(b.At, shop, func() {
			for range b.N {
				r.send(b.Kind)
			}
		})
	}
	r.w.ScheduleCrashes(c.Crashes, c.RestartAfter)
	arrivals.Start(r.w)
	total := c.total()
	s.RunIdle(func() bool { return r.sent == total })
	end := s.World.Now()
	verdicts := checks.Verdicts(s.World.Stopped()) // first: it counts the orders left open
	return s.Finish(patterns.Ending{Delivery: true, Tables: checks.Tables(end), Series: checks.Series(end),
		Verdicts: verdicts})
}

// send puts the next order on its queue: of the kind given, or express
// with chance ExpressShare.
func (r *run) send(kind string) {
	r.sent++
	express := kind == ExpressKind
	if kind == "" {
		express = r.mix.Float64() < r.cfg.ExpressShare
	}
	m := &broker.Message{Msg: trace.Msg{ID: patterns.MessageID(r.sent), Type: Standard, Class: trace.Command, Key: patterns.OrderKey(r.sent)}}
	q := r.queues[1]
	if express {
		m.Type, m.Priority, q = Express, 1, r.queues[0]
	}
	q.Send(Shop, m)
}

// worker is one worker: it takes deliveries from one queue, or in
// separate-queues mode from both, and works one order at a time.
type worker struct {
	r    *run
	a    *sim.Actor
	held [2]*broker.Delivery // the delivery each subscription handed over and not yet worked on
	busy bool
	lane int // the subscription it takes from now
	used int // orders taken from lane in a row
}

func newWorker(r *run, a *sim.Actor) {
	k := &worker{r: r, a: a}
	opts := broker.ConsumerOptions{Prefetch: r.cfg.Prefetch, Ack: broker.ManualAck}
	lanes := 1
	if r.cfg.Mode == Separate {
		lanes = 2
	}
	for lane := range lanes {
		r.queues[lane].Subscribe(a, opts, func(d *broker.Delivery) {
			k.held[lane] = d
			k.note(d)
			k.next()
		})
	}
	a.OnCrash(func() { k.held, k.busy, k.used = [2]*broker.Delivery{}, false, 0 })
	if r.finishCall == nil {
		r.finishCall = finish
	}
}

// note tells, when an express order waited in a worker's buffer behind
// orders the worker had prefetched, that a priority queue does not reorder
// those.
func (k *worker) note(d *broker.Delivery) {
	if d.Msg.Type != Express || k.r.cfg.Mode != Priority || d.Buffered() == 0 {
		return
	}
	k.r.w.Emit(trace.Event{Kind: trace.Note, Actor: k.a.Name, Msg: d.TraceMsg(),
		Note: "waited " + trace.ShortDuration(d.Buffered()) + " in the buffer: the priority queue cannot reorder it",
		Why: "A priority queue orders only the messages still waiting in the broker; what a consumer " +
			"has prefetched sits in its buffer and is worked in delivery order."})
}

// next starts work on a held delivery when the worker is free: in
// separate-queues mode up to Weights[lane] in a row from one queue while
// the other has one waiting.
func (k *worker) next() {
	if k.busy {
		return
	}
	other := 1 - k.lane
	switch {
	case k.held[k.lane] != nil && (k.used < k.r.cfg.Weights[k.lane] || k.held[other] == nil ||
		(k.r.cfg.bug == bugStrict && k.lane == 0)):
	case k.held[other] != nil:
		k.lane, k.used = other, 0
	default:
		return
	}
	d := k.held[k.lane]
	k.held[k.lane] = nil
	d.Begin()
	k.used++
	k.busy = true
	took := k.r.cfg.Work.Sample(k.r.work)
	if k.r.cfg.bug == bugSlowExpress && d.Msg.Type == Express {
		took *= 10
	}
	k.r.w.AfterCall(took, k.a, k.r.finishCall, workDone{k, d})
}

// workDone is a finished piece of work: the worker and its delivery.
type workDone struct {
	k *worker
	d *broker.Delivery
}

func finish(arg any) {
	wd := arg.(workDone)
	k, d := wd.k, wd.d
	if k.r.cfg.bug == bugLoseOne && d.Msg.ID == patterns.MessageID(3) {
		q := d.Consumer().Queue().Name
		k.r.w.Emit(trace.Event{Kind: trace.Drop, Actor: q, To: q, Msg: d.TraceMsg(), Note: "lost by a planted bug"})
		d.Ack()
	} else {
		if d.Msg.Type == Express {
			d.Handle("shipped")
		} else {
			d.Handle("shipped")
		}
		d.Ack()
	}
	k.busy = false
	k.next()
}
