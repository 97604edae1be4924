package partition

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// The message types of an order's life.
const (
	PlaceOrder = "PlaceOrder"    // a shop asks its node to take an order
	Accepted   = "OrderAccepted" // the order is taken: the customer is told so
	Refused    = "OrderRefused"  // the cluster cannot take it now (no quorum, paused)
	SoldOut    = "SoldOut"       // the stock is gone, as the answering node sees it
)

// local is the one-way latency within a site.
const local = time.Millisecond

// entry is one order in a node's log; an entry with no order is a new
// leader's no-op, which lets it commit what earlier terms left.
type entry struct {
	o    *order // nil for a no-op
	term int
}

// order is one customer's order, from the moment it reaches its shop.
type order struct {
	n           int
	site        int
	at          time.Duration // when it reached the shop
	took        time.Duration // when a node first put it in its log
	done        bool          // the customer has an answer, or was asked to try later
	taken       bool          // the customer was told it is accepted
	compensated bool
	tries       int
	dropped     bool // discarded by a reconciliation
}

// run is one simulation.
type run struct {
	cfg    Config
	s      *patterns.Sim
	w      *sim.World
	net    *sim.Net
	nodes  []*node
	shops  [2]*sim.Actor
	checks *Checks

	lat, elect *rand.Rand

	waiting map[int]*order     // orders not answered yet, by number
	held    check.Dense[uint8] // by order number: bit i, node i+1 has it in its log (MaxNodes ≤ 8)
	sent    int
	inAir   int // replication messages on the way (ap)
}

// Run simulates the scenario, sending every event to out (which may be
// nil), and returns the report that closes the trace. The receiver must be
// valid.
func (c Config) Run(common patterns.Common, out trace.Sink) *trace.Report {
	c.Common = common
	checks := NewChecks()
	s := patterns.StartOwnChecks(Name, c.Common, c.Params(), checks, out)
	r := &run{cfg: c, s: s, w: s.World, net: sim.NewNet(s.World), checks: checks,
		lat: s.World.Rand("latency"), elect: s.World.Rand("election"), waiting: map[int]*order{}}
	for site, name := range []string{"shop-a", "shop-b"} {
		r.shops[site] = r.w.Actor(name)
		r.net.Attach(name, c.siteNodes(site)[0])
	}
	for i := 1; i <= c.Nodes; i++ {
		r.nodes = append(r.nodes, newNode(r, i))
	}
	for _, cut := range c.cuts() {
		r.net.Cut(cut, func() { r.healed(cut) })
	}
	r.w.ScheduleCrashes(c.Crashes, c.RestartAfter)
	for _, n := range r.nodes {
		n.start()
	}
	arrivals := &patterns.Arrivals{Gap: c.Arrival, Rand: r.w.Rand("arrival"), N: c.Orders, Send: r.place}
	arrivals.Start(r.w)
	s.Run(func() bool { return arrivals.Done() && len(r.waiting) == 0 && r.net.Over() && r.settled() })
	return s.Finish(patterns.Ending{OwnTables: true, Tables: checks.Tables(), Verdicts: checks.Verdicts(r.w.Stopped())})
}

// place has the order n arrive at its site's shop.
func (r *run) place(n int) {
	r.sent = n
	o := &order{n: n, site: (n + 1) % 2, at: r.w.Now()}
	r.waiting[n] = o
	r.try(o)
	r.w.After(patience*r.cfg.ElectionTimeout, r.shops[o.site], func() { r.giveUp(o) })
}

// patience is how many election timeouts a shop tries an order for before
// it asks the customer to come back later; it tries again one election
// timeout after each refusal.
const patience = 4

