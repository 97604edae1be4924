package ordering

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Checks is a sink that judges a run from its events alone — sends and
// publishes to a channel (a queue or a partition), handles, acks, offset
// commits, drops — so a trace recorded anywhere can be judged the same way:
//
//   - per-key-order: the events of one key are applied, each the first time,
//     in the order they were sent;
//   - no-loss: every event sent is applied at least once;
//   - no-duplicate-effects: no event is applied twice;
//   - lag: every channel's backlog (sent, not yet acked or committed)
//     drains by the end and, with a limit, never passes it.
//
// A commit event whose message is X, sent to a channel, settles every
// message sent to that channel up to and including X, as an offset commit
// does. Messages are forgotten once applied and settled everywhere, so
// memory follows what is in flight.
type Checks struct {
	maxLag   int64
	msgs     map[string]*msgInfo
	keys     map[string]*keyQueue
	channels map[string]*channel
	chOrder  []string
	entries  map[entryKey]*entry
	sent     int64

	order   check.Cases
	dups    check.Cases
	lostWhy map[string]string // id → why, for drops
}

type msgInfo struct {
	id, key, typ string
	seq          int64 // send order, for stable reports
	handled      int
	handlers     []string
	live         int // channels still holding it unsettled
	overtakenBy  string
}

type keyQueue struct {
	pending []*msgInfo // sent, not yet applied, in send order
	head    int
}

type entryKey struct{ ch, id string }

type entry struct {
	info    *msgInfo
	settled bool
}

type channel struct {
	name            string
	sent, settled   int64
	ring            []*entry // sent, in order; settled ones leave from the front
	head            int
	lag             trace.Sparkline
	maxLag          int64
	maxAt           time.Duration
	committedBefore bool // a commit ever came before the handle of what it covered
}

// NewChecks returns an empty Checks; the lag check fails above maxLag, when
// it is above 0.
func NewChecks(maxLag int) *Checks {
	return &Checks{maxLag: int64(maxLag), msgs: map[string]*msgInfo{}, keys: map[string]*keyQueue{},
		channels: map[string]*channel{}, entries: map[entryKey]*entry{}, lostWhy: map[string]string{}}
}

func (c *Checks) channel(name string) *channel {
	ch, ok := c.channels[name]
	if !ok {
		ch = &channel{name: name}
		c.channels[name] = ch
		c.chOrder = append(c.chOrder, name)
	}
	return ch
}

// Event implements trace.Sink.
func (c *Checks) Event(e *trace.Event) {
	if !e.HasMsg() {
		return
	}
	switch e.Kind {
	case trace.Send, trace.Publish:
		if e.To != "" {
			c.sendTo(e)
		}
	case trace.Handle:
		c.handle(e)
	case trace.Ack:
		c.settle(e.To, e.Msg.ID, e.T)
	case trace.DeadLetter:
		c.settle(e.Actor, e.Msg.ID, e.T)
	case trace.Drop:
		if _, ok := c.msgs[e.Msg.ID]; ok {
			c.lostWhy[e.Msg.ID] = e.Note
		}
		c.settle(e.To, e.Msg.ID, e.T)
	case trace.Commit:
		c.commit(e.To, e.Msg.ID, e.T)
	}
}

func (c *Checks) sendTo(e *trace.Event) {
	info, ok := c.msgs[e.Msg.ID]
	if !ok {
		c.sent++
		info = &msgInfo{id: e.Msg.ID, key: e.Msg.Key, typ: e.Msg.Type, seq: c.sent}
		c.msgs[e.Msg.ID] = info
		k := c.keys[info.key]
		if k == nil {
			k = &keyQueue{}
			c.keys[info.key] = k
		}
		k.pending = append(k.pending, info)
	}
	ek := entryKey{e.To, e.Msg.ID}
	if _, dup := c.entries[ek]; dup {
		return // sent again to a channel that holds it: not a new message there
	}
	info.live++
	en := &entry{info: info}
	c.entries[ek] = en
	ch := c.channel(e.To)
	ch.sent++
	ch.ring = append(ch.ring, en)
	ch.record(e.T)
}

func (ch *channel) record(t time.Duration) {
	lag := ch.sent - ch.settled
	ch.lag.Record(t, lag)
	if lag > ch.maxLag {
		ch.maxLag, ch.maxAt = lag, t
	}
}

