package requestreply

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/trace"
)

// Calls is a sink that follows every call through the events alone. A call
// is the correlation id of a request a requester sent: its tries, the work
// the responders did for it (handle events of its requests), the replies
// and who they reached, and the outcome its caller got — the requester's
// handle of a reply (answered) or its drop of the request (failed). A call
// is forgotten once its caller has the outcome and no message of it is
// still in flight, so memory follows what is in flight.
//
// Its checks: every call answered or reported failed to its caller; no
// request's work done twice; every reply taken — matched, or discarded as
// late — by the caller that asked, and matched to the call its correlation
// id names. An instance that did not ask may pass a reply on (a nack that
// requeues it); only taking it counts.
type Calls struct {
	calls    map[string]*callRec // by correlation id
	inflight map[msgKey]string   // (queue, message id) → correlation id, until settled
	seq      int64

	latency    trace.Histogram
	callers    []*tally // requesters, in the order they first sent
	responders []*tally // in the order they were first delivered a request

	dups, wrong check.Cases
}

type msgKey struct{ queue, id string }

type callRec struct {
	id       string
	seq      int64
	caller   *tally
	typ, key string
	start    time.Duration
	outcome  outcome
	effects  int
	inflight int
}

type outcome uint8

const (
	waiting outcome = iota
	answered
	failedCall
)

// tally counts what one requester or one responder did.
type tally struct {
	name string
	// a requester's
	calls, tries, answered, failed, late, stray int64
	// a responder's
	requests, work, replayed, lost int64
}

// NewCalls returns an empty Calls sink.
func NewCalls() *Calls {
	return &Calls{calls: map[string]*callRec{}, inflight: map[msgKey]string{}}
}

// tallyOf returns the tally called name in *list, adding it when new.
func tallyOf(list *[]*tally, name string) *tally {
	for _, s := range *list {
		if s.name == name {
			return s
		}
	}
	s := &tally{name: name}
	*list = append(*list, s)
	return s
}

func (c *Calls) caller(name string) *tally    { return tallyOf(&c.callers, name) }
func (c *Calls) responder(name string) *tally { return tallyOf(&c.responders, name) }

// Event implements trace.Sink.
func (c *Calls) Event(e *trace.Event) {
	corr := e.Msg.CorrelationID
	if corr == "" {
		return
	}
	rec := c.calls[corr]
	switch e.Kind {
	case trace.Send:
		if e.Msg.Class == trace.Command {
			if rec == nil {
				c.seq++
				rec = &callRec{id: corr, seq: c.seq, caller: c.caller(e.Actor), typ: e.Msg.Type, key: e.Msg.Key, start: e.T}
				c.calls[corr] = rec
				rec.caller.calls++
			}
			rec.caller.tries++
		}
		if rec != nil {
			c.inflight[msgKey{e.To, e.Msg.ID}] = corr
			rec.inflight++
		}
	case trace.Deliver:
		switch {
		case rec == nil:
		case e.Msg.Class == trace.Command:
			c.responder(e.To).requests++
		}
	case trace.Handle:
		switch {
		case rec == nil:
		case e.Msg.Class == trace.Command && e.Actor != rec.caller.name:
			c.responder(e.Actor).work++
			rec.effects++
			if rec.effects == 2 {
				c.dups.Add(fmt.Sprintf("%s %s %s: the work done again by %s at %s",
					corr, rec.typ, rec.key, e.Actor, trace.FormatDuration(e.T)))
			}
		case e.Msg.Class == trace.Reply && e.Actor != rec.caller.name:
			c.misplaced(e, fmt.Sprintf("%s (reply to %s, asked by %s) matched by %s",
				e.Msg.ID, corr, rec.caller.name, e.Actor))
		case e.Msg.Class == trace.Reply && c.inflight[msgKey{e.To, e.Msg.ID}] != "" &&
			c.inflight[msgKey{e.To, e.Msg.ID}] != corr:
			c.misplaced(e, fmt.Sprintf("%s (reply to %s) matched to %s",
				e.Msg.ID, c.inflight[msgKey{e.To, e.Msg.ID}], corr))
		case e.Msg.Class == trace.Reply && rec.outcome != waiting:
			c.misplaced(e, fmt.Sprintf("%s matched to %s, whose caller already had its outcome", e.Msg.ID, corr))
		case e.Msg.Class == trace.Reply:
			rec.outcome = answered
			rec.caller.answered++
			c.latency.Record(e.T - rec.start)
		}
	case trace.Skip:
		switch {
		case rec == nil:
		case e.Msg.Class == trace.Command:
			c.responder(e.Actor).replayed++
		case e.Actor == rec.caller.name:
			rec.caller.late++
		default:
			c.misplaced(e, fmt.Sprintf("%s (reply to %s, asked by %s) discarded by %s",
				e.Msg.ID, corr, rec.caller.name, e.Actor))
		}
	case trace.Drop:
		switch {
		case rec == nil:
		case e.Msg.Class == trace.Command && e.Actor == rec.caller.name && e.To == "":
			if rec.outcome == waiting {
				rec.outcome = failedCall
				rec.caller.failed++
			}
		case e.Msg.Class == trace.Reply && e.To == "":
			c.responder(e.Actor).lost++
		case e.Msg.Class == trace.Reply:
			c.caller(e.Actor).stray++
			if e.Actor != rec.caller.name {
				c.misplaced(e, fmt.Sprintf("%s (reply to %s, asked by %s) taken and dropped by %s",
					e.Msg.ID, corr, rec.caller.name, e.Actor))
			}
		}
		c.settle(msgKey{e.To, e.Msg.ID})
	case trace.Ack:
		c.settle(msgKey{e.To, e.Msg.ID})
	case trace.DeadLetter:
		c.settle(msgKey{e.Actor, e.Msg.ID})
	}
	c.forget(rec)
}

