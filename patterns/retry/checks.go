package retry

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/trace"
)

// Checks is a sink that judges a retry run from its events alone: the
// orders the shop sent to the queue, every call to the payment gateway and
// its response (whose message type tells the outcome), the charges the
// gateway made, the acks, dead letters and redrives, and the gateway's
// outage as its fault events. It keeps a record only of the orders not yet
// paid, so its memory follows what is in flight, plus one bit per order
// paid to catch a charge that comes after.
type Checks struct {
	capacity int64 // calls per second, from the run event; 0 = unlimited

	outages        int // fault events of the gateway: odd while it is down
	outageEnd      time.Duration
	backlogAtStart int64
	recoveredAt    time.Duration // -1 until the backlog is back down after the outage

	orders map[string]*fate
	sorted []unpaid // the orders never paid, once the run is over
	paid   []uint64 // bit n: order mN was paid

	sent, paidCount, calls, retries int64
	charges, skips                  int64
	answers                         map[string]int64
	answerOrder                     []string
	mostCalls                       int
	mostCallsID                     string
	dups, lost                      check.Cases

	load, retryLoad                 window
	peak, peakRetries               int64
	peakAt                          time.Duration
	backlog, parked                 int64
	backlogLine, parkedLine, loadLn trace.Sparkline
	loadSlot                        int64
	toPay                           trace.Histogram
	end                             time.Duration
}

type fateState uint8

const (
	queued fateState = iota
	parked
)

// fate is what the checks know of one order not yet paid.
type fate struct {
	seq          int64
	key          string
	sentAt       time.Duration
	state        fateState
	charges      int32
	firstCharge  time.Duration
	lastAnswer   string
	permanent    bool // its last answer was Declined: no retry or redrive can pay it
	reason       bool // its dead letter gave a reason
	parkedAt     time.Duration
	redrives     int32
	redrivenDown bool          // its last redrive came while the gateway was down
	redrivenAt   time.Duration // its last redrive
}

// NewChecks returns the checks of one run.
func NewChecks() *Checks {
	return &Checks{orders: map[string]*fate{}, answers: map[string]int64{}, recoveredAt: -1, loadSlot: -1}
}

func (c *Checks) down() bool { return c.outages%2 == 1 }

// Event implements trace.Sink.
func (c *Checks) Event(e *trace.Event) {
	c.end = e.T
	if s := int64(e.T / rateSlot); s != c.loadSlot {
		c.loadSlot = s
		c.loadLn.Record(e.T, c.load.count(e.T))
	}
	switch e.Kind {
	case trace.Run:
		for _, p := range e.Params {
			if p.Name == "gateway-capacity" {
				c.capacity, _ = strconv.ParseInt(strings.TrimSuffix(p.Value, "/s"), 10, 64)
			}
		}
	case trace.Fault:
		if e.Actor != Gateway {
			return
		}
		c.outages++
		if c.down() {
			c.backlogAtStart, c.recoveredAt = c.backlog, -1
		} else {
			c.outageEnd = e.T
			c.recover(e.T)
		}
	case trace.Send:
		if e.To == Queue {
			c.queued(e)
		}
	case trace.Call:
		if e.To == Gateway {
			c.call(e)
		}
	case trace.Handle:
		if e.Actor == Gateway {
			c.charge(e)
		}
	case trace.Skip:
		if e.Actor == Gateway {
			c.skips++
		}
	case trace.Response:
		if e.Actor != Gateway {
			return
		}
		if c.answers[e.Msg.Type] == 0 {
			c.answerOrder = append(c.answerOrder, e.Msg.Type)
		}
		c.answers[e.Msg.Type]++
		if f := c.orders[e.Msg.ID]; f != nil {
			f.lastAnswer = e.Msg.Type
			f.permanent = e.Msg.Type == outcomeTypes[declined]
		}
	case trace.Ack:
		if e.To == Queue {
			c.paidOrder(e)
		}
	case trace.DeadLetter:
		if f := c.orders[e.Msg.ID]; f != nil && e.Actor == Queue {
			f.state, f.parkedAt, f.reason = parked, e.T, e.Note != ""
			c.setParked(c.parked + 1)
			if f.permanent {
				c.setBacklog(e.T, c.backlog-1)
			}
		}
	case trace.Drop:
		if f := c.orders[e.Msg.ID]; f != nil && e.To == Queue {
			c.lose(e.Msg.ID, f, "dropped")
		}
	}
}

