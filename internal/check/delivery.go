// Package check holds the invariant checks of msgplay. A check reads only
// trace events, so a trace recorded anywhere can be judged the same way,
// and gives a verdict with the evidence: message ids and why.
package check

import (
	"fmt"
	"sort"
	"strings"
	"unsafe"

	"github.com/msgplay/msgplay/internal/trace"
)

// Delivery is a sink that follows the fate of every message put on a queue:
// whether it was handled and acked, dead-lettered, lost or left in flight,
// and how many times its effect was applied. A message is forgotten once
// settled with no delivery still being worked on, so memory follows what is
// in flight.
type Delivery struct {
	queues  []*queueFates // each unsettled message's fate, per queue
	slots   []idFate      // the fates of messages found by id, reused once settled: no allocation per message
	free    []int32       // slots free for reuse
	lastKey fateKey
	last    int32       // slot of the last fate found, or -1
	lastQ   *queueFates // the last queue found by the address of its name,
	lastP   *byte       // which is here,
	lastN   int         // this long (-1 before the first)
	sent    int64
	sendSeq int64

	settled, deadLettered int64
	lost                  Cases // in the order they were lost
	dups                  Cases // handled more than once, in the order sealed
}

type fateKey struct {
	queue *queueFates
	id    string
}

// queueFates holds the fates of a queue's unsettled messages: numbered
// ones in a ring by their number, the others in slots found by their id.
// Queues are few: they are found by a scan.
type queueFates struct {
	name string
	ids  map[string]int32
	nums trace.Numbered[fate]
}

// fates returns the fates of queue, made on first use. The queue of the
// event before is tried first, by the address of its name: most often the
// very string first given, so no bytes are compared.
func (c *Delivery) fates(queue string) *queueFates {
	if unsafe.StringData(queue) == c.lastP && len(queue) == c.lastN {
		return c.lastQ
	}
	return c.findFates(queue)
}

func (c *Delivery) findFates(queue string) *queueFates {
	p := unsafe.StringData(queue)
	for _, q := range c.queues {
		if unsafe.StringData(q.name) == p && len(q.name) == len(queue) {
			c.lastQ, c.lastP, c.lastN = q, p, len(queue)
			return q
		}
	}
	for _, q := range c.queues {
		if q.name == queue {
			c.lastQ, c.lastP, c.lastN = q, p, len(queue)
			return q
		}
	}
	q := &queueFates{name: queue, ids: map[string]int32{}}
	c.queues = append(c.queues, q)
	c.lastQ, c.lastP, c.lastN = q, p, len(queue)
	return q
}

// kept returns how many unsettled messages the check remembers.
func (c *Delivery) kept() int {
	n := 0
	for _, q := range c.queues {
		n += len(q.ids) + q.nums.Len()
	}
	return n
}

// getByID finds the fate of a message by its id. The events of one
// message tend to come together, so the last fate found is tried first.
func (c *Delivery) getByID(q *queueFates, m *trace.Msg) *fate {
	k := fateKey{q, m.ID}
	if c.last >= 0 && c.lastKey == k {
		return &c.slots[c.last].fate
	}
	i, ok := q.ids[m.ID]
	if !ok {
		return nil
	}
	c.lastKey, c.last = k, i
	return &c.slots[i].fate
}

// add makes the fate of message m, first sent to q now, and returns it:
// empty, to be filled in (see made).
func (c *Delivery) add(q *queueFates, m *trace.Msg) *fate {
	if m.Num > 0 {
		return q.nums.Hold(m.Num)
	}
	var i int32
	if n := len(c.free); n > 0 {
		i = c.free[n-1]
		c.free = c.free[:n-1]
	} else {
		i = int32(len(c.slots))
		c.slots = append(c.slots, idFate{})
	}
	c.slots[i].id, c.slots[i].key = m.ID, m.Key
	q.ids[m.ID] = i
	c.lastKey, c.last = fateKey{q, m.ID}, i
	return &c.slots[i].fate
}

