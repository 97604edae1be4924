package claimcheck

import (
	"errors"
	"math/rand/v2"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// run is one simulation: what the shop, the store and billing share.
type run struct {
	cfg    Config
	s      *patterns.Sim
	w      *sim.World
	q      *broker.Queue
	store  *blobStore
	shop   *sim.Actor
	claims *Claims // the checks

	sizes, work *rand.Rand
	arrivals    *patterns.Arrivals

	// inHand are the orders the shop has placed and not yet got onto the
	// broker (or lost), oldest first: its own database of orders, which a
	// crash does not lose. After a restart it tries each again.
	inHand []*order
}

// order is one order the shop is getting onto the broker.
type order struct {
	n    int
	size int64 // the attachment's
	try  int
	msg  trace.Msg
}

// claim is what a claim-check message carries instead of the attachment.
type claim struct {
	key  string
	size int64
}

// Run simulates the scenario, sending every event to out (which may be
// nil), and returns the report that closes the trace. The receiver must be
// valid.
func (c Config) Run(common patterns.Common, out trace.Sink) *trace.Report {
	c.Common = common
	return newRun(c, out).finish()
}

// newRun sets the scenario up and runs it to its end.
func newRun(c Config, out trace.Sink) *run {
	claims := NewClaims()
	s := patterns.StartOwnChecks(Name, c.Common, c.Params(), claims, out)
	r := &run{cfg: c, s: s, w: s.World, claims: claims,
		sizes: s.World.Rand("sizes"), work: s.World.Rand("work")}
	r.shop = r.w.Actor(Shop)
	if c.ClaimCheck {
		r.store = newStore(r.w, c.StoreLatency, c.BlobTTL)
	}
	s.Broker.SetMaxMessageSize(c.MaxMessageSize)
	s.Broker.Outage(c.BrokerDown)
	r.q = s.Broker.Queue(Queue, broker.QueueOptions{})
	for i := 1; i <= c.Consumers; i++ {
		a := r.w.Actor(c.ConsumerName(i))
		r.q.Subscribe(a, broker.ConsumerOptions{Prefetch: 1}, func(d *broker.Delivery) { r.bill(a, d) })
	}
	r.shop.OnRestart(r.retryInHand)
	r.w.ScheduleCrashes(c.Crashes, c.RestartAfter)
	r.arrivals = &patterns.Arrivals{Actor: r.shop, Gap: c.Arrival, Rand: s.World.Rand("arrival"), N: c.Orders,
		Send: r.place, Restarts: c.RestartAfter > 0}
	s.Produce(r.arrivals)
	s.RunIdle(r.done)
	return r
}

// done reports whether nothing is left to happen once the broker is idle
// (see Sim.RunIdle): every order placed is on the broker or lost and the
// store has nothing due.
func (r *run) done() bool {
	shopDone := r.arrivals.Done() && (len(r.inHand) == 0 || !r.shop.Up() && r.cfg.RestartAfter == 0)
	return shopDone && (r.store == nil || r.store.busy == 0)
}

// finish emits the summary and returns the report.
func (r *run) finish() *trace.Report {
	return r.s.Finish(patterns.Ending{Tables: r.claims.Tables(), Verdicts: r.claims.Verdicts(r.w.Stopped())})
}

// place takes the n-th order: its attachment's size is drawn, and the shop
// gets it onto the broker.
func (r *run) place(n int) {
	o := &order{n: n, size: r.cfg.Size.Sample(r.sizes),
		msg: trace.Msg{ID: OrderID(n), Type: "PlaceOrder", Class: trace.Command, Key: patterns.OrderKey(n)}}
	r.inHand = append(r.inHand, o)
	r.submit(o)
}

// submit makes one try at getting o onto the broker: with the claim check,
// a put of the attachment and then the claim; otherwise the order with its
// attachment inline.
func (r *run) submit(o *order) {
	o.try++
	if !r.cfg.claims(o.size) {
		m := &broker.Message{Msg: o.msg}
		m.Size = o.size + Envelope
		r.sent(o, r.q.Send(Shop, m))
		return
	}
	key := BlobKey(o.n, o.try)
	r.store.put(r.shop, key, o.size, o.msg, func() {
		m := &broker.Message{Msg: o.msg, Body: claim{key: key, size: o.size}}
		m.Size = Envelope
		err := r.q.Send(Shop, m)
		if err != nil {
			r.w.Emit(trace.Event{Kind: trace.Note, Actor: Shop, Msg: o.msg,
				Note: key + " stays in the store with nothing referring to it: an orphan"})
		} else if r.cfg.bug == bugDeleteEarly {
			r.store.remove(key, "deleted by the shop once the claim was sent")
		}
		r.sent(o, err)
	})
}

// sent ends a try: the order is on the broker, lost for its size, or tried
// again once the broker may be back.
func (r *run) sent(o *order, err error) {
	if errors.Is(err, broker.ErrUnreachable) {
		r.w.After(SendRetry, r.shop, func() { r.submit(o) })
		return
	}
	for i, x := range r.inHand {
		if x == o {
			r.inHand = append(r.inHand[:i], r.inHand[i+1:]...)
			break
		}
	}
}

// retryInHand tries again, after a restart, every order the shop had not
// got onto the broker when it crashed.
func (r *run) retryInHand() {
	for _, o := range r.inHand {
		r.w.Emit(trace.Event{Kind: trace.Note, Actor: Shop, Msg: o.msg,
			Note: "back up: " + o.msg.Key + " was never sent, so the shop tries it again"})
		r.submit(o)
	}
}

// bill handles one order: it fetches the attachment when the message is a
// claim, works, acks, and cleans the blob up when asked to.
func (r *run) bill(a *sim.Actor, d *broker.Delivery) {
	cl, ok := d.Msg.Body.(claim)
	if !ok {
		r.w.After(r.cfg.Work.Sample(r.work), a, func() {
			d.Handle("billed " + d.Msg.Key + " with its " + trace.FormatBytes(d.Msg.Size-Envelope) + " attachment inline")
			d.Ack()
		})
		return
	}
	r.store.get(a, cl.key, func(b *blob, gone string, took time.Duration) {
		if b == nil {
			d.Nack(false, "broken reference: "+cl.key+" is gone ("+gone+")")
			return
		}
		r.w.Emit(trace.Event{Kind: trace.Fetch, Actor: a.Name, To: Store, Msg: d.TraceMsg(), Took: took,
			Note: cl.key + " (" + trace.FormatBytes(cl.size) + ")"})
		r.w.After(r.cfg.Work.Sample(r.work), a, func() {
			d.Handle("billed " + d.Msg.Key)
			d.Ack()
			if r.cfg.Cleanup == OnAck {
				r.store.remove(cl.key, "billing is done with it")
			}
		})
	})
}
