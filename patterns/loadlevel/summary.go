package loadlevel

import (
	"fmt"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// maxStepRows is how many scaling steps the summary lists.
const maxStepRows = 24

// finish closes the run: the totals and delivery checks every pattern
// has, then this pattern's own tables, emitted as the summary event. The
// generic consumer, queue and latency tables are replaced by the workers,
// backlog and wait tables, which say the same things in this pattern's
// terms.
func (r *run) finish() *trace.Report {
	end := r.w.Now()
	r.closeWorkers()
	tables := []trace.Table{r.chartTable(end), r.timesTable(), r.workersTable()}
	if r.scaler != nil && len(r.steps) > 0 {
		tables = append(tables, r.stepsTable())
	}
	tables = append(tables, r.theoryTables()...)
	var verdicts []trace.Verdict
	if r.slo != nil {
		verdicts = append(verdicts, r.slo.Verdict())
	}
	return r.s.Finish(patterns.Ending{Delivery: true, OwnTables: true, Tables: tables,
		Series: r.series.report(end, r.scaler != nil), Verdicts: verdicts})
}

// closeWorkers ends the service of the workers still at it and sums the
// busy and serving times.
func (r *run) closeWorkers() {
	end := r.w.Now()
	for _, wk := range r.workers {
		if wk.state == serving || wk.state == leaving {
			wk.served += end - wk.since
		}
		r.m.busy += wk.busy
		r.m.serving += wk.served
	}
}

func (r *run) chartTable(end time.Duration) trace.Table {
	sr := r.series
	title := "backlog over time"
	switch {
	case sr.peak == 0:
		title += " · no order ever waited in the queue"
	case sr.drainedAt >= 0:
		title += fmt.Sprintf(" · peak %d at %s · drained at %s", sr.peak, trace.ShortDuration(sr.peakAt),
			trace.ShortDuration(sr.drainedAt))
	default:
		title += fmt.Sprintf(" · peak %d at %s · not drained by the end", sr.peak, trace.ShortDuration(sr.peakAt))
	}
	t := trace.Table{Title: "backlog", Columns: []string{title}}
	for _, l := range sr.chart(end, r.scaler != nil) {
		t.Rows = append(t.Rows, []string{l})
	}
	return t
}

func (r *run) timesTable() trace.Table {
	t := trace.Table{Title: "times", Columns: []string{"per order", "orders", "mean", "p50", "p95", "p99", "max"}}
	row := func(name string, h *trace.Histogram, mean time.Duration) []string {
		return []string{name, strconv.Itoa(int(h.Count())), fmtDur(mean), fmtDur(h.Percentile(50)), fmtDur(h.Percentile(95)),
			fmtDur(h.Percentile(99)), fmtDur(h.Max())}
	}
	t.Rows = append(t.Rows,
		row("wait in queue", &r.m.wait, r.m.meanWait()),
		row("time in system", &r.m.system, r.m.meanSystem()))
	return t
}

func (r *run) workersTable() trace.Table {
	t := trace.Table{Title: "workers", Columns: []string{"worker", "worker-seconds", "handled", "utilization"}}
	var handled int64
	for _, wk := range r.workers {
		handled += wk.handled
		if wk.served == 0 && wk.handled == 0 {
			continue
		}
		t.Rows = append(t.Rows, []string{wk.name, workerSeconds(wk.served), strconv.Itoa(int(wk.handled)), pct(wk.busy, wk.served)})
	}
	// The all row is the cost of the pool: what it was paid for, busy or not.
	t.Rows = append(t.Rows, []string{"all", workerSeconds(r.m.serving), strconv.Itoa(int(handled)), pct(r.m.busy, r.m.serving)})
	return t
}

func (r *run) stepsTable() trace.Table {
	t := trace.Table{Title: "scaling", Columns: []string{"scaling at", "step", "workers", "why"}}
	for i, s := range r.steps {
		if i == maxStepRows {
			t.Rows = append(t.Rows, []string{"…", fmt.Sprintf("%d more", len(r.steps)-i), "", ""})
			break
		}
		t.Rows = append(t.Rows, []string{trace.ShortDuration(s.at), s.step, s.workers, s.reason})
	}
	return t
}

// workerSeconds writes how long workers served as a number of seconds,
// three figures: 0.265, 27.1, 801.
func workerSeconds(d time.Duration) string {
	if s := d.Seconds(); s >= 100 {
		return strconv.FormatFloat(s, 'f', 0, 64)
	}
	return strconv.FormatFloat(d.Seconds(), 'g', 3, 64)
}

func pct(part, whole time.Duration) string {
	if whole <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(part)/float64(whole))
}