// forgetByID frees the slot of a sealed message found by its id.
func (c *Delivery) forgetByID(q *queueFates, m *trace.Msg) {
	i := q.ids[m.ID]
	delete(q.ids, m.ID)
	c.slots[i] = idFate{}
	c.free = append(c.free, i)
	if c.last == i {
		c.last = -1
	}
}

// fate is what the check keeps of a message until it is settled: what
// every message needs, in a few words written on its send and cleared
// when it is forgotten; what few need is in rare.
type fate struct {
	seq     int64            // order of the first send, for stable reports
	first   string           // who handled it first
	names   *trace.Numbering // a numbered message's: how to make its text, for evidence
	rare    *rareFate        // nil for most messages
	handled int32
	open    int32 // deliveries whose handling has not finished
	state   fateState
}

// rareFate is what few messages need kept: the why of a drop while a
// delivery of it is still being worked on, who else handled it, and the
// text of a numbered message that is not made from its number.
type rareFate struct {
	why     string
	others  []handler
	id, key string
}

// more returns the rare part of f, made on first use.
func (f *fate) more() *rareFate {
	if f.rare == nil {
		f.rare = &rareFate{}
	}
	return f.rare
}

// idFate is the fate of a message found by its id, with its text.
type idFate struct {
	fate
	id, key string
}

type handler struct {
	name  string
	times int
}

// handledBy counts one handling of the message, by name.
func (f *fate) handledBy(name string) {
	f.handled++
	if f.first == name || f.first == "" {
		f.first = name
		return
	}
	r := f.more()
	for i := range r.others {
		if r.others[i].name == name {
			r.others[i].times++
			return
		}
	}
	r.others = append(r.others, handler{name, 1})
}

// handlerList writes "worker-3 ×2, worker-1".
func (f *fate) handlerList() string {
	first := handler{f.first, int(f.handled)}
	var others []handler
	if f.rare != nil {
		others = f.rare.others
	}
	for _, h := range others {
		first.times -= h.times
	}
	parts := make([]string, 0, 1+len(others))
	for _, h := range append([]handler{first}, others...) {
		i := len(parts)
		parts = append(parts, "")
		parts[i] = h.name
		if h.times > 1 {
			parts[i] += fmt.Sprintf(" ×%d", h.times)
		}
	}
	return strings.Join(parts, ", ")
}

type fateState uint8

const (
	inFlight fateState = iota
	acked
	deadLettered
	dropped
)

// Numeric implements trace.Numeric: the check reads numbered messages by
// their numbers, and makes their text only for its evidence.
func (c *Delivery) Numeric() {}

// NewDelivery returns an empty Delivery check.
func NewDelivery() *Delivery { return &Delivery{last: -1, lastN: -1} }

// Event implements trace.Sink: it judges e as Follow does.
func (c *Delivery) Event(e *trace.Event) {
	if e.HasMsg() {
		m := e.AsMsg()
		c.Follow(&m)
	}
}

// Follow implements trace.Follower. The four kinds every message has
// take a case each and find its fate inline, by number, in the ring of
// its queue; the others, and a fate found another way, go to other.
func (c *Delivery) Follow(e *trace.MsgEvent) {
	var q *queueFates
	var f *fate // the pointer holds until the next send
	switch e.Kind {
	case trace.Send:
		if n := e.Msg.Num; n > 0 && e.To != "" {
			if f = c.fates(e.To).nums.Claim(n); f != nil { // a first send: its slot is free
				c.made(f, e.Msg)
				return
			}
		}
		c.other(e)
		return
	case trace.Deliver:
		q = c.fates(e.Actor)
		if f = ringFate(q, e.Msg); f == nil {
			c.other(e)
			return
		}
		f.open++
		f.state = inFlight
		return
	case trace.Handle, trace.Ack:
		q = c.fates(e.To)
		if f = ringFate(q, e.Msg); f == nil {
			c.other(e)
			return
		}
		if e.Kind == trace.Ack {
			f.state = acked
		} else {
			f.open--
			f.handledBy(e.Actor)
		}
		if f.state == inFlight || f.open > 0 {
			return
		}
	default:
		c.other(e)
		return
	}
	if f.state == acked && f.handled <= 1 { // sealed, as most messages are: inline
		c.settled++
		q.nums.Delete(e.Msg.Num)
		return
	}
	c.sealed(q, f, e.Msg, "")
}

