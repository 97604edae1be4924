package saga

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

// MaxRows is how many orders the summary table lists before it counts the
// rest.
const MaxRows = 10

// Ledger is a sink that follows every order through the events alone: the
// commits of each service's database say what each step holds, and the
// compensate events say what was undone. From them it builds the summary
// table and the saga checks, so any trace can be judged the same way.
type Ledger struct {
	orders   check.Dense[orderRec] // by order number, from 1 to total
	total    int                   // the orders the run event declares
	pages    check.Pages           // which pages of orders are all settled
	except   []exception           // the orders of forgotten pages not clean, by number
	approved orderRec              // what every other order of a forgotten page was
	codesSet bool                  // approved holds the codes of an approved order
	ends     [2]uint16             // the codes of APPROVED and REJECTED, once seen
	took     [MaxRows + 1]span
	stock    int
	stockSet bool
	values   []string          // the values commits wrote, each once: orderRec holds their codes
	codes    map[string]uint16 // code of each value: 1 + its index in values
	comps    map[string]int    // "order|actor" → compensations applied, beyond what orderRec holds
	nComps   int               // order and actor pairs with a compensation
	twice    check.Cases
}

// orderRec is one order as the events tell it, in a few bytes: memory per
// order stays small when hundreds of thousands run.
type orderRec struct {
	state   uint16           // code of the order's state (see Ledger.values); 0 for none
	final   [numSteps]uint16 // code of each step's last committed value
	wasDone uint8            // bit s: step s was done at some point
	comps   [numSteps]uint8  // compensations applied by each step's service, up to 255
}

// exception is the record of an order of a forgotten page that is not
// clean: 16 bytes.
type exception struct {
	n   int32
	rec orderRec
}

// settled reports whether o is APPROVED or REJECTED.
func (l *Ledger) settled(o *orderRec) bool {
	for i, v := range []string{approved, rejected} {
		if l.ends[i] == 0 {
			l.ends[i] = l.codes[v]
		}
	}
	return o.state != 0 && (o.state == l.ends[0] || o.state == l.ends[1])
}

// clean reports whether o is approved with every step done and nothing
// compensated: every such order's record is the same, so a forgotten page
// keeps none of them and reads them as l.approved.
func (l *Ledger) clean(o *orderRec) bool {
	if !l.codesSet {
		a, ok := l.codes[approved]
		if !ok {
			return false
		}
		rec := orderRec{state: a, wasDone: 1<<numSteps - 1}
		for s := range steps {
			if rec.final[s], ok = l.codes[steps[s].doneVal]; !ok {
				return false
			}
		}
		l.approved, l.codesSet = rec, true
	}
	return *o == l.approved
}

// rec returns the record of order n (from 1 to total) to write, and n
// while its page is kept (-1 once forgotten: an order of a forgotten page
// written again comes back as it was). The pointer holds until the next
// page is forgotten.
func (l *Ledger) rec(n int) (*orderRec, int) {
	if !l.pages.Forgotten(n) {
		return l.orders.At(n), n
	}
	i, ok := l.find(n)
	if !ok {
		l.except = slices.Insert(l.except, i, exception{int32(n), l.approved})
	}
	return &l.except[i].rec, -1
}

// find returns where order n is or would be in l.except.
func (l *Ledger) find(n int) (int, bool) {
	return slices.BinarySearchFunc(l.except, n, func(x exception, n int) int { return cmp.Compare(int(x.n), n) })
}

// view returns the record of order n to read.
func (l *Ledger) view(n int) *orderRec {
	if o := l.orders.Get(n); o != nil {
		return o
	}
	if l.pages.Forgotten(n) {
		if i, ok := l.find(n); ok {
			return &l.except[i].rec
		}
		return &l.approved
	}
	return &orderRec{}
}

// track notes whether o, order n, is settled now that it was (or was not)
// before, and forgets its page once every order in it is, keeping the
// records that are not clean (16 bytes each): a long run keeps the orders
// in flight and those rejected or gone wrong, not 12 bytes an order.
func (l *Ledger) track(n int, o *orderRec, was bool) {
	if n < 0 || !l.pages.Change(n, was, l.settled(o)) {
		return
	}
	first := n - n%check.DensePage
	for m := first; m < first+check.DensePage; m++ {
		if r := l.orders.Get(m); !l.clean(r) {
			i, _ := l.find(m)
			l.except = slices.Insert(l.except, i, exception{int32(m), *r})
		}
	}
	l.orders.Free(n)
}

// span is when an order was first written and when it ended, kept for the
// orders the table lists.
type span struct {
	start, end time.Duration
	started    bool
}

