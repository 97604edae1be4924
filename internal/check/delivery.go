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
	slots   []fate        // the fates of messages found by id, reused once settled: no allocation per message
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

type fateKey struct{ queue, id string }

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

// get returns the fate of message m on queue, or nil; the pointer holds
// until the next send. The events of one message tend to come together, so
// the last fate found by id is tried first.
func (c *Delivery) get(queue string, m *trace.Msg) *fate {
	if m.Num > 0 {
		return c.fates(queue).nums.Get(m.Num)
	}
	return c.getByID(queue, m)
}

func (c *Delivery) getByID(queue string, m *trace.Msg) *fate {
	k := fateKey{queue, m.ID}
	if c.last >= 0 && c.lastKey == k {
		return &c.slots[c.last]
	}
	i, ok := c.fates(queue).ids[m.ID]
	if !ok {
		return nil
	}
	c.lastKey, c.last = k, i
	return &c.slots[i]
}

// add makes the fate of message m, first sent to queue now.
func (c *Delivery) add(queue string, m *trace.Msg, f fate) {
	if m.Num > 0 {
		c.fates(queue).nums.Add(m.Num, f)
		return
	}
	var i int32
	if n := len(c.free); n > 0 {
		i = c.free[n-1]
		c.free = c.free[:n-1]
		c.slots[i] = f
	} else {
		i = int32(len(c.slots))
		c.slots = append(c.slots, f)
	}
	c.fates(queue).ids[m.ID] = i
	c.lastKey, c.last = fateKey{queue, m.ID}, i
}

// forget frees the slot of a sealed message.
func (c *Delivery) forget(queue string, m *trace.Msg) {
	q := c.fates(queue)
	if m.Num > 0 {
		q.nums.Delete(m.Num)
		return
	}
	i := q.ids[m.ID]
	delete(q.ids, m.ID)
	c.slots[i] = fate{}
	c.free = append(c.free, i)
	if c.last == i {
		c.last = -1
	}
}

type fate struct {
	seq     int64 // order of the first send, for stable reports
	id, key string
	num     uint64           // for a numbered message whose text is not made yet
	names   *trace.Numbering // how to make it
	handled int
	open    int // deliveries whose handling has not finished
	state   fateState
	why     string
	first   handler   // who handled it first, kept inline to spare an allocation
	others  []handler // who else handled it
}

type handler struct {
	name  string
	times int
}

func (f *fate) handledBy(name string) {
	if f.first.name == "" || f.first.name == name {
		f.first.name = name
		f.first.times++
		return
	}
	for i := range f.others {
		if f.others[i].name == name {
			f.others[i].times++
			return
		}
	}
	f.others = append(f.others, handler{name, 1})
}

// handlerList writes "worker-3 ×2, worker-1".
func (f *fate) handlerList() string {
	parts := make([]string, 0, 1+len(f.others))
	for _, h := range append([]handler{f.first}, f.others...) {
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

// Follow implements trace.Follower.
func (c *Delivery) Follow(e *trace.MsgEvent) {
	switch e.Kind {
	case trace.Send:
		if e.To == "" {
			return
		}
		if f := c.get(e.To, e.Msg); f != nil {
			f.state = inFlight
			return
		}
		c.sent++
		c.sendSeq++
		c.add(e.To, e.Msg, fate{seq: c.sendSeq, id: e.Msg.ID, key: e.Msg.Key, num: e.Msg.Num, names: e.Msg.Names})
	case trace.Deliver:
		if f := c.get(e.Actor, e.Msg); f != nil {
			f.open++
			f.state = inFlight
		}
	case trace.Handle:
		if f := c.get(e.To, e.Msg); f != nil {
			f.open--
			f.handled++
			f.handledBy(e.Actor)
			c.settle(e.To, e.Msg, f)
		}
	case trace.Skip, trace.Nack:
		if f := c.get(e.To, e.Msg); f != nil {
			f.open--
			c.settle(e.To, e.Msg, f)
		}
	case trace.Ack:
		if f := c.get(e.To, e.Msg); f != nil {
			f.state = acked
			c.settle(e.To, e.Msg, f)
		}
	case trace.DeadLetter:
		if f := c.get(e.Actor, e.Msg); f != nil {
			f.state = deadLettered
			c.settle(e.Actor, e.Msg, f)
		}
	case trace.Drop:
		if f := c.get(e.To, e.Msg); f != nil {
			if e.Actor != e.To {
				f.open-- // a consumer lost what it was holding
			}
			f.state = dropped
			f.why = e.Note
			c.settle(e.To, e.Msg, f)
		}
	}
}

// settle forgets a message whose fate is sealed: settled, with no delivery
// still being worked on.
func (c *Delivery) settle(queue string, m *trace.Msg, f *fate) {
	if f.state == inFlight || f.open > 0 {
		return
	}
	c.seal(f)
	c.forget(queue, m)
}

// text returns the id and key of the message, made now if need be.
func (f *fate) text() (id, key string) {
	if f.id == "" && f.names != nil {
		return f.names.Text(f.num)
	}
	return f.id, f.key
}

func (c *Delivery) seal(f *fate) {
	switch {
	case f.state == deadLettered:
		c.deadLettered++
	case f.state == dropped && f.handled == 0:
		line := ""
		if c.lost.Room() {
			id, key := f.text()
			line = Line(id, key, f.why)
		}
		c.lost.Add(line)
	}
	if f.handled > 1 {
		line := ""
		if c.dups.Room() {
			id, key := f.text()
			line = fmt.Sprintf("%s %s handled %d× (%s)", id, key, f.handled, f.handlerList())
		}
		c.dups.Add(line)
	}
	if f.state != inFlight {
		c.settled++
	}
}

// Verdicts seals what is left and returns the verdicts of the no-loss and
// duplicate-effects checks. stopped says why the run ended early, if it
// did; pending holds the ids of the first messages never settled.
func (c *Delivery) Verdicts(stopped string) (verdicts []trace.Verdict, pending []string) {
	var rest []*fate // the fates still held
	for _, q := range c.queues {
		for _, slot := range q.ids {
			rest = append(rest, &c.slots[slot])
		}
		q.nums.All(func(_ uint64, f *fate) { rest = append(rest, f) })
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].seq < rest[j].seq })
	var unsettled Cases
	for _, f := range rest {
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
				id, key := f.text()
				pending = append(pending, id)
				line = Line(id, key, why)
			}
			unsettled.Add(line)
			if waiting {
				f.state = inFlight // not settled: seal must not count it
			}
		}
		c.seal(f)
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