// queued follows an order put on the queue: sent by the shop, or moved
// back from the dead-letter queue by a redrive.
func (c *Checks) queued(e *trace.Event) {
	if f := c.orders[e.Msg.ID]; f != nil {
		if f.state == parked {
			c.setParked(c.parked - 1)
			if f.permanent {
				c.setBacklog(e.T, c.backlog+1)
			}
		}
		f.state, f.redrives, f.redrivenAt, f.redrivenDown = queued, f.redrives+1, e.T, c.down()
		return
	}
	c.sent++
	c.orders[e.Msg.ID] = &fate{seq: c.sent, key: e.Msg.Key, sentAt: e.T}
	c.setBacklog(e.T, c.backlog+1)
}

func (c *Checks) call(e *trace.Event) {
	c.calls++
	n := c.load.add(e.T)
	var r int64
	if e.Msg.Attempt > 1 {
		c.retries++
		r = c.retryLoad.add(e.T)
	} else {
		r = c.retryLoad.count(e.T)
	}
	if n > c.peak {
		c.peak, c.peakAt, c.peakRetries = n, e.T, r
	}
	c.loadLn.Record(e.T, n)
	if e.Msg.Attempt > c.mostCalls {
		c.mostCalls, c.mostCallsID = e.Msg.Attempt, e.Msg.ID+" "+e.Msg.Key
	}
}

func (c *Checks) charge(e *trace.Event) {
	c.charges++
	f := c.orders[e.Msg.ID]
	if f == nil {
		if c.wasPaid(e.Msg.ID) {
			c.duplicate(fmt.Sprintf("%s %s charged again at %s, after it was paid", e.Msg.ID, e.Msg.Key,
				trace.ShortDuration(e.T)))
		}
		return
	}
	f.charges++
	switch f.charges {
	case 1:
		f.firstCharge = e.T
	case 2:
		how := "by a retry"
		if f.redrives > 0 && f.redrivenAt > f.firstCharge {
			how = "after its redrive at " + trace.ShortDuration(f.redrivenAt)
		}
		c.duplicate(fmt.Sprintf("%s %s charged at %s and again at %s, %s", e.Msg.ID, f.key,
			trace.ShortDuration(f.firstCharge), trace.ShortDuration(e.T), how))
	}
}

func (c *Checks) duplicate(what string) { c.dups.Add(what) }

func (c *Checks) paidOrder(e *trace.Event) {
	f := c.orders[e.Msg.ID]
	if f == nil {
		return
	}
	c.paidCount++
	c.toPay.Record(e.T - f.sentAt)
	delete(c.orders, e.Msg.ID)
	if n := orderNumber(e.Msg.ID); n > 0 {
		for len(c.paid) <= n/64 {
			c.paid = append(c.paid, 0)
		}
		c.paid[n/64] |= 1 << (n % 64)
	}
	c.setBacklog(e.T, c.backlog-1)
}

func (c *Checks) wasPaid(id string) bool {
	n := orderNumber(id)
	return n > 0 && n/64 < len(c.paid) && c.paid[n/64]&(1<<(n%64)) != 0
}

func (c *Checks) lose(id string, f *fate, why string) {
	c.lost.Add(check.Line(id, f.key, why))
	delete(c.orders, id)
	if f.state == parked {
		c.setParked(c.parked - 1)
	}
	if f.state == queued || !f.permanent {
		c.setBacklog(c.end, c.backlog-1)
	}
}

// setBacklog records the orders not yet paid — waiting, being retried, or
// parked in the dead-letter queue for a failure a redrive may fix.
func (c *Checks) setBacklog(t time.Duration, n int64) {
	c.backlog = n
	c.backlogLine.Record(t, n)
	c.recover(t)
}

func (c *Checks) setParked(n int64) {
	c.parked = n
	c.parkedLine.Record(c.end, n)
}

// recover notes when, after the outage, the backlog is back down to where
// it was when the outage began.
func (c *Checks) recover(t time.Duration) {
	if c.outages > 0 && !c.down() && c.recoveredAt < 0 && c.backlog <= c.backlogAtStart {
		c.recoveredAt = t
	}
}

