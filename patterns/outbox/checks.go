package outbox

import (
	"maps"
	"slices"
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
//
// It keeps a few bytes per event and per key, in dense arrays by the
// number an id such as e12 or a key such as order-1006 ends in, so that a
// late duplicate is still told from a first sight when hundreds of
// thousands of orders run; the time of a commit is kept only until its
// event is published (or to the end, as evidence of a zombie). Ids and
// keys of any other form are kept in maps.
type Checks struct {
	service, consumer string

	events     check.Dense[fate]       // ids of the form e<N>, by N
	pages      check.Pages             // which pages of events are all done
	back       map[int]*fate           // events of forgotten pages seen again, by N
	other      map[string]*fate        // any other id
	others     []string                // the other ids, in the order first seen
	unsent     map[*fate]time.Duration // commit time of the committed events not yet published
	many       map[*fate]int64         // effects applied beyond maxHandles
	keys       check.Fading[keyOrder]  // keys of the form keyPrefix<N>, by N
	keyPrefix  string
	hasPrefix  bool
	otherKeys  map[string]int32 // any other key: index into otherOrder
	otherNames []string
	otherOrder []keyOrder

	lag   trace.Histogram
	depth trace.Sparkline
	now   int64 // committed, not yet published

	committed, published, handled         int64
	extraPublished, extraApplied, skipped int64
	end                                   time.Duration
}

// fate is what the checks keep of one event id: 12 bytes.
type fate struct {
	key       keyRef // its key: see Checks.keyText
	pos       int32  // its place among the committed events of its key
	handles   uint16 // effects applied, up to maxHandles; see Checks.many
	publishes uint8  // up to 2: only none, once and more than once matter
	flags     uint8
}

// done reports whether f is an event whose story is told and judged fine:
// committed, published, applied once and in order. Nothing but a duplicate
// can happen to it any more, and a duplicate's event carries the key.
func (f *fate) done() bool {
	return f.flags&(seen|committed|outOfOrder) == seen|committed && f.publishes > 0 && f.handles == 1
}

// maxHandles is the most effects a fate counts itself.
const maxHandles = 1<<16 - 1

// The flags of a fate.
const (
	seen uint8 = 1 << iota
	committed
	outOfOrder
)

// keyRef names a key: N ≥ 0 for keyPrefix<N>, or ^i for otherNames[i].
type keyRef int32

// keyOrder is the per-key order of one key: how many of its events were
// committed, and the highest place among them handled so far, plus one (0
// when none was).
type keyOrder struct {
	committed  int32
	maxHandled int32
}

// NewChecks returns the checks for a run whose order service and consumer
// have the given actor names.
func NewChecks(service, consumer string) *Checks {
	c := &Checks{service: service, consumer: consumer}
	c.keys.Done = keyOrder{committed: 2, maxHandled: 2} // a key's two events, committed and applied in order
	return c
}

// fate returns the record of an event id, making it on first sight, and
// the number of a numbered one still kept (-1 for others).
func (c *Checks) fate(m *trace.Msg) (*fate, int) {
	id := m.ID
	n, ok := eventNumber(id)
	var f *fate
	if !ok {
		n = -1
	}
	if ok {
		if c.pages.Forgotten(n) {
			return c.revive(n, m), -1
		}
		f = c.events.At(n)
	} else if f = c.other[id]; f == nil {
		if c.other == nil {
			c.other = map[string]*fate{}
		}
		f = &fate{}
		c.other[id] = f
		c.others = append(c.others, id)
	}
	if f.flags&seen == 0 {
		f.flags |= seen
		f.key = c.keyRef(m.Key)
	}
	return f, n
}

// revive returns the record of event n of a forgotten page: every event
// there was done, so it comes back as done, with the key its message
// carries.
func (c *Checks) revive(n int, m *trace.Msg) *fate {
	f := c.back[n]
	if f == nil {
		if c.back == nil {
			c.back = map[int]*fate{}
		}
		f = &fate{key: c.keyRef(m.Key), publishes: 1, handles: 1, flags: seen | committed}
		c.back[n] = f
	}
	return f
}

// track notes whether f, numbered n, is done now that it was (or was not)
// before, and forgets its page once all its events are: a long run keeps
// what is in flight and what is wrong, not 12 bytes an event.
func (c *Checks) track(n int, f *fate, was bool) {
	if n >= 0 && c.pages.Change(n, was, f.done()) {
		c.events.Free(n)
	}
}

// eventNumber returns N for an id "eN" with N from 1 to patterns.MaxDense.
func eventNumber(id string) (int, bool) {
	n, ok := patterns.KeyNumber(id, "e", 0)
	return n, ok && n <= patterns.MaxDense
}

// keyRef returns the reference of key, making one on first sight. The
// first key that ends in a number (as order-1001 does) sets the prefix
// kept dense.
func (c *Checks) keyRef(key string) keyRef {
	if !c.hasPrefix {
		if p, ok := patterns.NumberPrefix(key); ok {
			c.keyPrefix, c.hasPrefix = p, true
		}
	}
	if c.hasPrefix {
		if n, ok := patterns.KeyNumber(key, c.keyPrefix, 0); ok && n <= patterns.MaxDense {
			return keyRef(n)
		}
	}
	i, ok := c.otherKeys[key]
	if !ok {
		if c.otherKeys == nil {
			c.otherKeys = map[string]int32{}
		}
		i = int32(len(c.otherNames))
		c.otherKeys[key] = i
		c.otherNames = append(c.otherNames, key)
		c.otherOrder = append(c.otherOrder, keyOrder{})
	}
	return ^keyRef(i)
}

// keyText returns the key a reference names.
func (c *Checks) keyText(k keyRef) string {
	if k < 0 {
		return c.otherNames[^k]
	}
	return c.keyPrefix + strconv.Itoa(int(k))
}

// editOrder applies fn to the per-key order of a key.
func (c *Checks) editOrder(k keyRef, fn func(*keyOrder)) {
	if k < 0 {
		fn(&c.otherOrder[^k])
		return
	}
	c.keys.Update(int(k), fn)
}

// Wants implements trace.Choosy: the checks read only these kinds.
func (c *Checks) Wants() trace.Kinds {
	return trace.KindsOf(trace.Commit, trace.Publish, trace.Handle, trace.Skip)
}

// Event implements trace.Sink.
func (c *Checks) Event(e *trace.Event) {
	c.end = e.T
	if !e.HasMsg() {
		return
	}
	switch e.Kind {
	case trace.Commit, trace.Handle, trace.Skip:
		if e.Actor != c.service && e.Kind == trace.Commit || e.Actor != c.consumer && e.Kind != trace.Commit {
			return
		}
	case trace.Publish:
	default:
		return
	}
	if e.Kind == trace.Skip {
		c.skipped++
		return
	}
	f, n := c.fate(&e.Msg)
	was := f.done()
	switch e.Kind {
	case trace.Commit:
		c.commit(e, f)
	case trace.Publish:
		c.publish(e, f)
	case trace.Handle:
		c.handle(f)
	}
	c.track(n, f, was)
}

// commit follows the order service's commit of f.
func (c *Checks) commit(e *trace.Event, f *fate) {
	if f.flags&committed != 0 {
		return
	}
	f.flags |= committed
	c.committed++
	c.editOrder(f.key, func(k *keyOrder) {
		f.pos = k.committed
		k.committed++
	})
	if f.publishes == 0 {
		if c.unsent == nil {
			c.unsent = map[*fate]time.Duration{}
		}
		c.unsent[f] = e.T
		c.now++
		c.depth.Record(e.T, c.now)
	}
}

// publish follows a publication of f.
func (c *Checks) publish(e *trace.Event, f *fate) {
	c.published++
	if f.publishes > 0 {
		f.publishes = 2
		c.extraPublished++
		return
	}
	f.publishes = 1
	if f.flags&committed != 0 {
		c.lag.Record(e.T - c.unsent[f])
		delete(c.unsent, f)
		c.now--
		c.depth.Record(e.T, c.now)
	}
}

// handle follows the consumer applying f's effect.
func (c *Checks) handle(f *fate) {
	if f.handles < maxHandles {
		f.handles++
	} else {
		if c.many == nil {
			c.many = map[*fate]int64{}
		}
		c.many[f]++
	}
	c.handled++
	if f.handles > 1 {
		c.extraApplied++
		return
	}
	if f.flags&committed != 0 {
		c.editOrder(f.key, func(k *keyOrder) {
			if k.maxHandled > 0 && f.pos < k.maxHandled-1 {
				f.flags |= outOfOrder
			}
			k.maxHandled = max(k.maxHandled, f.pos+1)
		})
	}
}

// commitAt returns the commit time of f, committed and not yet published.
func (c *Checks) commitAt(f *fate) time.Duration { return c.unsent[f] }

// Finish closes the depth record at the end of the run, end: the time of
// the last event or later.
func (c *Checks) Finish(end time.Duration) {
	c.end = max(c.end, end)
	c.depth.Record(c.end, c.now)
}

// Report returns the tables and the verdicts of the run: no-zombie,
// no-ghost, exactly-once-effect and per-key-order.
func (c *Checks) Report() ([]trace.Table, []trace.Verdict) {
	var zombies, ghosts, effects, order check.Cases
	judge := func(id string, n int, f *fate) {
		if f.flags&seen == 0 {
			return
		}
		cm := f.flags&committed != 0
		// line writes a line of evidence only when it will be shown.
		line := func(cs *check.Cases, why func() string) {
			if !cs.Room() {
				cs.Add("")
				return
			}
			if id == "" {
				id = "e" + strconv.Itoa(n)
			}
			cs.Add(check.Line(id, c.keyText(f.key), why()))
		}
		switch {
		case cm && f.publishes == 0:
			line(&zombies, func() string {
				return "committed at " + trace.FormatDuration(c.commitAt(f)) + ", never published"
			})
		case !cm && f.publishes > 0:
			line(&ghosts, func() string { return "published, never committed" })
		}
		switch {
		case cm && f.handles == 0:
			line(&effects, func() string { return "committed, never applied downstream" })
		case f.handles > 1:
			line(&effects, func() string { return "applied " + itoa(int64(f.handles)+c.many[f]) + " times" })
		case !cm && f.handles > 0:
			line(&effects, func() string { return "applied, but the order was never committed" })
		}
		if f.flags&outOfOrder != 0 {
			line(&order, func() string { return "handled after a later event of " + c.keyText(f.key) })
		}
	}
	// The events seen again after their page was forgotten come in their
	// place among the others.
	back := slices.Sorted(maps.Keys(c.back))
	c.events.All(func(n int, f *fate) {
		for len(back) > 0 && back[0] < n {
			judge("", back[0], c.back[back[0]])
			back = back[1:]
		}
		judge("", n, f)
	})
	for _, n := range back {
		judge("", n, c.back[n])
	}
	for _, id := range c.others {
		judge(id, 0, c.other[id])
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
