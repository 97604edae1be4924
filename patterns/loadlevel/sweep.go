package loadlevel

import (
	"fmt"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// SweepRow is the outcome of one worker count in a sweep.
type SweepRow struct {
	Workers     int
	Theory      Theory
	HasTheory   bool
	Utilization float64 // measured
	MeanWait    time.Duration
	P99System   time.Duration
	PeakBacklog int
	End         time.Duration
	Orders      int64
	Unsettled   bool // the run ended with orders in flight
}

// SweepOnce runs the scenario with a fixed number of workers and no
// trace, and returns its row.
func SweepOnce(cfg Config, workers int) SweepRow {
	cfg.Consumers, cfg.Autoscale, cfg.SweepFrom, cfg.SweepTo = workers, Autoscale{}, 0, 0
	r := &run{cfg: cfg, series: newSeries()}
	end, stopped := r.runLean()
	row := SweepRow{Workers: workers, MeanWait: r.m.meanWait(), P99System: r.m.system.Percentile(99),
		PeakBacklog: r.series.peak, End: end, Orders: int64(r.checkout.sent), Unsettled: stopped != ""}
	if r.m.serving > 0 {
		row.Utilization = float64(r.m.busy) / float64(r.m.serving)
	}
	row.Theory, row.HasTheory = Predict(workers, cfg.Arrival, cfg.Work)
	return row
}

// Sweep runs the scenario once per worker count from cfg.SweepFrom to
// cfg.SweepTo, without tracing the runs, and emits to out (which may be
// nil) a run event and a summary with one table row per count.
func Sweep(cfg Config, out trace.Sink) *trace.Report {
	var end time.Duration
	s := patterns.Start(Name, cfg.Common, cfg.Params(), out)
	w := s.World
	s.Run(nil) // nothing is set up in the sweep's own world: this emits the run event
	t := trace.Table{Title: "sweep", Columns: []string{"workers", "ρ", "mean wait", "theory", "p99 in system",
		"peak backlog", "ran"}}
	var orders int64
	var model string
	unstable, short := false, false
	var rows []SweepRow
	for c := cfg.SweepFrom; c <= cfg.SweepTo; c++ {
		row := SweepOnce(cfg, c)
		w.Emit(trace.Event{Kind: trace.Note, Actor: "sweep", Note: fmt.Sprintf("%s: %d orders in %s, mean wait %s",
			patterns.Count(c, "worker"), row.Orders, trace.ShortDuration(row.End), fmtDur(row.MeanWait))})
		orders += row.Orders
		rows = append(rows, row)
		theory, rho := "—", "—"
		if row.HasTheory {
			th := row.Theory
			model = th.Model
			rho = fmt.Sprintf("%.2f", th.Rho)
			switch {
			case !th.Stable:
				theory, unstable = "∞ (ρ ≥ 1)", true
			case th.Exact:
				theory = fmtDur(th.Wq)
			default:
				theory = "≈ " + fmtDur(th.Wq)
			}
		}
		ran := trace.ShortDuration(row.End)
		if row.Unsettled {
			ran += " (cut)"
			short = true
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(c), rho, fmtDur(row.MeanWait), theory, fmtDur(row.P99System),
			strconv.Itoa(row.PeakBacklog), ran})
	}
	var notes []string
	if model != "" {
		notes = append(notes, fmt.Sprintf("One run per worker count, same seed and orders: the knee is "+
			"where adding a worker stops buying much wait. Theory is for the steady stream (%s at the "+
			"last count; ≈ marks an approximation).", model))
	}
	if unstable {
		notes = append(notes, "At ρ ≥ 1 the backlog grows for as long as orders arrive: the measured "+
			"wait then depends only on how long the run is, and theory has no finite answer.")
	}
	if short {
		notes = append(notes, "(cut) marks a run stopped before every order settled.")
	}
	if len(cfg.Bursts) > 0 {
		notes = append(notes, "The bursts are in every run; theory covers only the steady stream.")
	}
	for _, row := range rows {
		end = max(end, row.End)
	}
	rep := &trace.Report{Pattern: Name, Seed: cfg.Seed, End: end,
		Totals: []trace.Count{{Name: "runs", Value: int64(len(t.Rows))}, {Name: "orders", Value: orders}},
		Tables: []trace.Table{t}}
	if len(notes) > 0 {
		nt := notesTable(notes)
		nt.Columns = []string{"how to read it"}
		rep.Tables = append(rep.Tables, nt)
	}
	// The sweep's clock ends where its longest run ended, and the summary
	// comes then, whatever a paced reader did meanwhile.
	w.SetHalt(nil)
	w.SetUntil(end)
	w.At(end, nil, func() { w.Emit(trace.Event{Kind: trace.Summary, Actor: "msgplay", Report: rep}) })
	w.Run(nil)
	return rep
}
