package pubsub

import (
	"slices"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Name is the pattern's command name.
const Name = "pubsub"

// run is one simulation in progress.
type run struct {
	cfg     Config
	s       *patterns.Sim
	w       *sim.World
	sink    *Sink
	actor   *sim.Actor // the order service
	orders  *patterns.Arrivals
	placed  int
	pending int // joins and restarts still to come: the run waits for them
	topic   *broker.Topic
	direct  *direct
	seen    map[string]bool // idempotency memory: subscriber/message id
}

// Run simulates the scenario with the common options c, sending every
// event to out (which may be nil), and returns the report that closes the
// trace. cfg must be valid.
func (cfg Config) Run(c patterns.Common, out trace.Sink) *trace.Report {
	cfg.Common = c
	r := &run{cfg: cfg, sink: NewSink()}
	r.s = patterns.Start(Name, cfg.Common, cfg.Params(), trace.Tee(r.sink, out))
	r.w = r.s.World
	r.actor = r.w.Actor(Publisher)
	r.orders = &patterns.Arrivals{Actor: r.actor, Gap: cfg.Arrival, Rand: r.w.Rand("arrival"), N: cfg.Events,
		Send: r.place}
	if cfg.Idempotent {
		r.seen = map[string]bool{}
	}
	if cfg.Mode == Direct {
		r.direct = newDirect(r)
	} else {
		r.topic = r.s.Broker.Topic(Topic)
	}
	for _, name := range cfg.Subscribers {
		r.subscribe(name)
	}
	r.s.Produce(r.orders)

	b := r.s.Broker
	r.s.Run(func() bool { return r.orders.Done() && r.pending == 0 && b.Idle() })

	row := "subscription"
	if cfg.Mode == Direct {
		row = "service"
	}
	tables := r.sink.Tables(row)
	tables = append(tables, r.ordersTable())
	verdicts := []trace.Verdict{r.sink.Delivered(cfg.Mode == Direct)}
	if v, ok := r.sink.Missed(); ok {
		verdicts = append(verdicts, v)
	}
	verdicts = append(verdicts, r.heldUp())
	return r.s.Finish(patterns.Ending{Delivery: true, Tables: tables, Verdicts: verdicts})
}

// subscribe declares name's subscription (or command queue), makes its
// instances and schedules when they join, go offline and come back.
func (r *run) subscribe(name string) {
	cfg, w := r.cfg, r.w
	opts := broker.QueueOptions{MaxDeliveries: MaxDeliveries, DuplicateRate: cfg.DuplicateRate}
	var consume func(a *sim.Actor, h broker.Handler)
	if cfg.Mode == Direct {
		q := r.s.Broker.Queue(cfg.QueueName(name), opts)
		r.direct.queues[name] = q
		consume = func(a *sim.Actor, h broker.Handler) { q.Subscribe(a, broker.ConsumerOptions{Prefetch: 1}, h) }
	} else {
		// Durable subscriptions are declared with the system, before any
		// order: they hold events for subscribers that start late or go
		// away. A transient one only begins when its subscriber connects.
		sub := r.topic.Subscribe(name, broker.SubscriptionOptions{
			Durable: !cfg.IsTransient(name), Filter: cfg.FilterOf(name), Queue: opts})
		consume = func(a *sim.Actor, h broker.Handler) { sub.Consume(a, broker.ConsumerOptions{Prefetch: 1}, h) }
	}
	work := w.Rand("work:" + name)
	factor := 1.0
	if f, ok := cfg.Slow[name]; ok {
		factor = f
	}
	failing := slices.Contains(cfg.Fail, name)
	if at, late := cfg.LateAt(name); late {
		w.At(at, nil, func() { r.joined(name) })
	}
	var actors []*sim.Actor
	for _, inst := range cfg.InstanceNames(name) {
		a := w.Actor(inst)
		actors = append(actors, a)
		finish := func(arg any) { r.finish(name, failing, arg.(*broker.Delivery)) }
		h := func(d *broker.Delivery) { w.AfterCall(sim.Scale(cfg.Work.Sample(work), factor), a, finish, d) }
		if at, late := cfg.LateAt(name); late {
			r.pending++
			w.At(at, nil, func() {
				r.pending--
				consume(a, h)
			})
			continue
		}
		consume(a, h)
	}
	for i, o := range cfg.Offline {
		if o.Name != name || slices.Contains(cfg.Offline[:i], o) {
			continue
		}
		r.offline(actors, o.Window)
	}
}

// joined tells, when a late subscriber starts, what its subscription did
// for it meanwhile.
func (r *run) joined(name string) {
	note := name + " starts"
	why := ""
	switch {
	case r.cfg.Mode == Direct:
		note += ": the commands sent to it so far have waited in " + r.cfg.QueueName(name)
	case r.cfg.IsTransient(name):
		note += "; its transient subscription begins now: what was published before is gone"
		why = "A transient subscription is made when its subscriber connects and sees only later events; " +
			"a durable one is declared ahead and keeps every event until the subscriber comes for it."
	default:
		note += "; its durable subscription kept what was published before, and delivers it now"
	}
	r.w.Emit(trace.Event{Kind: trace.Note, Actor: name, Note: note, Why: why})
}

// offline takes a subscriber's instances down for the window. A subscriber
// that goes offline is a process that stops: its connection closes, the
// work in its hands is abandoned and the broker takes back what it had not
// acked, exactly as a crash, so it is modelled as a crash at FROM and a
// restart at TO, of all instances at once. What the subscription does meanwhile is the lesson: a
// durable one keeps the events, a transient one goes with the connection.
func (r *run) offline(actors []*sim.Actor, win sim.Window) {
	w := r.w
	r.pending++
	w.At(win.From, nil, func() {
		sim.CrashTogether(actors, "offline until "+trace.FormatDuration(win.To))
	})
	w.At(win.To, nil, func() {
		r.pending--
		for _, a := range actors {
			a.Restart("back online after " + trace.FormatDuration(win.To-win.From))
		}
	})
}

// finish ends one subscriber's work on a delivery.
func (r *run) finish(name string, failing bool, d *broker.Delivery) {
	if failing {
		last := d.Attempt() >= MaxDeliveries
		d.Nack(true, "failed: "+failure(name))
		if r.direct != nil && last {
			r.direct.reply(name, d, false) // given up: the caller hears of it
		}
		return
	}
	if r.seen != nil {
		k := name + "/" + d.Msg.ID
		if r.seen[k] {
			d.SkipWhy("duplicate", name+" remembers handling "+d.Msg.ID+": at-least-once delivery brought "+
				"it again, and an idempotent subscriber acks the repeat without applying it twice.")
			if r.direct != nil {
				r.direct.reply(name, d, true)
			}
			d.Ack()
			return
		}
		r.seen[k] = true
	}
	d.Handle(effect(name))
	if r.direct != nil {
		r.direct.reply(name, d, true)
	}
	d.Ack()
}

// place places the next order: one event published, or the first of its
// commands sent.
func (r *run) place(i int) {
	r.placed = i
	if r.direct != nil {
		r.direct.place(i)
	} else {
		r.topic.Publish(Publisher, &broker.Message{
			Msg:     trace.Msg{ID: EventID(i), Type: "OrderPlaced", Class: trace.EventMsg, Key: OrderKey(i)},
			Subject: Subject(i)})
		if i == r.cfg.Events {
			r.w.Emit(trace.Event{Kind: trace.Note, Actor: Publisher,
				Note: "all " + itoa(int64(i)) + " orders placed: the order service waited for no subscriber"})
		}
	}
}