// maxValues is how many distinct values a Ledger tells apart; any later
// one reads as otherValue.
const (
	maxValues  = 1<<16 - 2
	otherValue = "(other)"
)

// code returns the code of value v, given one on first sight.
func (l *Ledger) code(v string) uint16 {
	if c, ok := l.codes[v]; ok {
		return c
	}
	if len(l.values) >= maxValues {
		return l.code(otherValue)
	}
	l.values = append(l.values, v)
	c := uint16(len(l.values))
	l.codes[v] = c
	return c
}

// value returns the value of code c, "" for none.
func (l *Ledger) value(c uint16) string {
	if c == 0 {
		return ""
	}
	return l.values[c-1]
}

// NewLedger returns an empty Ledger; the run event tells it how many
// orders and how much stock there are, and the other events the rest.
func NewLedger() *Ledger {
	return &Ledger{comps: map[string]int{}, codes: map[string]uint16{}}
}

// Event implements trace.Sink.
func (l *Ledger) Event(e *trace.Event) {
	switch e.Kind {
	case trace.Run:
		for _, p := range e.Params {
			n, err := strconv.Atoi(p.Value)
			if err != nil || n < 0 {
				continue
			}
			switch p.Name {
			case "orders":
				l.total = n
			case "stock":
				l.stock = n
			}
		}
	case trace.Commit:
		l.commit(e)
	case trace.Compensate:
		if l.compensated(e) == 2 {
			l.twice.Add(e.Msg.Key + ": " + e.Actor + " compensated twice (again by " + e.Msg.ID + ")")
		}
	}
}

// compensated counts a compensation of an order by an actor and returns
// how many that pair has had: in the order's record when the actor is a
// step's service, else in a map.
func (l *Ledger) compensated(e *trace.Event) int {
	n := orderNum(e.Msg.Key)
	for s := range steps {
		if steps[s].name == e.Actor && n > 0 && n <= l.total {
			o, m := l.rec(n)
			if c := &o.comps[s]; *c < 255 {
				was := l.settled(o)
				if *c++; *c == 1 {
					l.nComps++
				}
				l.track(m, o, was)
				return int(*c)
			}
		}
	}
	k := e.Msg.Key + "|" + e.Actor
	if l.comps[k]++; l.comps[k] == 1 {
		l.nComps++
	}
	return l.comps[k]
}

// commit reads the writes a commit carries.
func (l *Ledger) commit(e *trace.Event) {
	for _, w := range e.Writes {
		if w.Deleted {
			continue
		}
		k, v := w.Key, w.Value
		if k == stockKey {
			n, err := strconv.Atoi(v)
			if err == nil {
				l.stock = n
			}
			continue
		}
		prefix, key, ok := strings.Cut(k, "/")
		if !ok {
			continue
		}
		n := orderNum(key)
		if n <= 0 || n > l.total {
			continue
		}
		o, m := l.rec(n)
		was := l.settled(o)
		l.write(o, n, prefix+"/", v, e.T)
		l.track(m, o, was)
	}
}

// write applies the write of value v under prefix to order n's record o
// at time t.
func (l *Ledger) write(o *orderRec, n int, prefix, v string, t time.Duration) {
	if prefix == orderPrefix {
		o.state = l.code(v)
		if n < len(l.took) {
			sp := &l.took[n]
			if !sp.started {
				sp.started, sp.start = true, t
			}
			if v == approved || v == rejected {
				sp.end = t
			}
		}
		return
	}
	for i := range steps {
		if steps[i].key == prefix {
			o.final[i] = l.code(v)
			if v == steps[i].doneVal {
				o.wasDone |= 1 << i
			}
		}
	}
}

// stepCell says what a step of an order came to.
func (l *Ledger) stepCell(o *orderRec, s Step) string {
	st := &steps[s]
	switch v := l.value(o.final[s]); {
	case v == st.doneVal:
		return "done"
	case v == st.failVal:
		return "failed"
	case v == st.offVal && o.wasDone&(1<<s) != 0:
		return "compensated"
	case v == st.offVal:
		return "cancelled"
	}
	return "-"
}

func (l *Ledger) finalState(o *orderRec) string {
	if o.state == 0 {
		return "not placed"
	}
	return l.value(o.state)
}

// final returns the last value order o's step s committed.
func (l *Ledger) final(o *orderRec, s Step) string { return l.value(o.final[s]) }

