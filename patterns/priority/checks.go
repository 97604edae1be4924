package priority

import (
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/trace"
)

// Checks is a sink that judges a priority run from its events alone: the
// run event's express-slo and max-standard-wait, each order's send and its
// ack. It remembers only the orders not yet acked, so its memory follows
// what is in flight.
type Checks struct {
	slo, maxWait time.Duration

	open map[string]*order // sent, not yet acked
	line [2]fifo           // the open orders of each class, oldest first
	seq  int64

	latency       [2]trace.Histogram // express, standard: send → ack
	late, starved check.Cases
	oldest        time.Duration // the longest a standard order waited, done or not
	oldestID      string
	backlog       [2]trace.Sparkline
	waitLine      trace.Sparkline // the oldest standard order's wait so far, in ms
	end           time.Duration
}

// order is what the checks know of one order not yet acked.
type order struct {
	id, key string
	class   int // 0 express, 1 standard
	seq     int64
	sent    time.Duration
	done    bool
}

// fifo is a queue of orders, oldest first, whose done ones leave lazily.
type fifo struct {
	buf  []*order
	head int
}

func (f *fifo) push(o *order) { f.buf = append(f.buf, o) }

// front returns the oldest order not done, or nil.
func (f *fifo) front() *order {
	for f.head < len(f.buf) && f.buf[f.head].done {
		f.buf[f.head] = nil
		f.head++
	}
	if f.head > 1024 && f.head*2 > len(f.buf) { // reuse the space
		f.buf = append(f.buf[:0], f.buf[f.head:]...)
		f.head = 0
	}
	if f.head == len(f.buf) {
		return nil
	}
	return f.buf[f.head]
}

func (f *fifo) len() int { return len(f.buf) - f.head }

// NewChecks returns an empty Checks.
func NewChecks() *Checks { return &Checks{open: map[string]*order{}} }

// Event reads one event.
func (c *Checks) Event(e *trace.Event) {
	c.end = e.T
	switch e.Kind {
	case trace.Run:
		for _, p := range e.Params {
			d, err := time.ParseDuration(p.Value)
			switch {
			case err != nil:
			case p.Name == "express-slo":
				c.slo = d
			case p.Name == "max-standard-wait":
				c.maxWait = d
			}
		}
	case trace.Send:
		if _, ok := c.open[e.Msg.ID]; ok || (e.Msg.Type != Express && e.Msg.Type != Standard) {
			return
		}
		c.seq++
		o := &order{id: e.Msg.ID, key: e.Msg.Key, class: classOf(e.Msg.Type), seq: c.seq, sent: e.T}
		c.open[o.id] = o
		c.line[o.class].push(o)
		c.backlog[o.class].Record(e.T, int64(c.line[o.class].len()))
	case trace.Ack:
		o, ok := c.open[e.Msg.ID]
		if !ok {
			return
		}
		delete(c.open, o.id)
		o.done = true
		c.finish(o, e.T-o.sent, "")
		c.line[o.class].front()
		c.backlog[o.class].Record(e.T, int64(c.line[o.class].len()))
	}
	if o := c.line[1].front(); o != nil {
		c.waitLine.Record(e.T, int64((e.T-o.sent)/time.Millisecond))
	} else {
		c.waitLine.Record(e.T, 0)
	}
}

func classOf(typ string) int {
	if typ == Express {
		return 0
	}
	return 1
}

// finish judges an order that took took: acked, or (still) not done when
// the run ended, which suffix says.
func (c *Checks) finish(o *order, took time.Duration, suffix string) {
	if o.class == 0 {
		c.latency[0].Record(took)
		if took > c.slo {
			c.late.Add(check.Line(o.id, o.key, "took "+trace.ShortDuration(took)+suffix))
		}
		return
	}
	c.latency[1].Record(took)
	if took > c.oldest {
		c.oldest, c.oldestID = took, o.id+" "+o.key
	}
	if took > c.maxWait {
		c.starved.Add(check.Line(o.id, o.key, "waited "+trace.ShortDuration(took)+suffix))
	}
}

// Verdicts returns the checks' verdicts: express p99 within the SLO, no
// standard order starved. Orders still open at the end count with the
// time they have waited so far.
func (c *Checks) Verdicts(stopped string) []trace.Verdict {
	for class := range c.line {
		for f := &c.line[class]; f.front() != nil; {
			o := f.front()
			o.done = true
			c.finish(o, c.end-o.sent, ", not done")
		}
	}
	c.open = map[string]*order{}
	h := &c.latency[0]
	p99 := h.Percentile(99)
	express := trace.Verdict{Name: "express-slo", Title: "express orders done within the SLO (p99)",
		OK: c.late.Count()*100 <= h.Count(),
		Detail: "p99 " + trace.ShortDuration(p99) + " against " + trace.ShortDuration(c.slo) + "; " +
			strconv.FormatInt(c.late.Count(), 10) + " of " + strconv.FormatInt(h.Count(), 10) + " express orders above it",
		Evidence: check.Evidence(&c.late)}
	if h.Count() == 0 {
		express.Detail = "no express orders"
	}
	if !express.OK && stopped != "" {
		express.Detail += " (run stopped: " + stopped + ")"
	}
	starve := trace.Verdict{Name: "no-starvation", Title: "no standard order waits past the bound",
		OK:       c.starved.Count() == 0,
		Detail:   "oldest standard wait " + trace.ShortDuration(c.oldest) + " against " + trace.ShortDuration(c.maxWait),
		Evidence: check.Evidence(&c.starved)}
	if c.oldestID != "" {
		starve.Detail += " (" + c.oldestID + ")"
	}
	return []trace.Verdict{express, starve}
}

// sparkColumns is how many characters a sparkline has at most.
const sparkColumns = 48

// Tables returns the latency of each class and the backlogs and the
// oldest standard wait over time.
func (c *Checks) Tables(end time.Duration) []trace.Table {
	i := func(n int64) string { return strconv.FormatInt(n, 10) }
	lat := trace.Table{Title: "send → ack", Columns: []string{"send → ack", "orders", "p50", "p95", "p99", "max"}}
	for class, name := range []string{"express", "standard"} {
		h := &c.latency[class]
		lat.Rows = append(lat.Rows, []string{name, i(h.Count()), trace.ShortDuration(h.Percentile(50)),
			trace.ShortDuration(h.Percentile(95)), trace.ShortDuration(h.Percentile(99)), trace.ShortDuration(h.Max())})
	}
	top := max(c.backlog[0].Max(), c.backlog[1].Max())
	over := trace.Table{Title: "over time", Columns: []string{"over time", "max", "0 … " + trace.ShortDuration(end)},
		Rows: [][]string{
			{"express not yet done", i(c.backlog[0].Max()), c.backlog[0].Render(end, sparkColumns, top)},
			{"standard not yet done", i(c.backlog[1].Max()), c.backlog[1].Render(end, sparkColumns, top)},
			{"oldest standard wait, ms", i(c.waitLine.Max()), c.waitLine.Render(end, sparkColumns, c.waitLine.Max())},
		}}
	return []trace.Table{lat, over}
}

// Series returns the backlogs and the oldest standard wait over time, for
// the charts of the HTML report.
func (c *Checks) Series(end time.Duration) []trace.Series {
	return []trace.Series{
		c.backlog[0].Series("express orders waiting", "over time", end),
		c.backlog[1].Series("standard orders waiting", "over time", end),
		c.waitLine.Series("oldest standard order's wait (ms)", "over time", end),
	}
}
