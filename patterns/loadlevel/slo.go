package loadlevel

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// longestKept is how many of the longest waits the wait-slo check names.
const longestKept = 5

// WaitSLO is the check wait-slo, a sink that judges a run from its events
// alone: the objective --max-wait from the run event, each order's send to
// the queue and its first delivery, and the backlog (orders sent, less
// those delivered or refused, plus those given back). The objective is on
// the maximum: every order, not 99 in 100, must be taken within --max-wait
// — a flash sale's last order is the one that waits longest, and the one
// a p99 would forgive. Its memory follows the orders waiting.
type WaitSLO struct {
	limit   time.Duration
	waiting map[string]waiter
	backlog int
	orders  int64
	over    int64
	longest []waited // the longest waits, longest first
}

type waiter struct {
	at     time.Duration
	behind int // orders waiting when it was sent
	key    string
}

type waited struct {
	id, key    string
	wait, sent time.Duration
	behind     int
	seq        int64
}

// NewWaitSLO returns the check of one run.
func NewWaitSLO() *WaitSLO { return &WaitSLO{waiting: map[string]waiter{}} }

// Event implements trace.Sink.
func (c *WaitSLO) Event(e *trace.Event) {
	switch e.Kind {
	case trace.Run:
		for _, p := range e.Params {
			if p.Name == "max-wait" {
				c.limit, _ = sim.ParseDuration(p.Value)
			}
		}
	case trace.Send:
		if e.To == Queue {
			if _, again := c.waiting[e.Msg.ID]; !again {
				c.waiting[e.Msg.ID] = waiter{at: e.T, behind: c.backlog, key: e.Msg.Key}
			}
			c.backlog++
		}
	case trace.Nack, trace.Timeout:
		if e.To == Queue || e.Actor == Queue {
			c.backlog++
		}
	case trace.Drop:
		if e.Actor == Queue && e.To == Queue { // refused by a full queue: it never waited
			c.backlog--
			delete(c.waiting, e.Msg.ID)
		}
	case trace.Deliver:
		if e.Actor != Queue {
			return
		}
		c.backlog--
		w, ok := c.waiting[e.Msg.ID]
		if !ok {
			return
		}
		delete(c.waiting, e.Msg.ID)
		c.took(waited{id: e.Msg.ID, key: w.key, wait: e.T - w.at, sent: w.at, behind: w.behind, seq: c.orders})
	}
}

// took counts one order taken from the queue after its wait.
func (c *WaitSLO) took(o waited) {
	c.orders++
	if c.limit > 0 && o.wait > c.limit {
		c.over++
	}
	i, _ := slices.BinarySearchFunc(c.longest, o, func(a, b waited) int {
		return cmp.Or(cmp.Compare(b.wait, a.wait), cmp.Compare(a.seq, b.seq)) // longest first
	})
	if i < longestKept {
		c.longest = slices.Insert(c.longest, i, o)
		if len(c.longest) > longestKept {
			c.longest = c.longest[:longestKept]
		}
	}
}

// Verdict returns the verdict of wait-slo, with the orders that waited
// longest as evidence when it fails.
func (c *WaitSLO) Verdict() trace.Verdict {
	v := trace.Verdict{Name: "wait-slo", Title: "every order taken within --max-wait " + trace.FormatDuration(c.limit),
		OK: c.over == 0}
	worst := time.Duration(0)
	if len(c.longest) > 0 {
		worst = c.longest[0].wait
	}
	if v.OK {
		v.Detail = fmt.Sprintf("the longest of %d waits was %s", c.orders, fmtDur(worst))
		return v
	}
	v.Detail = fmt.Sprintf("%d of %d orders waited longer; the longest %s", c.over, c.orders, fmtDur(worst))
	var cases check.Cases
	for _, o := range c.longest {
		if o.wait <= c.limit {
			break
		}
		cases.Add(check.Line(o.id, o.key, fmt.Sprintf("waited %s: sent at %s behind %d waiting, taken at %s",
			fmtDur(o.wait), trace.ShortDuration(o.sent), o.behind, trace.ShortDuration(o.sent+o.wait))))
	}
	v.Evidence = check.Evidence(&cases)
	if more := c.over - int64(len(v.Evidence)); more > 0 {
		v.Evidence = append(v.Evidence, fmt.Sprintf("and %d more", more))
	}
	return v
}