// Tables returns the orders table and the outcome line.
func (l *Ledger) Tables() []trace.Table {
	t := trace.Table{Title: "orders", Columns: []string{"order", "state", "payment", "inventory", "shipping", "took"}}
	counts := map[string]int{}
	var names []string
	for n := 1; n <= l.total; n++ {
		o := l.view(n)
		state := l.finalState(o)
		if counts[state] == 0 {
			names = append(names, state)
		}
		counts[state]++
		if n > MaxRows {
			continue
		}
		took := "-"
		if sp := &l.took[n]; sp.end > 0 || state == approved || state == rejected {
			took = trace.ShortDuration(sp.end - sp.start)
		}
		t.Rows = append(t.Rows, []string{patterns.OrderKey(n), state,
			l.stepCell(o, Payment), l.stepCell(o, Inventory), l.stepCell(o, Shipping), took})
	}
	if more := l.total - MaxRows; more > 0 {
		t.Rows = append(t.Rows, []string{fmt.Sprintf("… %d more", more), "", "", "", "", ""})
	}
	var parts []string
	for _, s := range []string{approved, rejected, pending} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	for _, s := range names {
		if s != approved && s != rejected && s != pending {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	tables := []trace.Table{t}
	if len(parts) > 0 {
		stock := fmt.Sprintf("%d", l.stock)
		tables = append(tables, trace.Table{Title: "outcome", Columns: []string{"outcome", "stock left"},
			Rows: [][]string{{strings.Join(parts, " · "), stock}}})
	}
	return tables
}

// Verdicts returns the saga checks. stopped says why the run was cut
// short, if it was.
func (l *Ledger) Verdicts(stopped string) []trace.Verdict {
	var stuck, torn, held check.Cases
	var nApproved, nRejected int
	for n := 1; n <= l.total; n++ {
		o := l.view(n)
		key := patterns.OrderKey(n)
		switch l.value(o.state) {
		case approved:
			nApproved++
			var missing []string
			for s := Step(0); s < numSteps; s++ {
				if l.final(o, s) != steps[s].doneVal {
					missing = append(missing, s.String()+" "+orDash(l.final(o, s)))
				}
			}
			if len(missing) > 0 {
				torn.Add(key + ": APPROVED but " + strings.Join(missing, ", "))
			}
		case rejected:
			nRejected++
			var kept []string
			for s := Step(0); s < numSteps; s++ {
				if l.final(o, s) == steps[s].doneVal {
					kept = append(kept, s.String()+" "+l.final(o, s))
				}
			}
			if len(kept) > 0 {
				held.Add(key + ": REJECTED but " + strings.Join(kept, ", ") + " (never compensated)")
			}
		default:
			why := "stuck " + l.finalState(o)
			if stopped != "" {
				why += " (" + stopped + ")"
			}
			stuck.Add(key + ": " + why)
		}
	}
	total := l.total
	nStuck, nTorn, nHeld := stuck.Count(), torn.Count(), held.Count()
	atomic := trace.Verdict{Name: "saga-atomic", Title: "every saga committed or compensated",
		OK: nStuck == 0 && nTorn == 0 && nHeld == 0}
	if atomic.OK {
		atomic.Detail = fmt.Sprintf("%d APPROVED, %d REJECTED, none PENDING", nApproved, nRejected)
	} else {
		var parts []string
		if nStuck > 0 {
			parts = append(parts, fmt.Sprintf("%d of %d never finished", nStuck, total))
		}
		if nHeld > 0 {
			parts = append(parts, fmt.Sprintf("%d REJECTED half-done", nHeld))
		}
		if nTorn > 0 {
			parts = append(parts, fmt.Sprintf("%d APPROVED incomplete", nTorn))
		}
		atomic.Detail = strings.Join(parts, "; ")
		atomic.Evidence = check.Evidence(&stuck, &held, &torn)
	}
	orphans := trace.Verdict{Name: "no-orphan-holds", Title: "nothing held for a rejected order",
		OK: nHeld == 0}
	if orphans.OK {
		orphans.Detail = fmt.Sprintf("%d REJECTED, each released what it held", nRejected)
		if nRejected == 0 {
			orphans.Detail = "no order REJECTED"
		}
	} else {
		orphans.Detail = fmt.Sprintf("%d of %d REJECTED still hold a payment, stock or a shipment",
			nHeld, nRejected)
		orphans.Evidence = check.Evidence(&held)
	}
	once := trace.Verdict{Name: "compensate-once", Title: "no compensation applied twice", OK: l.twice.Count() == 0}
	if once.OK {
		once.Detail = patterns.Count(l.nComps, "compensation") + ", each once"
	} else {
		once.Detail = fmt.Sprintf("%d compensations applied more than once", l.twice.Count())
		once.Evidence = check.Evidence(&l.twice)
	}
	return []trace.Verdict{atomic, orphans, once}
}

func orDash(s string) string {
	if s == "" {
		return "never done"
	}
	return s
}