// handle counts an application of a message's effect and judges its order.
func (c *Checks) handle(e *trace.Event) {
	info, ok := c.msgs[e.Msg.ID]
	if !ok {
		return
	}
	info.handled++
	info.handlers = append(info.handlers, e.Actor)
	if info.handled > 1 {
		return
	}
	k := c.keys[info.key]
	i := k.head
	for i < len(k.pending) && k.pending[i] != info {
		if p := k.pending[i]; p.overtakenBy == "" {
			p.overtakenBy = info.id + " " + info.typ
		}
		i++
	}
	if info.overtakenBy != "" {
		c.order.Add(fmt.Sprintf("%s %s %s applied at %s, after %s (sent later)",
			info.id, info.typ, info.key, trace.FormatDuration(e.T), info.overtakenBy))
	}
	if i < len(k.pending) {
		if i == k.head {
			k.pending[i] = nil
			k.head++
		} else {
			k.pending = append(k.pending[:i], k.pending[i+1:]...)
		}
	}
	if k.head == len(k.pending) {
		delete(c.keys, info.key)
	} else if k.head > 32 && k.head > len(k.pending)/2 {
		k.pending = append([]*msgInfo(nil), k.pending[k.head:]...)
		k.head = 0
	}
	c.forget(info)
}

// forget drops a message applied and settled everywhere: nothing can bring
// it back.
func (c *Checks) forget(info *msgInfo) {
	if info.live > 0 || info.handled == 0 {
		return
	}
	c.seal(info)
	delete(c.msgs, info.id)
}

func (c *Checks) seal(info *msgInfo) {
	if info.handled > 1 {
		c.dups.Add(fmt.Sprintf("%s %s %s handled %d× (%s)",
			info.id, info.typ, info.key, info.handled, strings.Join(info.handlers, ", ")))
	}
}

// settle marks one message settled on a channel: acked, dead-lettered or
// dropped there.
func (c *Checks) settle(chName, id string, t time.Duration) {
	en, ok := c.entries[entryKey{chName, id}]
	if !ok || en.settled {
		return
	}
	c.settleEntry(chName, en)
	ch := c.channels[chName]
	ch.trim()
	ch.record(t)
}

func (c *Checks) settleEntry(chName string, en *entry) {
	en.settled = true
	delete(c.entries, entryKey{chName, en.info.id})
	c.channels[chName].settled++
	en.info.live--
	c.forget(en.info)
}

// trim lets settled entries leave the front of the ring.
func (ch *channel) trim() {
	for ch.head < len(ch.ring) && ch.ring[ch.head].settled {
		ch.ring[ch.head] = nil
		ch.head++
	}
	if ch.head > 64 && ch.head > len(ch.ring)/2 {
		ch.ring = append([]*entry(nil), ch.ring[ch.head:]...)
		ch.head = 0
	}
}

// commit settles every message sent to the channel up to and including id.
func (c *Checks) commit(chName, id string, t time.Duration) {
	ch, ok := c.channels[chName]
	if !ok {
		return
	}
	if _, held := c.entries[entryKey{chName, id}]; !held {
		return // already committed past it
	}
	for ch.head < len(ch.ring) {
		en := ch.ring[ch.head]
		if !en.settled {
			if en.info.handled == 0 {
				ch.committedBefore = true
			}
			c.settleEntry(chName, en)
		}
		ch.ring[ch.head] = nil
		ch.head++
		if en.info.id == id {
			break
		}
	}
	ch.trim()
	ch.record(t)
}

// Verdicts seals what is left at time end and returns the four verdicts.
// stopped says why the run ended early, if it did.
func (c *Checks) Verdicts(end time.Duration, stopped string) []trace.Verdict {
	var lost, unsettled check.Cases
	rest := make([]*msgInfo, 0, len(c.msgs))
	for _, info := range c.msgs {
		rest = append(rest, info)
	}
	slices.SortFunc(rest, func(a, b *msgInfo) int { return cmp.Compare(a.seq, b.seq) })
	for _, info := range rest {
		c.seal(info)
		if info.handled > 0 {
			continue
		}
		what := info.id + " " + info.typ + " " + info.key + ": "
		why, dropped := c.lostWhy[info.id]
		switch {
		case dropped:
			lost.Add(what + why)
		case info.live == 0:
			lost.Add(what + "settled, never applied")
		default:
			unsettled.Add(what + "still in flight")
		}
	}
	return []trace.Verdict{c.orderVerdict(), c.lossVerdict(&lost, &unsettled, stopped), c.dupVerdict(), c.lagVerdict(end)}
}

