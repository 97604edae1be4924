package ordering

import (
	"cmp"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// logMode carries the events on a partitioned log, as Kafka does: the
// order service publishes each event to the partition its key hashes to;
// a consumer group gives each partition to exactly one consumer, which
// takes its records in offset order and commits how far it got. When
// consumers join, leave or die the coordinator rebalances: the group
// pauses, partitions move, and a moved partition resumes from its last
// committed offset — replaying what was handled but not yet committed.
type logMode struct {
	r       *run
	parts   []*partition
	members []*member // in name order: the first consumers, then those that join
	retry   *retrier

	gen         int
	rebalancing bool
	pauseOver   bool
	startedAt   time.Duration
	pending     []string // reasons for a rebalance asked for while one was under way
}

// partition is one partition of the log and its place in the group.
type partition struct {
	idx         int
	name        string
	recs        []*record // the records from offset base on
	base        int64
	committed   int64
	pos         int64 // the owner's position: the next offset it takes
	handledUpTo int64 // one past the highest offset ever handled: below it, a delivery is a replay
	owner       *member
	next        *member // the owner it gets when the rebalance under way completes
	revoked     bool    // taken from its owner for a rebalance under way
	replayed    int
}

func (p *partition) end() int64           { return p.base + int64(len(p.recs)) }
func (p *partition) at(off int64) *record { return p.recs[off-p.base] }

// trim forgets the records below the committed offset: no one will read
// them again.
func (p *partition) trim() {
	if n := p.committed - p.base; n > 0 {
		clear(p.recs[:n])
		p.recs = p.recs[n:]
		p.base = p.committed
	}
}

// member is one consumer of the group.
type member struct {
	lm      *logMode
	name    string
	actor   *sim.Actor
	inGroup bool
	owned   []*partition
	rr      int

	cur        *record // the record being handled, or nil
	curPart    *partition
	curOff     int64
	started    time.Duration
	blocked    *partition // waiting to retry a failed record of this partition
	blockedRec *record
	blockedOff int64
	timerSet   bool

	handled, replays int
	crashes          int
	busy             time.Duration
	finishFn         func()
	commitFn         func()
}

func newLog(r *run) *logMode {
	lm := &logMode{r: r}
	w := r.w
	for i := 0; i < r.cfg.Partitions; i++ {
		name := PartitionName(i)
		w.Actor(name)
		lm.parts = append(lm.parts, &partition{idx: i, name: name})
	}
	w.Actor(Coordinator)
	add := func(name string, inGroup bool) *member {
		m := &member{lm: lm, name: name, actor: w.Actor(name), inGroup: inGroup}
		m.finishFn = m.finish
		m.commitFn = m.commitTick
		m.actor.Describe(m.describe)
		m.actor.OnCrash(m.crashed)
		m.actor.OnRestart(m.restarted)
		lm.members = append(lm.members, m)
		return m
	}
	for _, name := range r.consumers() {
		add(name, true)
	}
	for _, j := range r.cfg.Joins {
		m := add(j.Consumer, false)
		w.At(j.At, nil, func() {
			if m.actor.Up() {
				m.inGroup = true
				lm.trigger(m.name + " joins")
			}
		})
	}
	sortMembers(lm.members)
	if needsRetrier(r.cfg) {
		lm.retry = newRetrier(r)
	}
	w.At(0, nil, func() { lm.trigger("") })
	return lm
}

// sortMembers puts members in the order of their numbers.
func sortMembers(ms []*member) {
	slices.SortFunc(ms, func(a, b *member) int { return cmp.Compare(consumerNumber(a.name), consumerNumber(b.name)) })
}

// partitionOf returns the partition a key goes to: FNV-1a of the key,
// modulo the number of partitions.
func partitionOf(key string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(n))
}