// theoryTables holds the measurement against queueing theory, and says in
// words what theory does and does not cover in this run.
func (r *run) theoryTables() []trace.Table {
	cfg := r.cfg
	var notes []string
	var tables []trace.Table
	if cfg.Autoscale.On() {
		a := cfg.Autoscale
		lo, okLo := Predict(max(a.Min, 1), cfg.Arrival, cfg.Work)
		hi, _ := Predict(a.Max, cfg.Arrival, cfg.Work)
		if okLo {
			notes = append(notes, fmt.Sprintf("Autoscaling changes the number of workers, so no single M/M/c "+
				"describes the run. The steady stream alone puts ρ at %.2f on %s and %.2f on %s; "+
				"--sweep-consumers shows each count in turn.", lo.Rho, patterns.Count(max(a.Min, 1), "worker"),
				hi.Rho, patterns.Count(a.Max, "worker")))
		}
		return append(tables, notesTable(notes))
	}
	th, ok := Predict(cfg.Consumers, cfg.Arrival, cfg.Work)
	if !ok {
		notes = append(notes, "Every order arrives at once (--arrival 0): a batch, not a stream, so "+
			"queueing theory's steady state does not apply; the backlog simply drains at the "+
			"workers' pace.")
		return append(tables, notesTable(notes))
	}
	tables = append(tables, r.theoryTable(th))
	switch {
	case !th.Stable:
		notes = append(notes, fmt.Sprintf("ρ = %.2f ≥ 1: orders arrive faster than %s can finish "+
			"them, so the backlog grows without bound for as long as they arrive. There is no steady "+
			"state, and no mean wait to predict: add workers until ρ < 1.", th.Rho, patterns.Count(cfg.Consumers, "worker")))
	case th.Erlang:
		notes = append(notes, fmt.Sprintf("Arrivals and work are exponential, so the queue is %s and "+
			"Erlang C gives its steady state exactly.", th.Model))
	case th.Exact:
		notes = append(notes, fmt.Sprintf("The queue is %s: with one worker and Poisson arrivals the "+
			"Pollaczek–Khinchine formula gives the mean wait exactly; Erlang C's P(wait) does not apply.", th.Model))
	case cfg.Work.IsConst() && cfg.Arrival.IsExp():
		notes = append(notes, fmt.Sprintf("Work is constant, so the queue is %s, not M/M/c: Erlang C "+
			"does not hold. The mean wait shown (≈) is the Allen–Cunneen approximation, about half "+
			"the M/M/c wait, since constant work removes half the variability.", th.Model))
	default:
		notes = append(notes, fmt.Sprintf("The queue is %s, not M/M/c: Erlang C does not hold, and the "+
			"mean wait shown (≈) is the Allen–Cunneen approximation from the variability of the gaps "+
			"and the work.", th.Model))
	}
	if len(cfg.Bursts) > 0 {
		notes = append(notes, "Bursts are not part of a steady stream: theory describes the orders "+
			"between them, not the flash sale, whose backlog drains at the workers' spare capacity.")
	}
	if th.Stable {
		if hw, ok := r.m.batches.halfWidth(); ok {
			meas := float64(r.m.meanWait() / time.Microsecond)
			theo := float64(th.Wq / time.Microsecond)
			verdict := "theory falls inside it"
			if theo < meas-hw || theo > meas+hw {
				verdict = "theory falls outside it"
			}
			notes = append(notes, fmt.Sprintf("The measured mean wait is %s ± %s (95%%, batch means): %s.",
				fmtDur(r.m.meanWait()), fmtDur(time.Duration(hw)*time.Microsecond), verdict))
		}
		if need := settleOrders(th.Rho); r.checkout.steady.Sent() < need {
			notes = append(notes, fmt.Sprintf("Too short to settle: at ρ %.2f a run needs roughly %s "+
				"orders before its mean wait comes near the steady state, and this one had %d; expect "+
				"the measurement to stray from theory.", th.Rho, roughly(need), r.checkout.steady.Sent()))
		}
	}
	if cfg.Prefetch != 1 {
		notes = append(notes, "With prefetch other than 1 workers hold orders they have not begun, so "+
			"the queue is no longer one line before the workers: theory assumes prefetch 1.")
	}
	return append(tables, notesTable(notes))
}

func (r *run) theoryTable(th Theory) trace.Table {
	m := &r.m
	t := trace.Table{Title: "theory", Columns: []string{th.Model + " theory", "measured", "theory"}}
	util := pct(m.busy, m.serving)
	if m.serving > 0 {
		util = fmt.Sprintf("%.2f", float64(m.busy)/float64(m.serving))
	}
	pw := "—"
	if n := m.wait.Count(); n > 0 {
		pw = fmt.Sprintf("%.2f", float64(m.waited)/float64(n))
	}
	theoWq, theoW, theoP := "∞", "∞", "—"
	if th.Stable {
		prefix := ""
		if !th.Exact {
			prefix = "≈ "
		}
		theoWq, theoW = prefix+fmtDur(th.Wq), prefix+fmtDur(th.W)
	}
	if th.Erlang {
		theoP = fmt.Sprintf("%.2f", th.PWait)
	}
	t.Rows = [][]string{
		{"utilization ρ", util, fmt.Sprintf("%.2f", th.Rho)},
		{"P(wait)", pw, theoP},
		{"mean wait Wq", fmtDur(m.meanWait()), theoWq},
		{"mean in system W", fmtDur(m.meanSystem()), theoW},
	}
	return t
}

// notesTable sets sentences as the rows of a one-column table, one
// bulleted sentence a row: the renderer wraps them to its width.
func notesTable(notes []string) trace.Table {
	t := trace.Table{Title: "notes", Columns: []string{"what theory says"}}
	for _, n := range notes {
		t.Rows = append(t.Rows, []string{"• " + n})
	}
	return t
}

// roughly rounds n to two significant figures.
func roughly(n int) string {
	p := 1
	for n/p >= 100 {
		p *= 10
	}
	return strconv.Itoa((n + p/2) / p * p)
}