// ringFate returns the fate of m when m is numbered and its fate sits in
// q's ring, as nearly every one in flight does, or nil: a look small
// enough to be inlined.
func ringFate(q *queueFates, m *trace.Msg) *fate {
	if m.Num == 0 {
		return nil
	}
	return q.nums.Ring(m.Num)
}

// other is Follow for the kinds a message meets only on its way to going
// wrong, and for any event whose fate is not in its queue's ring: one
// found by id, a number spilled out of the ring, a message not seen yet.
func (c *Delivery) other(e *trace.MsgEvent) {
	queue := e.To // the queue the message is on
	switch e.Kind {
	case trace.Send:
		if queue == "" {
			return
		}
	case trace.Deliver, trace.DeadLetter:
		queue = e.Actor
	case trace.Handle, trace.Skip, trace.Nack, trace.Ack, trace.Drop:
	default:
		return
	}
	q := c.fates(queue)
	var f *fate // the pointer holds until the next send
	if n := e.Msg.Num; n > 0 {
		f = q.nums.Get(n)
	} else {
		f = c.getByID(q, e.Msg)
	}
	if f == nil {
		if e.Kind == trace.Send {
			c.made(c.add(q, e.Msg), e.Msg)
		}
		return
	}
	why := ""
	switch e.Kind {
	case trace.Send:
		f.state = inFlight
		return
	case trace.Deliver:
		f.open++
		f.state = inFlight
		return
	case trace.Handle:
		f.open--
		f.handledBy(e.Actor)
	case trace.Skip, trace.Nack:
		f.open--
	case trace.Ack:
		f.state = acked
	case trace.DeadLetter:
		f.state = deadLettered
	case trace.Drop:
		if e.Actor != e.To {
			f.open-- // a consumer lost what it was holding
		}
		f.state = dropped
		why = e.Note
		if f.open > 0 || f.rare != nil {
			f.more().why = why // for when it settles
		}
	}
	if f.state != inFlight && f.open <= 0 {
		c.sealed(q, f, e.Msg, why)
	}
}

// made counts the first send of message m, whose fate f was just made.
func (c *Delivery) made(f *fate, m *trace.Msg) {
	c.sent++
	c.sendSeq++
	f.seq = c.sendSeq
	if m.Num > 0 {
		f.names = m.Names
		if m.Names == nil { // a number and a text of its own (a live trace): keep the text
			f.more().id, f.rare.key = m.ID, m.Key
		}
	}
}

// sealed counts and forgets the fate f of message m on queue q, now
// sealed: settled, with no delivery still being worked on. why is why it
// was dropped, when it was and f does not keep it.
func (c *Delivery) sealed(q *queueFates, f *fate, m *trace.Msg, why string) {
	if f.state == acked && f.handled <= 1 {
		c.settled++ // all seal would do for most messages
	} else {
		c.seal(f, m.Num, m.ID, m.Key, why)
	}
	if n := m.Num; n > 0 {
		q.nums.Delete(n)
	} else {
		c.forgetByID(q, m)
	}
}

// text returns the id and key of the message numbered num, or with the
// given text: made from its number if it is numbered, kept if it had a
// text of its own.
func (f *fate) text(num uint64, id, key string) (string, string) {
	switch {
	case f.names != nil:
		return f.names.Text(num)
	case f.rare != nil && f.rare.id != "":
		return f.rare.id, f.rare.key
	}
	return id, key
}