// Verdicts returns the verdicts of the four checks.
func (c *Checks) Verdicts() []trace.Verdict {
	return []trace.Verdict{c.noLoss(), c.noDuplicates(), c.amplification(), c.recovery()}
}

// unpaid is an order never paid, as the verdicts list it.
type unpaid struct {
	id string
	*fate
}

// rest returns the orders never paid, in the order they were sent.
func (c *Checks) rest() []unpaid {
	if c.sorted == nil {
		c.sorted = make([]unpaid, 0, len(c.orders))
		for id, f := range c.orders {
			c.sorted = append(c.sorted, unpaid{id, f})
		}
		slices.SortFunc(c.sorted, func(a, b unpaid) int { return cmp.Compare(a.seq, b.seq) })
	}
	return c.sorted
}

func (c *Checks) noLoss() trace.Verdict {
	v := trace.Verdict{Name: "no-loss", Title: "no order lost"}
	var cases check.Cases
	var declined int64
	for _, f := range c.rest() {
		id := f.id
		var why string
		switch {
		case f.state == queued:
			why = "still in flight at the end"
		case !f.reason:
			why = "dead-lettered with no reason"
		case f.permanent:
			declined++
			continue
		case f.redrives == 0:
			why = fmt.Sprintf("parked in %s at %s after %s, never redriven", DLQ, trace.ShortDuration(f.parkedAt), f.lastAnswer)
		case f.redrivenDown:
			why = fmt.Sprintf("redriven at %s while the gateway was still down, parked again", trace.ShortDuration(f.redrivenAt))
		default:
			continue // redriven after the outage and failed again: parked with its reason, as it should be
		}
		cases.Add(check.Line(id, f.key, why))
	}
	bad := c.lost.Count() + cases.Count()
	v.OK = bad == 0
	switch {
	case v.OK && int64(len(c.orders)) > 0:
		v.Detail = fmt.Sprintf("%d of %d orders paid; %d parked in %s with a reason", c.paidCount, c.sent, len(c.orders), DLQ)
		if declined == int64(len(c.orders)) {
			v.Detail += ", declined for good"
		}
	case v.OK:
		v.Detail = fmt.Sprintf("all %d orders paid", c.sent)
	default:
		v.Detail = fmt.Sprintf("%d of %d orders neither paid nor rightly parked", bad, c.sent)
		v.Evidence = check.Evidence(&c.lost, &cases)
	}
	return v
}

func (c *Checks) noDuplicates() trace.Verdict {
	v := trace.Verdict{Name: "no-duplicate-charges", Title: "no order charged twice", OK: c.dups.Count() == 0}
	switch {
	case !v.OK:
		n := c.dups.Count()
		v.Detail = fmt.Sprintf("%d %s charged more than once", n, plural(n, "order", "orders"))
		v.Evidence = check.Evidence(&c.dups)
	case c.skips > 0:
		v.Detail = fmt.Sprintf("%d charges for %d orders paid; %d %s recognised by payment id",
			c.charges, c.paidCount, c.skips, plural(c.skips, "repeat", "repeats"))
	default:
		v.Detail = fmt.Sprintf("%d charges, none twice for one order", c.charges)
	}
	return v
}

func (c *Checks) amplification() trace.Verdict {
	v := trace.Verdict{Name: "amplification", Title: "gateway load within capacity",
		OK: c.capacity == 0 || c.peak <= c.capacity}
	per := 0.0
	if c.sent > 0 {
		per = float64(c.calls) / float64(c.sent)
	}
	capacity := "no capacity limit"
	if c.capacity > 0 {
		capacity = fmt.Sprintf("capacity %d/s", c.capacity)
	}
	v.Detail = fmt.Sprintf("%.1f calls per order; peak %d calls/s at %s, %s", per,
		c.peak, trace.ShortDuration(c.peakAt), capacity)
	if !v.OK {
		v.Evidence = []string{
			fmt.Sprintf("in the second up to %s: %d calls, %d of them retries, against %d/s",
				trace.ShortDuration(c.peakAt), c.peak, c.peakRetries, c.capacity),
			fmt.Sprintf("%s called the gateway %d times", c.mostCallsID, c.mostCalls),
		}
	}
	return v
}

