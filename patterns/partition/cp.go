package partition

import (
	"slices"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// quorumWait is how many election timeouts a leader goes on without
// hearing from a majority before it steps down (Raft's CheckQuorum).
const quorumWait = 2

// maxBatch bounds the entries one append message carries.
const maxBatch = 64

// appendReq is Raft's AppendEntries: the leader's entries after prev, and
// how far it has committed. An empty one is a heartbeat.
type appendReq struct {
	term, prev, prevTerm, commit int
	from                         *node
	entries                      []entry
}

// voteReq asks for a vote (or, pre, whether one would be given).
type voteReq struct {
	term, lastIdx, lastTerm, round int
	from                           *node
	pre                            bool
}

// newTimeout draws how long the node waits for its leader this time:
// from one to two election timeouts, so nodes rarely stand at once.
func (n *node) newTimeout() {
	e := n.r.cfg.ElectionTimeout
	n.timeout = e + time.Duration(n.r.elect.Int64N(int64(e)))
}

// lastTerm returns the term of the node's last entry.
func (n *node) lastTerm() int {
	if len(n.log) == 0 {
		return 0
	}
	return n.log[len(n.log)-1].term
}

// onTick is the node's heartbeat: a leader sends every node what it lacks
// and steps down when no majority answered for an election timeout; a
// follower that heard nothing for its timeout asks for a vote.
func (n *node) onTick() {
	now := n.r.w.Now()
	if n.role == leader {
		heard := 1
		n.peers(func(p *node) {
			if now-n.ackedAt[p.idx] < quorumWait*n.r.cfg.ElectionTimeout {
				heard++
			}
		})
		if heard < n.r.majority() {
			n.stepDown(n.term, "no majority answered for "+trace.FormatDuration(quorumWait*n.r.cfg.ElectionTimeout)+
				" (it hears "+strconv.Itoa(heard)+" of "+strconv.Itoa(n.r.cfg.Nodes)+")")
		} else {
			n.peers(n.sendAppend)
		}
	} else if now-n.heard >= n.timeout {
		n.heard = now
		n.newTimeout()
		n.preVote()
	}
	n.r.w.After(n.every, n.a, n.tick)
}

// cpTake handles an order in cp mode: the leader appends it and waits for
// a majority; a follower forwards it to a leader it can reach; otherwise
// the order is refused — no quorum.
func (n *node) cpTake(o *order, hops int) {
	r := n.r
	switch {
	case n.role == leader:
		if n.orders >= r.cfg.Stock && r.cfg.bug != bugNoStock {
			r.answer(n, o, SoldOut, "sold out: "+strconv.Itoa(n.orders)+" of "+strconv.Itoa(r.cfg.Stock)+" in the log")
			return
		}
		n.appendOrder(o, n.term)
		n.emit(trace.Handle, "", o, "appends entry "+strconv.Itoa(len(n.log))+" (term "+
			strconv.Itoa(n.term)+"), waits for a majority")
		if r.cfg.bug == bugAckEarly {
			r.answer(n, o, Accepted, "accepted at once")
		}
		n.peers(n.sendAppend)
	case n.leader != "" && n.leader != n.name && hops < 2 && r.w.Now()-n.heard < r.cfg.ElectionTimeout &&
		n.forward(o, hops):
		// forwarded to the leader, which answers
	default:
		why := "no quorum: " + n.name + " knows no leader it can reach"
		if k := n.reach(); k < r.majority() {
			why = "no quorum: " + n.name + " reaches " + strconv.Itoa(k) + " of " + strconv.Itoa(r.cfg.Nodes) + " nodes"
		}
		r.answer(n, o, Refused, why)
	}
}

// forward sends order o on to the leader the node knows, and reports
// whether it left.
func (n *node) forward(o *order, hops int) bool {
	to := n.r.node(n.leader)
	return n.r.deliver(n, to, func() { to.cpTake(o, hops+1) })
}

// sendAppend sends p the entries it lacks (at most maxBatch), or a
// heartbeat, showing each entry the trace has not shown going to p.
func (n *node) sendAppend(p *node) {
	r := n.r
	prev := n.next[p.idx] - 1
	if r.cfg.bug == bugNoCatchUp {
		prev = max(prev, len(n.log)-1) // only ever the newest entry
	}
	end := min(len(n.log), prev+maxBatch)
	req := &appendReq{term: n.term, prev: prev, commit: n.commit, from: n, entries: slices.Clone(n.log[prev:end])}
	if prev > 0 {
		req.prevTerm = n.log[prev-1].term
	}
	if !r.deliver(n, p, func() { p.onAppend(req) }) {
		n.shown[p.idx] = min(n.shown[p.idx], n.match[p.idx])
		return
	}
	for i := max(prev, n.shown[p.idx]); i < end; i++ {
		if e := n.log[i]; e.o != nil {
			r.w.Emit(trace.Event{Kind: trace.Replicate, Actor: n.name, To: p.name,
				Msg:  orderMsg(e.o.n, PlaceOrder, trace.Command),
				Note: "entry " + strconv.Itoa(i+1) + " of term " + strconv.Itoa(e.term)})
		}
	}
	n.shown[p.idx] = max(n.shown[p.idx], end)
}

// onAppend is a follower taking a leader's entries.
func (n *node) onAppend(req *appendReq) {
	r := n.r
	from := req.from
	if req.term < n.term {
		r.deliver(n, from, func() { from.onAppended(n, n.term, false, 0) })
		return
	}
	if req.term > n.term || n.role != follower {
		n.stepDown(req.term, from.name+" leads term "+strconv.Itoa(req.term))
	}
	n.leader, n.heard, n.leaderAt = from.name, r.w.Now(), r.w.Now()
	if req.prev > len(n.log) || (req.prev > 0 && n.log[req.prev-1].term != req.prevTerm) {
		has := min(len(n.log), req.prev-1)
		r.deliver(n, from, func() { from.onAppended(n, req.term, false, has) })
		return
	}
	for i, e := range req.entries {
		at := req.prev + i // the entry's place in the log, from 0
		if at < len(n.log) {
			if n.log[at].term == e.term {
				continue
			}
			n.truncate(at, from.name, req.term)
		}
		n.appendOrder(e.o, e.term)
		if e.o != nil {
			n.emit(trace.Ack, from.name, e.o, "has entry "+strconv.Itoa(at+1))
		}
	}
	match := req.prev + len(req.entries)
	n.commit = max(n.commit, min(req.commit, match))
	r.deliver(n, from, func() { from.onAppended(n, req.term, true, match) })
}

// truncate drops the node's entries from at on: they were never committed,
// and the leader's log has others in their place.
func (n *node) truncate(at int, by string, term int) {
	for _, e := range n.log[at:] {
		if e.o == nil {
			continue
		}
		n.orders--
		n.release(e.o.n)
		n.r.w.Emit(trace.Event{Kind: trace.Rollback, Actor: n.name, Msg: orderMsg(e.o.n, PlaceOrder, trace.Command),
			Note: "drops it from its log: it never reached a majority; " + by + "'s term " +
				strconv.Itoa(term) + " log wins",
			Why: "An entry that never reached a majority was never acknowledged: dropping it loses nothing anyone was promised."})
	}
	clear(n.log[at:])
	n.log = n.log[:at]
}

// onAppended is the leader learning what p has.
func (n *node) onAppended(p *node, term int, ok bool, has int) {
	if term > n.term {
		n.stepDown(term, p.name+" is at term "+strconv.Itoa(term))
		return
	}
	if n.role != leader || term != n.term {
		return
	}
	n.ackedAt[p.idx] = n.r.w.Now()
	if !ok {
		if n.r.cfg.bug == bugNoCatchUp {
			return // never backs up to send the follower what it missed
		}
		n.next[p.idx] = max(1, has+1)
		n.shown[p.idx] = min(n.shown[p.idx], n.next[p.idx]-1)
		n.sendAppend(p)
		return
	}
	n.match[p.idx] = max(n.match[p.idx], has)
	n.next[p.idx] = n.match[p.idx] + 1
	n.advance()
	if n.match[p.idx] < len(n.log) && n.next[p.idx]-1 >= n.shown[p.idx] {
		n.sendAppend(p)
	}
}

// advance commits what a majority has, and tells the shops.
func (n *node) advance() {
	r := n.r
	for top := len(n.log); top > n.commit; top-- {
		if n.log[top-1].term != n.term {
			break // only an entry of its own term commits, and with it those before
		}
		holders := n.holders(top)
		if holders < r.majority() {
			continue
		}
		for i := n.commit; i < top; i++ {
			if o := n.log[i].o; o != nil {
				r.answer(n, o, Accepted, "accepted: on "+strconv.Itoa(n.holders(i+1))+" of "+
					strconv.Itoa(r.cfg.Nodes)+" nodes")
			}
		}
		n.commit = top
		return
	}
}

// holders counts the nodes known to have entry i (from 1), the leader too.
func (n *node) holders(i int) int {
	c := 1
	n.peers(func(p *node) {
		if n.match[p.idx] >= i {
			c++
		}
	})
	return c
}

// stepDown makes the node a follower at term, telling why when it led; a
// leader that steps down refuses the orders still waiting for a majority.
func (n *node) stepDown(term int, why string) {
	if n.role == leader {
		n.r.w.Emit(trace.Event{Kind: trace.Leader, Actor: n.name, Note: "steps down: " + why})
		for _, e := range n.log[n.commit:] {
			if e.o != nil {
				n.r.answer(n, e.o, Refused, "no quorum: "+n.name+" stepped down before it knew a majority had it")
			}
		}
	}
	if term > n.term {
		n.term, n.votedFor, n.leader = term, "", ""
	}
	n.role = follower
	n.heard = n.r.w.Now()
}

// preVote asks the others whether they would vote for the node, without
// raising its term: a node cut off from the majority keeps asking quietly
// and cannot disrupt the cluster when it comes back (Raft's pre-vote).
func (n *node) preVote() {
	n.round++
	n.votes = 1
	req := &voteReq{term: n.term + 1, lastIdx: len(n.log), lastTerm: n.lastTerm(), round: n.round, from: n, pre: true}
	n.peers(func(p *node) { n.r.deliver(n, p, func() { p.onVote(req) }) })
}

// campaign stands for leader of the next term.
func (n *node) campaign() {
	r := n.r
	n.term++
	n.role, n.votedFor, n.leader, n.votes = candidate, n.name, "", 1
	n.round++
	n.heard = r.w.Now()
	r.w.Emit(trace.Event{Kind: trace.Elect, Actor: n.name, Note: "stands for leader of term " + strconv.Itoa(n.term) +
		": no word from a leader since " + trace.FormatDuration(n.leaderAt)})
	req := &voteReq{term: n.term, lastIdx: len(n.log), lastTerm: n.lastTerm(), round: n.round, from: n}
	n.peers(func(p *node) { r.deliver(n, p, func() { p.onVote(req) }) })
}

// onVote answers a (pre-)vote request.
func (n *node) onVote(req *voteReq) {
	r := n.r
	upToDate := req.lastTerm > n.lastTerm() || (req.lastTerm == n.lastTerm() && req.lastIdx >= len(n.log))
	var grant bool
	if req.pre {
		quiet := n.role != leader && (n.leader == "" || r.w.Now()-n.heard >= r.cfg.ElectionTimeout)
		grant = req.term > n.term && quiet && upToDate
	} else {
		if req.term > n.term {
			n.stepDown(req.term, req.from.name+" stands for term "+strconv.Itoa(req.term))
		}
		grant = req.term == n.term && (n.votedFor == "" || n.votedFor == req.from.name) && upToDate
		if grant {
			n.votedFor, n.heard = req.from.name, r.w.Now()
			r.w.Emit(trace.Event{Kind: trace.Elect, Actor: n.name, To: req.from.name,
				Note: "votes for " + req.from.name + " in term " + strconv.Itoa(req.term)})
		}
	}
	term := n.term
	r.deliver(n, req.from, func() { req.from.onVoted(req, term, grant) })
}

// onVoted counts an answer to the node's (pre-)vote request.
func (n *node) onVoted(req *voteReq, term int, granted bool) {
	if term > n.term {
		n.stepDown(term, "term "+strconv.Itoa(term)+" has begun")
		return
	}
	if !granted || req.round != n.round {
		return
	}
	if req.pre && n.role == follower {
		if n.votes++; n.votes == n.r.majority() {
			n.campaign()
		}
	} else if !req.pre && n.role == candidate && req.term == n.term {
		if n.votes++; n.votes == n.r.majority() {
			n.lead()
		}
	}
}

// lead makes the node the leader of its term: it appends a no-op so that
// what earlier terms left commits with it.
func (n *node) lead() {
	r := n.r
	n.role, n.leader = leader, n.name
	r.w.Emit(trace.Event{Kind: trace.Leader, Actor: n.name, Note: "leads term " + strconv.Itoa(n.term) +
		": votes from " + strconv.Itoa(n.votes) + " of " + strconv.Itoa(r.cfg.Nodes) + " nodes"})
	now := r.w.Now()
	for i := range n.next {
		n.next[i], n.match[i], n.shown[i], n.ackedAt[i] = len(n.log)+1, 0, len(n.log), now
	}
	n.appendOrder(nil, n.term)
	n.peers(n.sendAppend)
}

// raftSettled reports whether some leader is up and every node it can
// reach that is up holds its whole log, committed; or whether no majority
// is up, so nothing more can happen.
func (r *run) raftSettled() bool {
	up := 0
	for _, n := range r.nodes {
		if n.a.Up() {
			up++
		}
	}
	if up < r.majority() {
		return true
	}
	for _, n := range r.nodes {
		if n.role != leader || !n.a.Up() || n.commit < len(n.log) {
			continue
		}
		ok := true
		n.peers(func(p *node) {
			if p.a.Up() && (p.role != follower || len(p.log) != len(n.log) || p.lastTerm() != n.lastTerm()) {
				ok = false
			}
		})
		if ok {
			return true
		}
	}
	return false
}