func (lm *logMode) send(rec *record) {
	w := lm.r.w
	p := lm.parts[partitionOf(rec.Key, len(lm.parts))]
	off := p.end()
	p.recs = append(p.recs, rec)
	note := "offset " + strconv.FormatInt(off, 10)
	if rec.seq == 1 {
		note = "fnv-1a(" + rec.Key + ") mod " + strconv.Itoa(len(lm.parts)) + " = " + strconv.Itoa(p.idx) + " · " + note
	}
	w.Progress()
	w.Emit(trace.Event{Kind: trace.Publish, Actor: Producer, To: p.name, Msg: rec.Msg, Note: note})
	if p.owner != nil {
		p.owner.next()
	}
}

func (lm *logMode) idle() bool {
	if lm.rebalancing || !lm.r.s.Broker.Idle() {
		return false
	}
	for _, m := range lm.members {
		if m.cur != nil || m.blocked != nil {
			return false
		}
	}
	for _, p := range lm.parts {
		if p.committed < p.end() {
			return false
		}
	}
	return true
}

// next starts work on the next record of the member's partitions, taking
// them in turn, when the member is free.
func (m *member) next() {
	if m.cur != nil || !m.actor.Up() || !m.inGroup {
		return
	}
	if p := m.blocked; p != nil {
		if p.owner == m && !p.revoked {
			m.take(p, m.blockedRec, m.blockedOff)
			return
		}
		m.blocked = nil
	}
	n := len(m.owned)
	for i := 0; i < n; i++ {
		p := m.owned[(m.rr+i)%n]
		if p.owner != m || p.revoked || p.pos >= p.end() {
			continue
		}
		m.rr = (m.rr + i + 1) % n
		m.take(p, p.at(p.pos), p.pos)
		return
	}
}

// take delivers the record at offset off of p to the member.
func (m *member) take(p *partition, rec *record, off int64) {
	lm := m.lm
	w := lm.r.w
	rec.deliveries++
	m.cur, m.curPart, m.curOff, m.started = rec, p, off, w.Now()
	note := "offset " + strconv.FormatInt(off, 10)
	if off < p.handledUpTo && m.blocked == nil {
		note += " again (replay: handled, not committed)"
		m.replays++
		p.replayed++
	}
	m.blocked = nil
	msg := rec.Msg
	msg.Attempt = rec.deliveries
	w.Emit(trace.Event{Kind: trace.Deliver, Actor: p.name, To: m.name, Msg: msg, Note: note})
	if lm.r.cfg.Commit == Before && p.committed <= off {
		p.committed = off + 1
		w.Progress()
		w.Emit(trace.Event{Kind: trace.Commit, Actor: m.name, To: p.name, Msg: msg,
			Note: "offset " + strconv.FormatInt(off+1, 10) + " committed before handling (at most once)"})
		p.trim()
	}
	w.After(lm.r.workTime(m.name), m.actor, m.finishFn)
}

// finish ends the member's work on its record: applied, or failed.
func (m *member) finish() {
	lm := m.lm
	r := lm.r
	w := r.w
	rec, p, off := m.cur, m.curPart, m.curOff
	took := w.Now() - m.started
	m.busy += took
	m.cur, m.curPart = nil, nil
	msg := rec.Msg
	msg.Attempt = rec.deliveries
	if r.fails(rec) {
		note := r.failNote(rec)
		if r.cfg.Retry == Park {
			note += parkedNote(p.name)
		} else {
			note += blockedNote(p.name, r)
		}
		w.Emit(trace.Event{Kind: trace.Nack, Actor: m.name, To: p.name, Msg: msg, Took: took, Note: note})
		switch {
		case r.cfg.Retry == Block && (p.owner != m || p.revoked):
			m.dropCommitted(p, rec) // the partition is being taken away: its next owner retries, or skips a committed one
			lm.tryComplete()
			m.next()
			return
		case r.cfg.Retry == Block:
			m.blocked, m.blockedRec, m.blockedOff = p, rec, off
			w.After(r.cfg.RetryBackoff, m.actor, m.retryNow)
			lm.tryComplete()
			return
		}
		lm.retry.park(m.name, rec)
	} else {
		w.Emit(trace.Event{Kind: trace.Handle, Actor: m.name, To: p.name, Msg: msg, Took: took, Note: r.proj.apply(rec)})
		m.handled++
	}
	p.handledUpTo = max(p.handledUpTo, off+1)
	switch {
	case p.owner == m && !p.revoked:
		p.pos = off + 1
		if r.cfg.Commit == After {
			if r.cfg.CommitInterval == 0 {
				m.commit(p)
			} else if !m.timerSet {
				m.timerSet = true
				w.After(r.cfg.CommitInterval, m.actor, m.commitFn)
			}
		}
	case r.cfg.CommitOnRevoke && r.cfg.Commit == After:
		p.pos = off + 1
		m.commit(p) // the revoke callback commits what was handled
	}
	lm.tryComplete()
	m.next()
}

