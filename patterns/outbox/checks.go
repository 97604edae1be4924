package outbox

import (
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Checks is a sink that judges a run of the outbox pattern from its events
// alone: which orders the order service committed, which events were
// published and how often, and which effects the consumer applied.
// Committed means a commit event by the order service about the event id.
type Checks struct {
	service, consumer string

	fates  []fate           // ids of the form e<N>, by N
	other  map[string]*fate // any other id
	others []*fate          // the other ids, in the order first seen
	keys   map[string]keyOrder

	lag   trace.Histogram
	depth trace.Sparkline
	now   int64 // committed, not yet published

	committed, published, handled         int64
	extraPublished, extraApplied, skipped int64
	end                                   time.Duration
}

type fate struct {
	id, key    string
	seen       bool
	committed  bool
	commitAt   time.Duration
	publishes  int32
	handles    int32
	pos        int32 // its place among the committed events of its key
	outOfOrder bool
}

type keyOrder struct {
	committed   int32
	maxHandled  int32
	handledSome bool
}

// NewChecks returns the checks for a run whose order service and consumer
// have the given actor names.
func NewChecks(service, consumer string) *Checks {
	return &Checks{service: service, consumer: consumer, other: map[string]*fate{}, keys: map[string]keyOrder{}}
}

// fate returns the record of an event id, making it on first sight.
func (c *Checks) fate(m *trace.Msg) *fate {
	id := m.ID
	var f *fate
	if n, ok := eventNumber(id); ok {
		if n > len(c.fates) {
			c.fates = append(c.fates, make([]fate, n-len(c.fates))...)
		}
		f = &c.fates[n-1]
	} else if f = c.other[id]; f == nil {
		f = &fate{}
		c.other[id] = f
		c.others = append(c.others, f)
	}
	if !f.seen {
		f.seen, f.id, f.key = true, id, m.Key
	}
	return f
}

// eventNumber returns N for an id "eN" with N from 1 to a million.
func eventNumber(id string) (int, bool) {
	if len(id) < 2 || id[0] != 'e' || id[1] == '0' {
		return 0, false
	}
	n, err := strconv.Atoi(id[1:])
	return n, err == nil && n > 0 && n <= 1<<20
}

// Event implements trace.Sink.
func (c *Checks) Event(e *trace.Event) {
	c.end = e.T
	if !e.HasMsg() {
		return
	}
	switch e.Kind {
	case trace.Commit:
		if e.Actor != c.service {
			return
		}
		f := c.fate(&e.Msg)
		if f.committed {
			return
		}
		f.committed, f.commitAt = true, e.T
		c.committed++
		k := c.keys[f.key]
		f.pos = k.committed
		k.committed++
		c.keys[f.key] = k
		if f.publishes == 0 {
			c.now++
			c.depth.Record(e.T, c.now)
		}
	case trace.Publish:
		f := c.fate(&e.Msg)
		f.publishes++
		c.published++
		if f.publishes > 1 {
			c.extraPublished++
			return
		}
		if f.committed {
			c.lag.Record(e.T - f.commitAt)
			c.now--
			c.depth.Record(e.T, c.now)
		}
	case trace.Handle:
		if e.Actor != c.consumer {
			return
		}
		f := c.fate(&e.Msg)
		f.handles++
		c.handled++
		if f.handles > 1 {
			c.extraApplied++
			return
		}
		if f.committed {
			k := c.keys[f.key]
			if k.handledSome && f.pos < k.maxHandled {
				f.outOfOrder = true
			}
			if !k.handledSome || f.pos > k.maxHandled {
				k.maxHandled, k.handledSome = f.pos, true
				c.keys[f.key] = k
			}
		}
	case trace.Skip:
		if e.Actor == c.consumer {
			c.skipped++
		}
	}
}

// Finish closes the depth record at the end of the run.
func (c *Checks) Finish(end time.Duration) {
	c.end = max(c.end, end)
	c.depth.Record(c.end, c.now)
}

// Report returns the tables and the verdicts of the run: no-zombie,
// no-ghost, exactly-once-effect and per-key-order.
func (c *Checks) Report() ([]trace.Table, []trace.Verdict) {
	var zombies, ghosts, effects, order check.Cases
	all := make([]*fate, 0, len(c.fates)+len(c.others))
	for i := range c.fates {
		all = append(all, &c.fates[i])
	}
	for _, f := range append(all, c.others...) {
		if !f.seen {
			continue
		}
		switch {
		case f.committed && f.publishes == 0:
			zombies.Add(check.Line(f.id, f.key, "committed at "+trace.FormatDuration(f.commitAt)+", never published"))
		case !f.committed && f.publishes > 0:
			ghosts.Add(check.Line(f.id, f.key, "published, never committed"))
		}
		switch {
		case f.committed && f.handles == 0:
			effects.Add(check.Line(f.id, f.key, "committed, never applied downstream"))
		case f.handles > 1:
			effects.Add(check.Line(f.id, f.key, "applied "+strconv.Itoa(int(f.handles))+" times"))
		case !f.committed && f.handles > 0:
			effects.Add(check.Line(f.id, f.key, "applied, but the order was never committed"))
		}
		if f.outOfOrder {
			order.Add(check.Line(f.id, f.key, "handled after a later event of "+f.key))
		}
	}
	verdicts := []trace.Verdict{
		verdict("no-zombie", "no zombie records", &zombies,
			"every committed event was published", "committed, never published"),
		verdict("no-ghost", "no ghost messages", &ghosts,
			"every published event has a committed order", "published, never committed"),
		verdict("exactly-once-effect", "one effect per committed event", &effects,
			patterns.Count(c.committed, "committed event")+" applied once each", "not applied exactly once"),
		verdict("per-key-order", "order kept per order id", &order,
			"events handled in commit order", "handled out of order"),
	}
	tables := []trace.Table{
		{Title: "events", Columns: []string{"events", "committed", "published", "handled", "zombies", "ghosts"},
			Rows: [][]string{{"OrderCreated, OrderUpdated", itoa(c.committed), itoa(c.published - c.extraPublished),
				itoa(c.handled - c.extraApplied), itoa(zombies.Count()), itoa(ghosts.Count())}}},
		{Title: "duplicates", Columns: []string{"duplicates", "published", "applied", "skipped by inbox"},
			Rows: [][]string{{"events", itoa(c.extraPublished), itoa(c.extraApplied), itoa(c.skipped)}}},
	}
	if c.lag.Count() > 0 {
		h := &c.lag
		tables = append(tables, trace.Table{Title: "outbox lag",
			Columns: []string{"outbox lag", "events", "p50", "p99", "max"},
			Rows: [][]string{{"commit → publish", itoa(h.Count()), trace.ShortDuration(h.Percentile(50)),
				trace.ShortDuration(h.Percentile(99)), trace.ShortDuration(h.Max())}}})
	}
	tables = append(tables, trace.Table{Title: "outbox depth",
		Columns: []string{"outbox depth", "max", "over time (" + trace.ShortDuration(c.end) + ")"},
		Rows:    [][]string{{"committed, unpublished", itoa(c.depth.Max()), c.depth.Render(c.end, 40, c.depth.Max())}}})
	return tables, verdicts
}

func verdict(name, title string, cs *check.Cases, okDetail, badDetail string) trace.Verdict {
	v := trace.Verdict{Name: name, Title: title, OK: cs.Count() == 0}
	if v.OK {
		v.Detail = okDetail
	} else {
		v.Detail = strconv.FormatInt(cs.Count(), 10) + " " + badDetail
		v.Evidence = check.Evidence(cs)
	}
	return v
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
