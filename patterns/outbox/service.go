package outbox

import (
	"math/rand/v2"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// service is the order service: it takes orders one at a time and, by its
// variant, writes the order and announces it.
type service struct {
	r    *run
	a    *sim.Actor
	db   DB
	work *rand.Rand
	msg  broker.Message // reused for each publish: the topic copies it

	arrived int    // the last event arrived: events taken+1 … arrived wait, oldest first
	taken   int    // the last event taken
	key     string // the key of the order of the last event taken
	cur     *order // the order in hand: &slot, or nil
	// slot holds the order in hand, reused for the next: the service has
	// one at a time, and a crash drops the steps pending for it.
	slot order
	tx   Tx // the transaction of the order in hand, until it commits or rolls back

	commitFn, publishFn, crashFn func(any)
}

func newService(r *run) *service {
	w := r.w
	s := &service{r: r, a: w.Actor(OrderService), work: w.Rand("work:" + OrderService)}
	s.db = r.openDB(s.a, OrdersDB, r.cfg.DBFailRate)
	s.commitFn, s.publishFn, s.crashFn = s.commit, s.publish, s.crash
	s.a.Describe(s.describe)
	s.a.OnCrash(s.crashed)
	s.a.OnRestart(s.next)
	return s
}

// idle reports whether no order waits or is in hand.
func (s *service) idle() bool { return s.cur == nil && s.taken == s.arrived }

// arrive queues event e, the next after those arrived: a number is all a
// waiting order costs.
func (s *service) arrive(e int) {
	s.arrived = e
	s.next()
}

// next starts on the oldest waiting order, if the service is up and free.
func (s *service) next() {
	if s.cur != nil || !s.a.Up() || s.taken == s.arrived {
		return
	}
	s.taken++
	e := s.taken
	if e%2 == 1 {
		s.key = patterns.OrderKey((e + 1) / 2)
	}
	s.slot = order{n: e, msg: eventMsg(e, EventID(e), s.key)}
	o := &s.slot
	if r := s.r; r.crashes != nil {
		// One draw per event, in event order, as they are taken in.
		o.crash = r.crashes.Float64() < r.cfg.CrashRate
	}
	s.cur = o
	s.tx = s.db.Begin(o.msg)
	s.tx.SaveOrder(o.msg.Key, o.state())
	step := s.commitFn
	switch s.r.cfg.Variant {
	case Outbox:
		s.tx.AddOutbox(o.msg.ID, o.msg.Type)
	case PublishFirst:
		step = s.publishFn
	}
	s.r.w.AfterCall(s.r.cfg.Work.Sample(s.work), s.a, step, o)
}

// commit commits the order's transaction, then takes the variant's next step.
func (s *service) commit(arg any) {
	o := arg.(*order)
	v := s.r.cfg.Variant
	tx := s.tx
	s.tx = nil // over either way
	if err := tx.Commit(); err != nil {
		if v == PublishFirst {
			s.ghost(o)
		}
		s.finish()
		return
	}
	o.committed = true
	switch v {
	case Outbox:
		s.r.rows++
		if o.crash {
			s.crashSoon(o)
			return
		}
	case DualWrite:
		if o.crash {
			s.crashSoon(o)
			return
		}
		s.r.w.AfterCall(s.r.cfg.Work.Sample(s.work), s.a, s.publishFn, o)
		return
	}
	s.finish()
}

// publish publishes the write's event, then takes the
// variant's next step.
func (s *service) publish(arg any) {
	o := arg.(*order)
	r := s.r
	if r.b.Down() {
		if r.cfg.Variant == DualWrite {
			r.w.Emit(trace.Event{Kind: trace.Drop, Actor: OrderService, To: Topic, Msg: o.msg,
				Note: "publish failed, broker unreachable: the order stays committed, unannounced",
				Why:  whyZombie})
		} else {
			s.tx.Rollback("publish failed, broker unreachable: order not placed")
			s.tx = nil
		}
		s.finish()
		return
	}
	s.msg = broker.Message{Msg: o.msg}
	r.topic.Publish(OrderService, &s.msg)
	r.told.Update(o.n, published)
	o.sent = true
	if r.cfg.Variant == PublishFirst {
		if o.crash {
			s.crashSoon(o)
			return
		}
		r.w.AfterCall(r.cfg.Work.Sample(s.work), s.a, s.commitFn, o)
		return
	}
	s.finish()
}

// crashSoon crashes the service halfway to its next step: between its two
// writes.
func (s *service) crashSoon(o *order) {
	s.r.w.AfterCall(half(s.r.cfg.Work.Sample(s.work)), nil, s.crashFn, o)
}

func (s *service) crash(any) {
	s.a.Crash("injected crash (--crash-rate)")
	s.r.restartLater(s.a)
}

// describe tells what the order in hand had reached when the service crashed.
func (s *service) describe() string {
	o := s.cur
	if o == nil {
		return "no order in hand"
	}
	what := o.msg.ID + " " + o.msg.Key
	switch {
	case o.committed && s.r.cfg.Variant == Outbox:
		return what + " committed with its outbox row: the relay will publish it"
	case o.committed && !o.sent:
		return what + " committed, not yet published"
	case o.sent && !o.committed:
		return what + " published, not yet committed"
	}
	return what + " not yet committed"
}

// crashed tells what the crash did to the order in hand. The store has
// already dropped its open transaction.
func (s *service) crashed() {
	o := s.cur
	s.cur, s.tx = nil, nil // the database rolled the transaction back
	if o == nil {
		return
	}
	switch {
	case o.committed && !o.sent && s.r.cfg.Variant == DualWrite:
		s.r.w.Emit(trace.Event{Kind: trace.Drop, Actor: OrderService, To: Topic, Msg: o.msg,
			Note: "committed but never published: a zombie record", Why: whyZombie})
	case o.sent && !o.committed:
		s.ghost(o)
	}
}

// ghost says that o's event is out but its order will never be committed.
func (s *service) ghost(o *order) {
	s.r.w.Emit(trace.Event{Kind: trace.Note, Actor: OrderService, Msg: o.msg,
		Note: "already published, never committed: a ghost message", Why: whyGhost})
}

// finish ends the order in hand and starts the next.
func (s *service) finish() {
	s.cur = nil
	s.next()
}
