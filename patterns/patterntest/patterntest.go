// Package patterntest holds the tests every pattern package runs on its
// own Definition: its variants against the sweep's faults, and its checks
// against reworded notes.
package patterntest

import (
	"runtime"
	"testing"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// VariantsKeepTheirGuarantees runs every variant of def with the sweep's
// faults for seeds 1 … seeds: each guarantee must hold in each run, and a
// variant claiming less than the most must break something.
func VariantsKeepTheirGuarantees[C patterns.Config](t *testing.T, def patterns.Def[C], seeds uint64) {
	t.Helper()
	most := 0
	for _, v := range def.Variants {
		most = max(most, len(v.Guarantees))
	}
	for _, v := range def.Variants {
		broke := 0
		for seed := uint64(1); seed <= seeds; seed++ {
			cfg := def.Default()
			def.Faults(&cfg)
			v.Apply(&cfg)
			if err := cfg.Validate(); err != nil {
				t.Fatalf("%s: %v", v.Name, err)
			}
			r := cfg.Run(patterns.Common{Seed: seed}, nil)
			for _, name := range v.Guarantees {
				if got, ok := r.Verdict(name); !ok || !got.OK {
					t.Fatalf("%s seed %d: %s broke: %s %v", v.Name, seed, name, got.Detail, got.Evidence)
				}
			}
			for _, got := range r.Checks {
				if !got.OK {
					broke++
				}
			}
		}
		if len(v.Guarantees) < most && broke == 0 {
			t.Errorf("the weaker variant %s broke nothing in %d runs with the faults", v.Name, seeds)
		}
	}
}

// Verdicter is a checks sink that gives its verdicts.
type Verdicter interface {
	trace.Sink
	Verdicts(stopped string) []trace.Verdict
}

// VerdictsIgnoreNotes runs cfg feeding plain every event and reworded the
// same events with every note and why reworded: no verdict may change.
func VerdictsIgnoreNotes(t *testing.T, cfg patterns.Config, common patterns.Common, plain, reworded Verdicter) {
	t.Helper()
	cfg.Run(common, trace.SinkFunc(func(e *trace.Event) {
		plain.Event(e)
		x := *e
		x.Note, x.Why = "reworded", "reworded"
		reworded.Event(&x)
	}))
	a, b := plain.Verdicts(""), reworded.Verdicts("")
	for i := range a {
		if a[i].OK != b[i].OK || a[i].Detail != b[i].Detail {
			t.Errorf("%s changed with the notes: %s / %s", a[i].Name, a[i].Detail, b[i].Detail)
		}
	}
}

// Verdict runs cfg, which must be valid, with its own seed and returns the
// named verdict.
func Verdict(t *testing.T, cfg patterns.Config, common patterns.Common, name string) trace.Verdict {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	v, ok := cfg.Run(common, nil).Verdict(name)
	if !ok {
		t.Fatalf("no verdict %q", name)
	}
	return v
}

// MostInFlight runs cfg and returns the most messages that were sent and
// not yet settled (acked, dead-lettered or lost) at any moment, read from
// its events, and how many were sent. Every message must settle by the end.
func MostInFlight(t *testing.T, cfg patterns.Config) (most, sent int) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	n := 0
	r := cfg.Run(patterns.Common{Seed: 1}, trace.SinkFunc(func(e *trace.Event) {
		switch e.Kind {
		case trace.Send:
			n++
			sent++
			most = max(most, n)
		case trace.Ack, trace.DeadLetter, trace.Drop:
			n--
		}
	}))
	if n != 0 || r.Stopped != "" {
		t.Errorf("%d messages unsettled at the end (%s)", n, r.Stopped)
	}
	return most, sent
}

// heapAtSummary is a sink that reads the live heap when the summary is
// emitted: what a run still holds at its end.
type heapAtSummary struct{ live uint64 }

func (h *heapAtSummary) Event(e *trace.Event) {
	if e.Kind == trace.Summary {
		h.live = liveHeap()
	}
}

func (h *heapAtSummary) Wants() trace.Kinds { return trace.KindsOf(trace.Summary) }

func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// HeapAtEnd runs cfg and returns how much the live heap grew from before
// the run to its summary: what the run still holds at its end.
func HeapAtEnd(cfg patterns.Config, common patterns.Common) uint64 {
	before := liveHeap()
	h := &heapAtSummary{}
	cfg.Run(common, h)
	return h.live - min(h.live, before)
}

// HeapPerOrder runs the run that config(n) makes, for small and then large
// orders, and returns the bytes the live heap at each run's end grew by
// per order between the two: about 0 when memory follows what is in
// flight, the bytes kept per settled order when it does not.
func HeapPerOrder(t *testing.T, config func(n int) patterns.Config, small, large int) float64 {
	t.Helper()
	at := func(n int) uint64 {
		cfg := config(n)
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		return HeapAtEnd(cfg, patterns.Common{Seed: 1})
	}
	a, b := at(small), at(large)
	per := (float64(b) - float64(a)) / float64(large-small)
	t.Logf("live heap at the end: %d bytes after %d orders, %d after %d: %.1f bytes an order", a, small, b, large, per)
	return per
}
