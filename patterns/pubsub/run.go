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
	port    broker.Port
	topic   broker.TopicPort
	event   broker.Message // the event being published
	direct  *direct
	seen    *seenSet // idempotency memory: what each subscriber handled
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
		r.seen = newSeenSet()
	}
	r.port = r.s.Port()
	if cfg.Mode == Direct {
		r.direct = newDirect(r)
	} else {
		r.topic = r.port.Topic(Topic)
	}
	for _, name := range cfg.Subscribers {
		r.subscribe(name)
	}
	r.s.Produce(r.orders)

	r.s.RunIdle(func() bool { return r.orders.Done() && r.pending == 0 })

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
	opts := cfg.queueOptions()
	var consume func(a *sim.Actor, h func(broker.Work))
	if cfg.Mode == Direct {
		q := r.s.Broker.Queue(cfg.QueueName(name), opts)
		r.direct.queues[name] = q
		consume = func(a *sim.Actor, h func(broker.Work)) {
			q.Subscribe(a, broker.ConsumerOptions{Prefetch: 1}, func(d *broker.Delivery) { h(d) })
		}
	} else {
		// Durable subscriptions are declared with the system, before any
		// order: they hold events for subscribers that start late or go
		// away. A transient one only begins when its subscriber connects.
		sub := r.topic.Subscribe(name, cfg.subscriptionOptions(name))
		consume = func(a *sim.Actor, h func(broker.Work)) { sub.Consume(a, broker.ConsumerOptions{Prefetch: 1}, h) }
	}
	handler := r.handlers(name)
	if at, late := cfg.LateAt(name); late {
		w.At(at, nil, func() { r.joined(name) })
	}
	var actors []*sim.Actor
	for _, inst := range cfg.InstanceNames(name) {
		a := w.Actor(inst)
		actors = append(actors, a)
		h := handler(a)
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

func (cfg Config) queueOptions() broker.QueueOptions {
	return broker.QueueOptions{MaxDeliveries: MaxDeliveries, DuplicateRate: cfg.DuplicateRate}
}

func (cfg Config) subscriptionOptions(name string) broker.SubscriptionOptions {
	return broker.SubscriptionOptions{Durable: !cfg.IsTransient(name), Filter: cfg.FilterOf(name),
		Queue: cfg.queueOptions()}
}

// handlers returns what makes the handler of each instance of subscriber
// name: it works on a delivery for a sampled time (slower by its --slow
// factor), then finishes it. The instances share one work-time stream.
func (r *run) handlers(name string) func(a *sim.Actor) func(broker.Work) {
	cfg, w := r.cfg, r.w
	work := w.Rand("work:" + name)
	factor := 1.0
	if f, ok := cfg.Slow[name]; ok {
		factor = f
	}
	failing := slices.Contains(cfg.Fail, name)
	return func(a *sim.Actor) func(broker.Work) {
		finish := func(arg any) { r.finish(name, failing, broker.WorkOf(arg)) }
		return func(d broker.Work) { w.AfterCall(sim.Scale(cfg.Work.Sample(work), factor), a, finish, d) }
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

// finish ends one subscriber's work on a delivery: the same code on the
// simulated broker and on a live one. Only direct mode, which replies
// through the simulated broker, reads past broker.Work.
func (r *run) finish(name string, failing bool, d broker.Work) {
	if failing {
		last := r.direct != nil && d.(*broker.Delivery).Attempt() >= MaxDeliveries
		d.Nack(true, "failed: "+failure(name))
		if last {
			r.direct.reply(name, d, false) // given up: the caller hears of it
		}
		return
	}
	if r.seen != nil {
		id := d.Message().ID
		if r.seen.add(name, id) {
			d.SkipWhy("duplicate", name+" remembers handling "+id+": at-least-once delivery brought "+
				"it again, and an idempotent subscriber acks the repeat without applying it twice.")
			if r.direct != nil {
				r.direct.reply(name, d, true)
			}
			d.Ack()
			return
		}
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
		// One message value serves every publication: Publish keeps copies,
		// never m, and through the port a fresh one would cost an allocation.
		r.event = broker.Message{
			Msg:     trace.Msg{ID: EventID(i), Type: "OrderPlaced", Class: trace.EventMsg, Key: patterns.OrderKey(i)},
			Subject: Subject(i)}
		r.topic.Publish(Publisher, &r.event)
		if i == r.cfg.Events {
			r.w.Emit(trace.Event{Kind: trace.Note, Actor: Publisher,
				Note: "all " + itoa(int64(i)) + " orders placed: the order service waited for no subscriber"})
		}
	}
}