// retryNow ends the backoff of a blocked member: it takes the failed
// record again.
func (m *member) retryNow() {
	if m.blocked != nil && m.cur == nil {
		m.next()
	}
}

// commitTick commits every owned partition's position: the interval of
// auto-commit has passed.
func (m *member) commitTick() {
	m.timerSet = false
	for _, p := range m.owned {
		if p.owner == m && !p.revoked {
			m.commit(p)
		}
	}
}

// commit commits the member's position in p, if it moved.
func (m *member) commit(p *partition) {
	if p.pos <= p.committed {
		return
	}
	w := m.lm.r.w
	last := p.at(p.pos - 1)
	p.committed = p.pos
	w.Progress()
	w.Emit(trace.Event{Kind: trace.Commit, Actor: m.name, To: p.name, Msg: last.Msg,
		Note: "offset " + strconv.FormatInt(p.pos, 10) + " committed"})
	p.trim()
}

// describe tells what the member held, for the note of its crash.
func (m *member) describe() string {
	if !m.inGroup {
		return ""
	}
	held := ""
	if m.cur != nil {
		held = "held " + m.cur.ID + " (working); "
	}
	return held + "the group notices after the " + trace.FormatDuration(m.lm.r.cfg.SessionTimeout) + " session timeout"
}

// crashed drops what the member held. The group does not know yet: it
// learns only when the session timeout passes without a heartbeat.
func (m *member) crashed() {
	lm := m.lm
	r := lm.r
	w := r.w
	if rec := m.cur; rec != nil {
		m.busy += w.Now() - m.started
		m.dropCommitted(m.curPart, rec)
	}
	if m.blocked != nil {
		m.dropCommitted(m.blocked, m.blockedRec)
	}
	m.cur, m.curPart, m.blocked, m.timerSet = nil, nil, nil, false
	for _, p := range m.owned {
		p.pos = p.committed // what it had handled since is forgotten with it
	}
	m.crashes++
	if !m.inGroup {
		return
	}
	timeout, crash := r.cfg.SessionTimeout, m.crashes
	w.After(timeout, nil, func() {
		if !m.actor.Up() && m.inGroup && m.crashes == crash {
			m.inGroup = false
			lm.trigger(m.name + " sent no heartbeat for " + trace.FormatDuration(timeout) + " (session timeout)")
		}
	})
	lm.tryComplete()
}

// dropCommitted tells that rec, whose offset was committed before it was
// handled, is lost now that its consumer lets go of it.
func (m *member) dropCommitted(p *partition, rec *record) {
	if m.lm.r.cfg.Commit != Before {
		return
	}
	msg := rec.Msg
	msg.Attempt = rec.deliveries
	m.lm.r.w.Emit(trace.Event{Kind: trace.Drop, Actor: m.name, To: p.name, Msg: msg,
		Note: "committed before it was handled: no one takes it again",
		Why: "With the offset committed before the work (at most once), a consumer that lets go of " +
			"an event mid-work takes it with it: the next owner starts after it."})
}

func (m *member) restarted() {
	m.inGroup = true
	m.lm.trigger(m.name + " restarted and joins again")
}