func (c *Checks) recovery() trace.Verdict {
	v := trace.Verdict{Name: "recovery-time", Title: "recovery after the outage"}
	switch {
	case c.outages == 0:
		v.OK, v.Detail = true, "no outage to recover from"
	case c.down():
		v.Detail = "the gateway was still down when the run ended"
	case c.recoveredAt >= 0:
		v.OK = true
		v.Detail = fmt.Sprintf("backlog back to %d (as the outage began) %s after it ended",
			c.backlogAtStart, trace.ShortDuration(c.recoveredAt-c.outageEnd))
	default:
		v.Detail = fmt.Sprintf("%d still unpaid %s after the outage ended (%d as it began)",
			c.backlog, trace.ShortDuration(c.end-c.outageEnd), c.backlogAtStart)
		var cases check.Cases
		for _, f := range c.rest() {
			if !f.permanent {
				cases.Add(check.Line(f.id, f.key, f.where()))
			}
		}
		v.Evidence = check.Evidence(&cases)
	}
	return v
}

func (f *fate) where() string {
	if f.state == parked {
		return "parked in " + DLQ + " since " + trace.ShortDuration(f.parkedAt)
	}
	return "not yet paid"
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// sparkColumns is how many characters a sparkline has at most.
const sparkColumns = 48

// Tables returns the summary's own tables: the gateway's load and
// answers, the time to pay, and the backlog, dead letters and load over
// time.
func (c *Checks) Tables() []trace.Table {
	per := "0"
	if c.sent > 0 {
		per = strconv.FormatFloat(float64(c.calls)/float64(c.sent), 'f', 1, 64)
	}
	capacity := "unlimited"
	if c.capacity > 0 {
		capacity = strconv.FormatInt(c.capacity, 10) + "/s"
	}
	i := func(n int64) string { return strconv.FormatInt(n, 10) }
	gw := trace.Table{Title: "gateway",
		Columns: []string{"gateway", "calls", "retries", "per order", "peak calls/s", "capacity", "charges", "deduped"},
		Rows:    [][]string{{Gateway, i(c.calls), i(c.retries), per, i(c.peak), capacity, i(c.charges), i(c.skips)}}}
	tables := []trace.Table{gw}
	if len(c.answerOrder) > 0 {
		ans := trace.Table{Title: "answers", Columns: []string{"answers"}, Rows: [][]string{{"calls"}}}
		for _, typ := range outcomeTypes {
			if n := c.answers[typ]; n > 0 {
				ans.Columns = append(ans.Columns, typ)
				ans.Rows[0] = append(ans.Rows[0], i(n))
			}
		}
		tables = append(tables, ans)
	}
	if h := &c.toPay; h.Count() > 0 {
		tables = append(tables, trace.Table{Title: "time to pay",
			Columns: []string{"time to pay", "orders", "p50", "p95", "p99", "max"},
			Rows: [][]string{{"send → ack", i(h.Count()), trace.ShortDuration(h.Percentile(50)), trace.ShortDuration(h.Percentile(95)),
				trace.ShortDuration(h.Percentile(99)), trace.ShortDuration(h.Max())}}})
	}
	over := trace.Table{Title: "over time",
		Columns: []string{"over time", "max", "0 … " + trace.ShortDuration(c.end)},
		Rows: [][]string{
			{"backlog (unpaid orders)", i(c.backlogLine.Max()), c.backlogLine.Render(c.end, sparkColumns, c.backlogLine.Max())},
			{"parked in " + DLQ, i(c.parkedLine.Max()), c.parkedLine.Render(c.end, sparkColumns, c.parkedLine.Max())},
			{"gateway calls/s, of " + capacity, i(c.loadLn.Max()), c.loadLn.Render(c.end, sparkColumns, max(c.loadLn.Max(), c.capacity))},
		}}
	return append(tables, over)
}

// Series returns the backlog, the dead letters and the gateway's load over
// time, for the charts of the HTML report.
func (c *Checks) Series() []trace.Series {
	return []trace.Series{
		c.backlogLine.Series("backlog over time (unpaid orders)", "over time", c.end),
		c.parkedLine.Series("orders parked in "+DLQ, "over time", c.end),
		c.loadLn.Series("gateway calls per second", "over time", c.end),
	}
}
