package partition

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// apTake handles an order in the available modes: the node takes it on
// its own and copies it to the others in the background; under
// pause-minority a node that sees no majority has paused and refuses.
func (n *node) apTake(o *order) {
	r := n.r
	if k := n.reach(); r.cfg.Mode == PauseMinority && k < r.majority() {
		r.answer(n, o, Refused, "paused: "+n.name+" sees "+strconv.Itoa(k)+" of "+strconv.Itoa(r.cfg.Nodes)+
			" nodes, no majority (pause_minority)")
		return
	}
	if n.orders >= r.cfg.Stock && r.cfg.bug != bugNoStock {
		r.answer(n, o, SoldOut, "sold out: "+strconv.Itoa(n.orders)+" of "+strconv.Itoa(r.cfg.Stock)+
			" sold, as "+n.name+" sees it")
		return
	}
	n.appendOrder(o, 0)
	n.emit(trace.Handle, "", o, "takes it on its own: "+strconv.Itoa(n.orders)+" of "+
		strconv.Itoa(r.cfg.Stock)+" sold, as it sees it")
	r.answer(n, o, Accepted, "accepted by "+n.name+" alone; copies follow in the background")
	n.peers(func(p *node) { r.copyTo(n, p, o) })
}

// copyTo sends p a copy of order o from n, shown as a replicate; a copy
// the network or a crash loses is sent again when the partition heals or
// p restarts.
func (r *run) copyTo(n, p *node, o *order) {
	if r.deliver(n, p, func() { p.receive(n, o) }) {
		n.emit(trace.Replicate, p.name, o, "an asynchronous copy")
	}
}

// receive adds a copy of o to the node's log, unless it has it.
func (n *node) receive(from *node, o *order) {
	if n.has(o.n) || o.dropped {
		return
	}
	n.appendOrder(o, 0)
	n.emit(trace.Ack, from.name, o, "has a copy")
}

// holder returns the first node up, other than n, whose log has order m.
func (r *run) holder(n *node, m int) *node {
	for _, p := range r.nodes {
		if p != n && p.a.Up() && p.has(m) {
			return p
		}
	}
	return nil
}

// syncTo sends node n a copy of every order another node has and n lacks.
func (r *run) syncTo(n *node) {
	for _, o := range r.union() {
		if !n.has(o.n) {
			if from := r.holder(n, o.n); from != nil {
				r.copyTo(from, n, o)
			}
		}
	}
}

// union returns the orders some node has, oldest first.
func (r *run) union() []*order {
	seen := map[int]bool{}
	var out []*order
	for _, n := range r.nodes {
		for _, e := range n.log {
			if e.o != nil && !seen[e.o.n] {
				seen[e.o.n] = true
				out = append(out, e.o)
			}
		}
	}
	slices.SortFunc(out, func(a, b *order) int { return cmp.Or(cmp.Compare(a.took, b.took), cmp.Compare(a.n, b.n)) })
	return out
}

// only returns the orders the nodes of side have and no node of other.
func (r *run) only(side, other []string) []*order {
	var out []*order
	for _, o := range r.union() {
		if r.sideHas(side, o.n) && !r.sideHas(other, o.n) {
			out = append(out, o)
		}
	}
	return out
}

func (r *run) sideHas(side []string, m int) bool {
	return slices.ContainsFunc(side, func(name string) bool { return r.node(name).has(m) })
}

// healed reconciles the sides of a cut that just healed (the available
// modes; Raft needs nothing): under last-writer-wins and autoheal, when
// both sides took orders, the losing side's are discarded; then every node
// gets copies of what it lacks; what the stock cannot cover is
// compensated.
func (r *run) healed(cut sim.Cut) {
	if r.cfg.Mode == CP {
		return
	}
	onlyA, onlyB := r.only(cut.A, cut.B), r.only(cut.B, cut.A)
	if len(onlyA) > 0 && len(onlyB) > 0 && (r.cfg.Mode == Autoheal || r.cfg.Reconcile == LastWriterWins && r.cfg.Mode == AP) {
		lose, loser, why := onlyA, cut.A, ""
		if r.cfg.Mode == Autoheal {
			if len(cut.A) > len(cut.B) {
				lose, loser = onlyB, cut.B
			}
			why = "autoheal: the side with fewer nodes (" + strings.Join(loser, ", ") + ") restarts and takes the other's data"
		} else {
			last := func(os []*order) *order {
				return slices.MaxFunc(os, func(a, b *order) int { return cmp.Compare(a.took, b.took) })
			}
			la, lb := last(onlyA), last(onlyB)
			win := lb
			if la.took > lb.took {
				lose, loser, win = onlyB, cut.B, la
			}
			why = "last writer wins: " + OrderID(win.n) + " at " + trace.FormatDuration(win.took) + " was the last write"
		}
		for _, o := range lose {
			r.discard(loser, o, why)
		}
	}
	for _, n := range r.nodes {
		if n.a.Up() {
			r.syncTo(n)
		}
	}
	r.compensate()
}

// discard removes order o from the logs of the nodes of side.
func (r *run) discard(side []string, o *order, why string) {
	o.dropped = true
	var by *node
	for _, name := range side {
		if n := r.node(name); n.has(o.n) {
			if by == nil {
				by = n
			}
			n.release(o.n)
			n.orders--
			n.log = slices.DeleteFunc(n.log, func(e entry) bool { return e.o == o })
		}
	}
	r.w.Emit(trace.Event{Kind: trace.Drop, Actor: by.name, Msg: orderMsg(o.n, PlaceOrder, trace.Command),
		Note: "discarded, though accepted at " + trace.FormatDuration(o.took) + ": " + why,
		Why: "Reconciling keeps one side's version of the log and throws the other side's writes away: " +
			"the customer was told this order was taken."})
}

// compensate refunds, with an apology, the orders the stock cannot cover
// once both sides' orders are merged: the latest ones.
func (r *run) compensate() {
	all := r.union()
	sold := len(all)
	for _, o := range all[min(len(all), r.cfg.Stock):] {
		if o.compensated {
			continue
		}
		o.compensated = true
		r.w.Emit(trace.Event{Kind: trace.Compensate, Actor: r.shops[o.site].Name, Msg: orderMsg(o.n, PlaceOrder, trace.Command),
			Note: "refund and apology: the sides sold " + strconv.Itoa(sold) + " of a stock of " + strconv.Itoa(r.cfg.Stock),
			Why:  "Both sides sold from the same stock while they could not talk: merging keeps every order, so the excess must be undone."})
	}
}