// trigger starts a rebalance, or queues one behind the rebalance under way.
func (lm *logMode) trigger(reason string) {
	if lm.rebalancing {
		lm.pending = append(lm.pending, reason)
		return
	}
	lm.start(reason)
}

// start computes the new assignment, takes away the partitions that stop
// and pauses the group.
func (lm *logMode) start(reason string) {
	cfg := &lm.r.cfg
	w := lm.r.w
	lm.gen++
	lm.rebalancing = true
	lm.pauseOver = false
	lm.startedAt = w.Now()
	var group []*member
	for _, m := range lm.members {
		if m.inGroup {
			group = append(group, m)
		}
	}
	assigned := assign(lm.parts, group)
	first := lm.gen == 1
	for i, p := range lm.parts {
		if !first && (cfg.Rebalance == Eager || assigned[i] != p.owner) {
			if o := p.owner; cfg.CommitOnRevoke && cfg.Commit == After && o != nil && o.actor.Up() && o.curPart != p {
				o.commit(p)
			}
		}
		if o := p.owner; o != nil && o.blocked == p && (cfg.Rebalance == Eager || assigned[i] != o) {
			o.dropCommitted(p, o.blockedRec)
			o.blocked = nil
		}
		p.revoked = true
		p.next = assigned[i]
		if !first && cfg.Rebalance == Cooperative && assigned[i] == p.owner {
			p.revoked = false
		}
	}
	var b strings.Builder
	b.WriteString("generation " + strconv.Itoa(lm.gen))
	if reason != "" {
		b.WriteString(" · " + reason)
	}
	b.WriteString(" · " + describeAssignment(lm.parts, group, assigned))
	if !first {
		if cfg.Rebalance == Eager {
			b.WriteString(" · eager: every partition stops")
		} else {
			b.WriteString(" · cooperative: only moving partitions stop")
		}
	}
	w.Emit(trace.Event{Kind: trace.Rebalance, Actor: Coordinator, Note: b.String(), Why: rebalanceWhy})
	if first {
		lm.pauseOver = true
		lm.complete()
		return
	}
	w.After(cfg.RebalancePause, nil, func() {
		lm.pauseOver = true
		lm.tryComplete()
	})
}

const rebalanceWhy = "While a group rebalances, a partition that changes hands is read by no one: " +
	"its old owner must stop before the new one starts, or two consumers would apply its events at once " +
	"and out of order. The new owner starts from the last committed offset."

// tryComplete completes the rebalance under way once its pause is over and
// no consumer is still working on a record of a partition taken from it.
func (lm *logMode) tryComplete() {
	if !lm.rebalancing || !lm.pauseOver {
		return
	}
	for _, m := range lm.members {
		if m.cur != nil && m.curPart.revoked {
			return
		}
	}
	lm.complete()
}

// complete hands the revoked partitions to their new owners, each from its
// committed offset.
func (lm *logMode) complete() {
	w := lm.r.w
	var moved, replayed []string
	for _, p := range lm.parts {
		if !p.revoked {
			continue
		}
		old := p.owner
		p.owner, p.next, p.revoked = p.next, nil, false
		p.pos = p.committed
		if lm.gen == 1 {
			continue
		}
		if old != p.owner {
			moved = append(moved, "p"+strconv.Itoa(p.idx)+" "+memberName(old)+" → "+memberName(p.owner))
		}
		if n := p.handledUpTo - p.committed; n > 0 {
			replayed = append(replayed, "p"+strconv.Itoa(p.idx)+" from offset "+strconv.FormatInt(p.committed, 10)+
				" ("+strconv.FormatInt(n, 10)+")")
		}
	}
	for _, m := range lm.members {
		m.owned = m.owned[:0]
	}
	for _, p := range lm.parts {
		if p.owner != nil {
			p.owner.owned = append(p.owner.owned, p)
		}
	}
	lm.rebalancing = false
	if lm.gen > 1 {
		note := "generation " + strconv.Itoa(lm.gen) + " in effect after " + trace.FormatDuration(w.Now()-lm.startedAt) + " paused"
		if len(moved) > 0 {
			note += " · moved: " + strings.Join(moved, ", ")
		}
		if len(replayed) > 0 {
			note += " · handled, not committed, replayed: " + strings.Join(replayed, ", ")
		}
		w.Emit(trace.Event{Kind: trace.Rebalance, Actor: Coordinator, Note: note})
	}
	if len(lm.pending) > 0 {
		reason := strings.Join(lm.pending, "; ")
		lm.pending = nil
		lm.start(reason)
		return
	}
	for _, m := range lm.members {
		m.next()
	}
}

