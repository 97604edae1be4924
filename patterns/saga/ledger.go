package saga

import (
	"fmt"
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
	orders   []orderRec // by order number
	stock    int
	stockSet bool
	comps    map[string]int // "order|actor" → compensations applied
	twice    check.Cases
}

// orderRec is one order as the events tell it.
type orderRec struct {
	state      string
	start, end time.Duration
	started    bool
	final      [numSteps]string // the step's last committed value
	wasDone    [numSteps]bool   // it was done at some point
}

// NewLedger returns an empty Ledger; the run event tells it how many
// orders and how much stock there are, and the other events the rest.
func NewLedger() *Ledger {
	return &Ledger{orders: make([]orderRec, 1), comps: map[string]int{}}
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
				l.orders = make([]orderRec, n+1)
			case "stock":
				l.stock = n
			}
		}
	case trace.Commit:
		l.commit(e)
	case trace.Compensate:
		k := e.Msg.Key + "|" + e.Actor
		l.comps[k]++
		if l.comps[k] == 2 {
			l.twice.Add(e.Msg.Key + ": " + e.Actor + " compensated twice (again by " + e.Msg.ID + ")")
		}
	}
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
		if n <= 0 || n >= len(l.orders) {
			continue
		}
		o := &l.orders[n]
		if prefix+"/" == orderPrefix {
			o.state = v
			if !o.started {
				o.started, o.start = true, e.T
			}
			if v == approved || v == rejected {
				o.end = e.T
			}
			continue
		}
		for i := range steps {
			if steps[i].key == prefix+"/" {
				o.final[i] = v
				if v == steps[i].doneVal {
					o.wasDone[i] = true
				}
			}
		}
	}
}

// stepCell says what a step of an order came to.
func (o *orderRec) stepCell(s Step) string {
	st := &steps[s]
	switch v := o.final[s]; {
	case v == st.doneVal:
		return "done"
	case v == st.failVal:
		return "failed"
	case v == st.offVal && o.wasDone[s]:
		return "compensated"
	case v == st.offVal:
		return "cancelled"
	}
	return "-"
}

func (o *orderRec) finalState() string {
	if o.state == "" {
		return "not placed"
	}
	return o.state
}

// Tables returns the orders table and the outcome line.
func (l *Ledger) Tables() []trace.Table {
	t := trace.Table{Title: "orders", Columns: []string{"order", "state", "payment", "inventory", "shipping", "took"}}
	counts := map[string]int{}
	var names []string
	for n := 1; n < len(l.orders); n++ {
		o := &l.orders[n]
		state := o.finalState()
		if counts[state] == 0 {
			names = append(names, state)
		}
		counts[state]++
		if n > MaxRows {
			continue
		}
		took := "-"
		if o.end > 0 || state == approved || state == rejected {
			took = trace.ShortDuration(o.end - o.start)
		}
		t.Rows = append(t.Rows, []string{OrderKey(n), state,
			o.stepCell(Payment), o.stepCell(Inventory), o.stepCell(Shipping), took})
	}
	if more := len(l.orders) - 1 - MaxRows; more > 0 {
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
	for n := 1; n < len(l.orders); n++ {
		o := &l.orders[n]
		key := OrderKey(n)
		switch o.state {
		case approved:
			nApproved++
			var missing []string
			for s := Step(0); s < numSteps; s++ {
				if o.final[s] != steps[s].doneVal {
					missing = append(missing, s.String()+" "+orDash(o.final[s]))
				}
			}
			if len(missing) > 0 {
				torn.Add(key + ": APPROVED but " + strings.Join(missing, ", "))
			}
		case rejected:
			nRejected++
			var kept []string
			for s := Step(0); s < numSteps; s++ {
				if o.final[s] == steps[s].doneVal {
					kept = append(kept, s.String()+" "+o.final[s])
				}
			}
			if len(kept) > 0 {
				held.Add(key + ": REJECTED but " + strings.Join(kept, ", ") + " (never compensated)")
			}
		default:
			why := "stuck " + o.finalState()
			if stopped != "" {
				why += " (" + stopped + ")"
			}
			stuck.Add(key + ": " + why)
		}
	}
	total := len(l.orders) - 1
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
		once.Detail = patterns.Count(len(l.comps), "compensation") + ", each once"
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