func (c *Checks) orderVerdict() trace.Verdict {
	return countVerdict("per-key-order", "per-key order", &c.order,
		"no event applied after a later one of its key", " applied after a later one of their key")
}

// countVerdict is the verdict of a check broken by the events in cases:
// ok when there are none, else how many, what they did, and the cases.
func countVerdict(name, title string, cases *check.Cases, okDetail, broke string) trace.Verdict {
	n := cases.Count()
	v := trace.Verdict{Name: name, Title: title, OK: n == 0, Detail: okDetail}
	if n > 0 {
		v.Detail = patterns.Count(n, "event") + broke
		v.Evidence = check.Evidence(cases)
	}
	return v
}

func (c *Checks) lossVerdict(lost, unsettled *check.Cases, stopped string) trace.Verdict {
	nLost, nUnsettled := lost.Count(), unsettled.Count()
	v := trace.Verdict{Name: "no-loss", Title: "no event lost", OK: nLost == 0 && nUnsettled == 0}
	if v.OK {
		v.Detail = "all " + strconv.FormatInt(c.sent, 10) + " events applied"
		return v
	}
	v.Detail = check.LossDetail(nLost, nUnsettled, c.sent, "applied", stopped)
	v.Evidence = check.Evidence(lost, unsettled)
	return v
}

func (c *Checks) dupVerdict() trace.Verdict {
	return countVerdict("no-duplicate-effects", "no duplicate effects", &c.dups,
		"every applied event was applied once", " applied more than once")
}

// lagColumns and verdictColumns are how many characters a lag sparkline
// has at most, in the lag table and in the lag verdict.
const (
	lagColumns     = 24
	verdictColumns = 16
)

func (c *Checks) lagVerdict(end time.Duration) trace.Verdict {
	v := trace.Verdict{Name: "lag", Title: "backlogs drain", OK: true}
	worst := c.worst()
	if worst == nil {
		v.Detail = "nothing was sent"
		return v
	}
	var behind []string
	for _, name := range c.chOrder {
		ch := c.channels[name]
		if left := ch.sent - ch.settled; left > 0 {
			behind = append(behind, fmt.Sprintf("%s ended %d behind", name, left))
		}
	}
	v.Detail = fmt.Sprintf("worst %s: %d behind at %s %s", worst.name, worst.maxLag,
		trace.ShortDuration(worst.maxAt), worst.lag.Render(end, verdictColumns, worst.maxLag))
	switch {
	case len(behind) > 0:
		v.OK = false
		v.Evidence = behind
	case c.maxLag > 0 && worst.maxLag > c.maxLag:
		v.OK = false
		v.Detail += fmt.Sprintf(", over --max-lag %d", c.maxLag)
	default:
		v.Detail += "; all drained"
	}
	return v
}

// worst returns the channel whose lag went highest (the first on a tie).
func (c *Checks) worst() *channel {
	var w *channel
	for _, name := range c.chOrder {
		if ch := c.channels[name]; w == nil || ch.maxLag > w.maxLag {
			w = ch
		}
	}
	return w
}

// LagTable returns every channel's traffic and lag over the run, all
// sparklines on one scale.
func (c *Checks) LagTable(end time.Duration) trace.Table {
	t := trace.Table{Title: "lag", Columns: []string{"channel", "received", "settled", "max lag", "lag over time"}}
	var top int64
	for _, ch := range c.channels {
		top = max(top, ch.maxLag)
	}
	for _, name := range naturalOrder(c.chOrder) {
		ch := c.channels[name]
		t.Rows = append(t.Rows, []string{name, strconv.FormatInt(ch.sent, 10), strconv.FormatInt(ch.settled, 10),
			strconv.FormatInt(ch.maxLag, 10), ch.lag.Render(end, lagColumns, top)})
	}
	return t
}

// naturalOrder returns names sorted with their trailing numbers compared
// as numbers, so orders-p2 comes before orders-p10.
func naturalOrder(names []string) []string {
	split := func(s string) (string, int) {
		i := len(s)
		for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
			i--
		}
		n, _ := strconv.Atoi(s[i:])
		return s[:i], n
	}
	out := slices.Clone(names)
	slices.SortStableFunc(out, func(a, b string) int {
		pa, na := split(a)
		pb, nb := split(b)
		return cmp.Or(cmp.Compare(pa, pb), cmp.Compare(na, nb))
	})
	return out
}