func memberName(m *member) string {
	if m == nil {
		return "no one"
	}
	return m.name
}

// assign shares the partitions among the group as evenly as it can,
// leaving each partition with its owner where the shares allow (a sticky
// assignment): each member gets ⌊P/N⌋ or ⌈P/N⌉, and members beyond the
// partitions get none.
func assign(parts []*partition, group []*member) []*member {
	res := make([]*member, len(parts))
	if len(group) == 0 {
		return res
	}
	base, extra := len(parts)/len(group), len(parts)%len(group)
	count := map[*member]int{}
	in := map[*member]bool{}
	for _, m := range group {
		in[m] = true
	}
	take := func(i int, m *member) {
		if count[m] == base {
			extra--
		}
		count[m]++
		res[i] = m
	}
	for i, p := range parts {
		if o := p.owner; in[o] && count[o] < base {
			take(i, o)
		}
	}
	for i, p := range parts {
		if o := p.owner; res[i] == nil && in[o] && count[o] == base && extra > 0 {
			take(i, o)
		}
	}
	for i := range parts {
		if res[i] != nil {
			continue
		}
		var best *member
		for _, m := range group {
			if (count[m] < base || (count[m] == base && extra > 0)) && (best == nil || count[m] < count[best]) {
				best = m
			}
		}
		take(i, best)
	}
	return res
}

// describeAssignment writes "consumer-1: p0 p2 · consumer-2: p1 · consumer-5 idle".
func describeAssignment(parts []*partition, group []*member, assigned []*member) string {
	if len(group) == 0 {
		return "no consumer left: every partition waits"
	}
	var items []string
	for _, m := range group {
		var ps []string
		for i, p := range parts {
			if assigned[i] == m {
				ps = append(ps, "p"+strconv.Itoa(p.idx))
			}
		}
		if len(ps) == 0 {
			items = append(items, m.name+" idle")
		} else {
			items = append(items, m.name+": "+strings.Join(ps, " "))
		}
	}
	return strings.Join(items, " · ")
}

func (lm *logMode) ending() patterns.Ending {
	end := lm.r.w.Now()
	ct := trace.Table{Title: "consumers", Columns: []string{"consumer", "partitions", "handled", "replays", "busy"}}
	for _, m := range lm.members {
		var ps []string
		for _, p := range m.owned {
			ps = append(ps, "p"+strconv.Itoa(p.idx))
		}
		owns := strings.Join(ps, " ")
		switch {
		case !m.inGroup:
			owns = "out of the group"
		case len(ps) == 0:
			owns = "idle"
		}
		ct.Rows = append(ct.Rows, []string{m.name, owns, strconv.Itoa(m.handled), strconv.Itoa(m.replays), percent(m.busy, end)})
	}
	pt := trace.Table{Title: "partitions", Columns: []string{"partition", "records", "committed", "replays", "owner"}}
	for _, p := range lm.parts {
		pt.Rows = append(pt.Rows, []string{p.name, strconv.FormatInt(p.end(), 10), strconv.FormatInt(p.committed, 10),
			strconv.Itoa(p.replayed), memberName(p.owner)})
	}
	return patterns.Ending{OwnTables: true, Tables: []trace.Table{ct, pt}}
}

func percent(part, whole time.Duration) string {
	if whole <= 0 {
		return "0%"
	}
	return strconv.Itoa(int(100*part/whole)) + "%"
}