// seal counts the fate of a settled message, or one still held when the
// run ended, named by num or its text (see text); why is why it was
// dropped, when not kept in f.
func (c *Delivery) seal(f *fate, num uint64, id, key, why string) {
	switch {
	case f.state == deadLettered:
		c.deadLettered++
	case f.state == dropped && f.handled == 0:
		line := ""
		if c.lost.Room() {
			if f.rare != nil && f.rare.why != "" {
				why = f.rare.why
			}
			id, key := f.text(num, id, key)
			line = Line(id, key, why)
		}
		c.lost.Add(line)
	}
	if f.handled > 1 {
		line := ""
		if c.dups.Room() {
			id, key := f.text(num, id, key)
			line = fmt.Sprintf("%s %s handled %d× (%s)", id, key, f.handled, f.handlerList())
		}
		c.dups.Add(line)
	}
	if f.state != inFlight {
		c.settled++
	}
}

// held is a fate still held when the run ends, with what names it.
type held struct {
	f       *fate
	num     uint64
	id, key string
}

// Verdicts seals what is left and returns the verdicts of the no-loss and
// duplicate-effects checks. stopped says why the run ended early, if it
// did; pending holds the ids of the first messages never settled.
func (c *Delivery) Verdicts(stopped string) (verdicts []trace.Verdict, pending []string) {
	var rest []held // the fates still held
	for _, q := range c.queues {
		for _, slot := range q.ids {
			s := &c.slots[slot]
			rest = append(rest, held{f: &s.fate, id: s.id, key: s.key})
		}
		q.nums.All(func(num uint64, f *fate) { rest = append(rest, held{f: f, num: num}) })
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].f.seq < rest[j].f.seq })
	var unsettled Cases
	for _, h := range rest {
		f := h.f
		// Acked on delivery (auto-ack) but still in a consumer's hands when
		// the run ended: settled for the broker, yet its effect never came.
		waiting := f.state == acked && f.handled == 0 && f.open > 0
		if f.state == inFlight || waiting {
			why := "still in flight"
			if waiting {
				why = "auto-acked, not yet handled"
			}
			line := ""
			if unsettled.Room() {
				id, key := f.text(h.num, h.id, h.key)
				pending = append(pending, id)
				line = Line(id, key, why)
			}
			unsettled.Add(line)
			if waiting {
				f.state = inFlight // not settled: seal must not count it
			}
		}
		c.seal(f, h.num, h.id, h.key, "")
	}
	c.queues, c.lastQ, c.lastP, c.lastN, c.slots, c.free, c.last = nil, nil, nil, -1, nil, nil, -1

	lost, nUnsettled := c.lost.Count(), unsettled.Count()
	loss := trace.Verdict{Name: "no-loss", Title: "no message lost", OK: lost == 0 && nUnsettled == 0}
	switch {
	case loss.OK && c.deadLettered > 0:
		loss.Detail = fmt.Sprintf("%d messages handled and acked, %d dead-lettered, none lost",
			c.sent-c.deadLettered, c.deadLettered)
	case loss.OK:
		loss.Detail = fmt.Sprintf("all %d messages handled and acked", c.sent)
	default:
		loss.Detail = LossDetail(lost, nUnsettled, c.sent, "settled", stopped)
		loss.Evidence = Evidence(&c.lost, &unsettled)
	}

	dups := c.dups.Count()
	dup := trace.Verdict{Name: "no-duplicate-effects", Title: "no duplicate effects", OK: dups == 0}
	if dup.OK {
		dup.Detail = "every handled message was handled once"
	} else {
		dup.Detail = fmt.Sprintf("%d messages handled more than once", dups)
		if dups == 1 {
			dup.Detail = "1 message handled more than once"
		}
		dup.Evidence = Evidence(&c.dups)
	}
	return []trace.Verdict{loss, dup}, pending
}
