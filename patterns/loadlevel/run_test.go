package loadlevel

import (
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// burstAutoscale is a flash sale on an autoscaled pool with prefetch 3, so
// that scale-in has unstarted orders to give back.
func burstAutoscale() Config {
	cfg := Default()
	cfg.Messages = 0
	cfg.Duration = 4 * time.Second
	cfg.Arrival = sim.Exp(20 * time.Millisecond)
	cfg.Bursts = []Burst{{N: 300, At: time.Second}}
	cfg.Prefetch = 3
	cfg.Autoscale = Autoscale{Min: 1, Max: 6, UpAt: 30, DownAt: 10, Delay: 200 * time.Millisecond,
		Cooldown: 100 * time.Millisecond}
	return cfg
}

func TestAutoscaleRun(t *testing.T) {
	var events []trace.Event
	rep := burstAutoscale().Run(patterns.Common{Seed: 1}, trace.SinkFunc(func(e *trace.Event) { events = append(events, *e) }))
	for _, name := range []string{"no-loss", "no-duplicate-effects"} {
		if v, ok := rep.Verdict(name); !ok || !v.OK {
			t.Errorf("%s: %+v", name, v)
		}
	}
	serving, most, outs, ins, givenBack := 1, 1, 0, 0, 0
	for _, e := range events {
		switch {
		case e.Kind == trace.Note && strings.HasPrefix(e.Note, "scale out"):
			outs++
			if e.Why == "" {
				t.Errorf("scale-out note without a why: %q", e.Note)
			}
		case e.Kind == trace.Note && strings.HasPrefix(e.Note, "scale in"):
			ins++
			serving--
			if e.Why == "" {
				t.Errorf("scale-in note without a why: %q", e.Note)
			}
		case e.Kind == trace.Note && strings.HasPrefix(e.Note, "ready after"):
			serving++
			most = max(most, serving)
		case e.Kind == trace.Nack:
			givenBack++
		}
	}
	if outs < 3 || ins < 1 {
		t.Errorf("%d scale-outs and %d scale-ins: the burst should grow the pool and its end shrink it", outs, ins)
	}
	if most > 6 {
		t.Errorf("%d workers serving at once, above the maximum 6", most)
	}
	if rep.Total("handled") != rep.Total("sent") {
		t.Errorf("handled %d of %d sent", rep.Total("handled"), rep.Total("sent"))
	}
	t.Logf("%d out, %d in, %d given back, most %d", outs, ins, givenBack, most)
}

func TestRunIsDeterministic(t *testing.T) {
	text := func() string {
		var b strings.Builder
		tx := trace.NewText(&b, trace.TextOptions{})
		burstAutoscale().Run(patterns.Common{Seed: 1}, tx)
		tx.Flush()
		return b.String()
	}
	a, b := text(), text()
	if a != b {
		t.Fatal("two runs with one seed differ")
	}
	for _, l := range strings.Split(a, "\n") {
		if n := len([]rune(l)); n > trace.DefaultWidth {
			t.Errorf("line of %d columns: %q", n, l)
		}
	}
}

func TestSeriesAndChart(t *testing.T) {
	s := newSeries()
	s.set(0, 0, 2)
	s.set(time.Second, 100, 2)
	s.set(2*time.Second, 40, 3)
	s.set(3*time.Second, 0, 3)
	s.set(10*time.Minute, 0, 1) // far past the first buckets: they merge
	if s.peak != 100 || s.peakAt != time.Second || s.drainedAt != 3*time.Second {
		t.Errorf("peak %d at %v, drained at %v; want 100 at 1s, drained at 3s", s.peak, s.peakAt, s.drainedAt)
	}
	if len(s.backlog) > maxBuckets {
		t.Errorf("%d buckets, want at most %d", len(s.backlog), maxBuckets)
	}
	lines := s.chart(10*time.Minute, true)
	if !strings.Contains(lines[0], "100 ┤") || !strings.Contains(strings.Join(lines, "\n"), "workers ┤") {
		t.Errorf("chart has no peak label or workers rows:\n%s", strings.Join(lines, "\n"))
	}
	// The peak lands in the first of 64 columns (each 9.4s wide): full there, empty later.
	if !strings.Contains(lines[0], "┤█") || strings.Count(lines[0], "█") != 1 {
		t.Errorf("top row %q: want one full column, the first", lines[0])
	}
}