// settle marks a message of a call as out of flight.
func (c *Calls) settle(k msgKey) {
	corr, ok := c.inflight[k]
	if !ok {
		return
	}
	delete(c.inflight, k)
	if rec := c.calls[corr]; rec != nil {
		rec.inflight--
		c.forget(rec)
	}
}

// forget drops a call whose caller has its outcome and of which no message
// is in flight: nothing more can happen to it.
func (c *Calls) forget(rec *callRec) {
	if rec != nil && rec.outcome != waiting && rec.inflight == 0 {
		delete(c.calls, rec.id)
	}
}

func (c *Calls) misplaced(e *trace.Event, why string) {
	c.wrong.Add(why + " at " + trace.FormatDuration(e.T))
}

// hung returns the calls whose callers never got an outcome, oldest first.
func (c *Calls) hung() []*callRec {
	var out []*callRec
	for _, rec := range c.calls {
		if rec.outcome == waiting {
			out = append(out, rec)
		}
	}
	slices.SortFunc(out, func(a, b *callRec) int { return int(a.seq - b.seq) })
	return out
}

// Tables returns the calls table, the latency of the answers and the
// responders table. Call it once the run has ended.
func (c *Calls) Tables() []trace.Table {
	waitingBy := map[*tally]int64{}
	for _, rec := range c.hung() {
		waitingBy[rec.caller]++
	}
	calls := trace.Table{Title: "calls", Columns: []string{"requester", "calls", "tries", "answered", "failed",
		"waiting", "late replies", "strays"}}
	for _, s := range c.callers {
		calls.Rows = append(calls.Rows, []string{s.name, itoa(s.calls), itoa(s.tries), itoa(s.answered),
			itoa(s.failed), itoa(waitingBy[s]), itoa(s.late), itoa(s.stray)})
	}
	lat := trace.Table{Title: "latency", Columns: []string{"latency", "answered", "p50", "p95", "p99", "max"}}
	h := &c.latency
	row := []string{"request → answer", itoa(h.Count()), "-", "-", "-", "-"}
	if h.Count() > 0 {
		row = []string{"request → answer", itoa(h.Count()), trace.ShortDuration(h.Percentile(50)),
			trace.ShortDuration(h.Percentile(95)), trace.ShortDuration(h.Percentile(99)), trace.ShortDuration(h.Max())}
	}
	lat.Rows = [][]string{row}
	resp := trace.Table{Title: "responders", Columns: []string{"responder", "requests", "work done",
		"replayed", "replies lost"}}
	for _, s := range c.responders {
		resp.Rows = append(resp.Rows, []string{s.name, itoa(s.requests), itoa(s.work), itoa(s.replayed), itoa(s.lost)})
	}
	return []trace.Table{calls, lat, resp}
}

// Verdicts returns the request-reply checks. stopped says why the run was
// cut short, if it was.
func (c *Calls) Verdicts(stopped string) []trace.Verdict {
	var total, ok, failed int64
	for _, s := range c.callers {
		total += s.calls
		ok += s.answered
		failed += s.failed
	}
	hung := c.hung()
	answer := trace.Verdict{Name: "answered-or-failed", Title: "every call answered or reported failed",
		OK: len(hung) == 0}
	if answer.OK {
		answer.Detail = fmt.Sprintf("%d answered, %d failed, none left waiting", ok, failed)
	} else {
		answer.Detail = fmt.Sprintf("%d of %d calls left waiting, neither answered nor failed", len(hung), total)
		if stopped != "" {
			answer.Detail = fmt.Sprintf("%d of %d calls left waiting (%s)", len(hung), total, stopped)
		}
		var ev check.Cases
		for _, rec := range hung {
			ev.Add(fmt.Sprintf("%s %s %s, asked by %s at %s", rec.id, rec.typ, rec.key,
				rec.caller.name, trace.FormatDuration(rec.start)))
		}
		answer.Evidence = check.Evidence(&ev)
	}
	dup := check.Judge("no-duplicate-effects", "no work done twice", &c.dups,
		"each call's work done at most once",
		"1 call had its work done more than once", "%d calls had their work done more than once")
	right := check.Judge("replies-to-caller", "each reply reached its own caller", &c.wrong,
		"taken and matched by the requester that asked",
		"1 reply taken or matched by the wrong requester",
		"%d replies taken or matched by the wrong requester")
	return []trace.Verdict{answer, dup, right}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