// try sends order o to the first node of its site that is up, or else
// to the first node up that the shop can reach in the other site.
func (r *run) try(o *order) {
	shop := r.shops[o.site]
	o.tries++
	msg := orderMsg(o.n, PlaceOrder, trace.Command)
	msg.Attempt = o.tries
	to := r.entry(o.site)
	if to == nil {
		r.w.Emit(trace.Event{Kind: trace.Send, Actor: shop.Name, Msg: msg, Note: "no node it can reach is up"})
		r.answer(nil, o, Refused, "no node it can reach is up")
		return
	}
	e := trace.Event{Kind: trace.Send, Actor: shop.Name, To: to.name, Msg: msg}
	if o.tries > 1 {
		e.Note = "try " + strconv.Itoa(o.tries)
	}
	r.w.Emit(e)
	d := local
	if to.site != o.site {
		d = r.cfg.Latency.Sample(r.lat)
	}
	r.w.After(d, to.a, func() { to.take(o, 0) })
}

// entry returns the node site's shop sends to: the first of its site that
// is up, else the first up node of the other site it can reach; nil when
// there is none.
func (r *run) entry(site int) *node {
	for _, s := range []int{site, 1 - site} {
		for _, name := range r.cfg.siteNodes(s) {
			if n := r.node(name); n.a.Up() && r.net.Reachable(r.shops[site].Name, name) {
				return n
			}
		}
	}
	return nil
}

// giveUp tells the customer of an order not taken in time to come back
// later.
func (r *run) giveUp(o *order) {
	if o.done {
		return
	}
	o.done = true
	delete(r.waiting, o.n)
	r.w.Progress()
	r.w.Emit(trace.Event{Kind: trace.Timeout, Actor: r.shops[o.site].Name, Msg: orderMsg(o.n, PlaceOrder, trace.Command),
		Note: "not taken in " + trace.FormatDuration(patience*r.cfg.ElectionTimeout) + ": the customer is asked to come back later"})
}

// answer tells the shop of order o the outcome, from node from (nil: the
// shop itself). A refused order is tried again after an election timeout
// while the shop's patience lasts. An acceptance that comes after the shop
// gave up is still told: the order is taken after all.
func (r *run) answer(from *node, o *order, typ, note string) {
	if o.taken || (o.done && typ != Accepted) {
		return
	}
	shop := r.shops[o.site].Name
	if from != nil && !r.net.Reachable(from.name, shop) {
		return // the answer cannot cross the partition: the shop tries again or gives up
	}
	if o.done {
		note += ", after all"
	}
	e := trace.Event{Kind: trace.Response, Actor: shop, To: shop, Msg: orderMsg(o.n, typ, trace.Reply), Note: note}
	if from != nil {
		e.Actor = from.name
	}
	r.w.Emit(e)
	if typ == Refused {
		if r.w.Now()+r.cfg.ElectionTimeout < o.at+patience*r.cfg.ElectionTimeout {
			r.w.After(r.cfg.ElectionTimeout, r.shops[o.site], func() {
				if !o.done {
					r.try(o)
				}
			})
		}
		return
	}
	o.done, o.taken = true, typ == Accepted
	delete(r.waiting, o.n)
	r.w.Progress()
}

// orderMsg returns the message of order n with type typ.
func orderMsg(n int, typ string, class trace.Class) trace.Msg {
	return trace.Msg{ID: OrderID(n), Type: typ, Class: class, Key: patterns.OrderKey(n)}
}

func siteName(site int) string { return string(rune('A' + site)) }

// node returns the node called name.
func (r *run) node(name string) *node {
	i, _ := strconv.Atoi(name[len("node-"):])
	return r.nodes[i-1]
}

// deliver sends a message from one node to another: it arrives after the
// latency between their sites, unless the network cuts them apart when it
// leaves or when it arrives, or the receiver is down. It reports whether
// the message left.
func (r *run) deliver(from, to *node, fn func()) bool {
	if !r.net.Reachable(from.name, to.name) {
		return false
	}
	d := local
	if from.site != to.site {
		d = r.cfg.Latency.Sample(r.lat)
	}
	r.inAir++
	r.w.After(d, nil, func() {
		r.inAir--
		if to.a.Up() && r.net.Reachable(from.name, to.name) {
			fn()
		}
	})
	return true
}

// majority returns how many nodes make a majority.
func (r *run) majority() int { return r.cfg.Nodes/2 + 1 }

// settled reports whether the replicas have nothing left to exchange.
func (r *run) settled() bool {
	if r.cfg.Mode == CP {
		return r.raftSettled()
	}
	return r.inAir == 0
}
