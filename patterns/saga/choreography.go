package saga

import (
	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/store"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// OrdersTopic is where the order service announces new orders.
const OrdersTopic = "orders"

// choreography wires the services to each other's events: no one is in
// charge; each service reacts to the news it subscribes to and publishes
// its own. Failure news travels back upstream and triggers compensations.
type choreography struct {
	r      *runner
	a      *sim.Actor
	db     *store.Store
	orders *broker.Topic

	placeFn, endFn func(any)
}

func newChoreography(r *runner, checkout *broker.Queue) *choreography {
	c := &choreography{r: r, a: r.lead}
	c.db = store.New(r.w, c.a, OrderService+"-db", store.Options{})
	c.db.Table(orderPrefix, patterns.OrderNumber, patterns.OrderKey, pending, approved, rejected)
	c.orders = r.b.Topic(OrdersTopic)
	var topics [numSteps]*broker.Topic
	for i := range topics {
		topics[i] = r.b.Topic(steps[i].topic)
		r.services[i].respond = c.publishFrom(r.services[i], topics[i])
	}
	sub := func(t *broker.Topic, subject string, a *sim.Actor, h broker.Handler) {
		f, _ := broker.ParseFilter(subject)
		s := t.Subscribe(a.Name, broker.SubscriptionOptions{Durable: true, Filter: f, Queue: r.opts})
		s.Consume(a, broker.ConsumerOptions{Prefetch: 1}, h)
	}
	pay, inv, ship := r.services[Payment], r.services[Inventory], r.services[Shipping]
	sub(c.orders, "order.placed", pay.a, pay.onDo)
	sub(topics[Payment], steps[Payment].subjOK, inv.a, inv.onDo)
	sub(topics[Inventory], steps[Inventory].subjOK, ship.a, ship.onDo)
	end := func(d *broker.Delivery) { r.w.AfterCall(0, c.a, c.endFn, d) }
	if r.cfg.Naive {
		sub(topics[Shipping], "shipping.*", c.a, end)
		sub(topics[Inventory], steps[Inventory].subjNo, c.a, end)
	} else {
		sub(topics[Shipping], steps[Shipping].subjOK, c.a, end)
		sub(topics[Shipping], steps[Shipping].subjNo, inv.a, inv.onUndo)
		sub(topics[Inventory], steps[Inventory].subjNo, pay.a, pay.onUndo)
	}
	sub(topics[Payment], steps[Payment].subjNo, c.a, end)
	c.placeFn = func(arg any) { c.place(arg.(*broker.Delivery)) }
	c.endFn = func(arg any) { c.end(arg.(*broker.Delivery)) }
	checkout.Subscribe(c.a, broker.ConsumerOptions{Prefetch: 1}, func(d *broker.Delivery) {
		r.w.AfterCall(0, c.a, c.placeFn, d)
	})
	return c
}

// publishFrom returns how service s tells the others what it did: an event
// on its topic. A repeat publishes nothing: the news went out the first time.
func (c *choreography) publishFrom(s *service, t *broker.Topic) func(d *broker.Delivery, oc outcome, cause string, repeat bool) {
	return func(d *broker.Delivery, oc outcome, cause string, repeat bool) {
		if repeat {
			return
		}
		b := d.Msg.Body.(*body)
		typ, subject := s.st.ok, s.st.subjOK
		switch oc {
		case failed:
			typ, subject = s.st.failed, s.st.subjNo
			cause = s.st.name + " rejected " + patterns.OrderKey(b.order) + " (" + cause + ")"
		case undone:
			typ, subject = s.st.undone, s.st.subjNo
		}
		m := c.r.msg(typ, trace.EventMsg, b.order, &body{order: b.order, step: s.id, outcome: oc, cause: cause})
		m.Subject = subject
		t.Publish(s.st.name, m)
	}
}

// place records the new order PENDING and announces it.
func (c *choreography) place(d *broker.Delivery) {
	n := d.Msg.Body.(*body).order
	key := patterns.OrderKey(n)
	if v, ok := c.db.Get(orderPrefix + key); ok {
		d.Skip("repeat: " + key + " is already " + v)
		d.Ack()
		return
	}
	tx := c.db.Begin(d.TraceMsg())
	tx.Put(orderPrefix+key, pending)
	commit(tx)
	d.Handle(key + " is PENDING; OrderPlaced tells whoever listens")
	m := c.r.msg("OrderPlaced", trace.EventMsg, n, &body{order: n})
	m.Subject = "order.placed"
	c.orders.Publish(OrderService, m)
	d.Ack()
}

// end records the order's final state from the news that decides it.
func (c *choreography) end(d *broker.Delivery) {
	b := d.Msg.Body.(*body)
	key := patterns.OrderKey(b.order)
	v, _ := c.db.Get(orderPrefix + key)
	if v != pending {
		d.Skip("repeat: " + key + " is already " + v)
		d.Ack()
		return
	}
	state := rejected
	if b.outcome == done {
		state = approved
	}
	tx := c.db.Begin(d.TraceMsg())
	tx.Put(orderPrefix+key, state)
	commit(tx)
	c.r.finished++
	d.Handle(key + " " + state)
	if c.r.cfg.Naive && state == rejected && b.step != Payment {
		c.r.w.Emit(trace.Event{Kind: trace.Note, Actor: OrderService, Msg: d.TraceMsg(),
			Note: key + " REJECTED, but no one undoes the steps before " + steps[b.step].name,
			Why: "Without a saga no service listens for the failure news: " + b.cause + ", yet what the " +
				"earlier steps committed stays — a customer charged, stock held for ever."})
	}
	d.Ack()
}
