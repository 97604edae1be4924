package partition

import (
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// role is what a node is in its term (cp mode).
type role uint8

const (
	follower role = iota
	candidate
	leader
)

// node is one broker node holding a replica of the order log.
type node struct {
	r    *run
	a    *sim.Actor
	name string
	idx  int // from 0
	site int

	log    []entry
	orders int           // orders in the log, against the stock
	tick   func()        // n.onTick, made once
	every  time.Duration // the tick

	// cp: a Raft-like term and vote model
	role     role
	term     int
	votedFor string
	leader   string
	commit   int
	heard    time.Duration // the last word from a leader, or a vote given
	leaderAt time.Duration // the last word from a leader
	timeout  time.Duration // how long to wait for the leader this time
	round    int           // the pre-vote or election round, so stale answers are ignored
	votes    int
	next     []int // leader: the next entry to send each node
	match    []int // leader: how much of the log each node is known to have
	shown    []int // leader: how far the trace showed entries sent to each node
	ackedAt  []time.Duration
}

func newNode(r *run, i int) *node {
	n := &node{r: r, a: r.w.Actor(NodeName(i)), name: NodeName(i), idx: i - 1, site: r.cfg.siteOf(i),
		every: r.cfg.ElectionTimeout / 5, term: 1, leader: NodeName(1)}
	n.tick = n.onTick
	nodes := r.cfg.Nodes
	n.next, n.match, n.shown, n.ackedAt = make([]int, nodes), make([]int, nodes), make([]int, nodes), make([]time.Duration, nodes)
	n.a.OnRestart(func() {
		n.role, n.leader, n.heard = follower, "", r.w.Now()
		n.newTimeout()
		if r.cfg.Mode == CP {
			r.w.After(n.every, n.a, n.tick)
		} else {
			r.syncTo(n)
		}
	})
	return n
}

// start begins the node's life: in cp mode node-1 leads term 1, and each
// node ticks to send heartbeats or notice a silent leader.
func (n *node) start() {
	if n.r.cfg.Mode != CP {
		return
	}
	n.newTimeout()
	n.r.w.At(0, n.a, func() {
		if n.idx == 0 {
			n.role = leader
			for i := range n.next {
				n.next[i] = 1
			}
			n.r.w.Emit(trace.Event{Kind: trace.Leader, Actor: n.name, Note: "leads term 1: the cluster starts with it"})
		}
		n.r.w.After(n.every, n.a, n.tick)
	})
}

// take handles order o arriving from its shop (hops counts forwards).
func (n *node) take(o *order, hops int) {
	if n.r.cfg.Mode == CP {
		n.cpTake(o, hops)
	} else {
		n.apTake(o)
	}
}

// appendOrder puts o at the end of the node's log.
func (n *node) appendOrder(o *order, term int) {
	n.log = append(n.log, entry{o: o, term: term})
	if o != nil {
		n.orders++
		*n.r.held.At(o.n) |= n.bit()
		if o.took == 0 {
			o.took = n.r.w.Now()
		}
	}
}

// bit is the node's bit in run.held.
func (n *node) bit() uint8 { return 1 << n.idx }

// has reports whether order m is in the node's log.
func (n *node) has(m int) bool {
	h := n.r.held.Get(m)
	return h != nil && *h&n.bit() != 0
}

// release notes that order m left the node's log.
func (n *node) release(m int) {
	if h := n.r.held.Get(m); h != nil {
		*h &^= n.bit()
	}
}

// peers calls fn with every other node.
func (n *node) peers(fn func(p *node)) {
	for _, p := range n.r.nodes {
		if p != n {
			fn(p)
		}
	}
}

// reach counts the nodes n reaches now, itself included.
func (n *node) reach() int {
	c := 1
	n.peers(func(p *node) {
		if n.r.net.Reachable(n.name, p.name) {
			c++
		}
	})
	return c
}

// emit emits an event by the node about order o.
func (n *node) emit(k trace.Kind, to string, o *order, note string) {
	n.r.w.Emit(trace.Event{Kind: k, Actor: n.name, To: to, Msg: orderMsg(o.n, PlaceOrder, trace.Command), Note: note})
}
