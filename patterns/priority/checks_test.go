package priority

import (
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/patterntest"
)

// verdict runs cfg (which must be valid) and returns the named verdict.
func verdict(t *testing.T, cfg Config, name string) trace.Verdict {
	t.Helper()
	return patterntest.Verdict(t, cfg, cfg.Common, name)
}

// loaded returns the scenario of the sweep, in mode m.
func loaded(m Mode) Config {
	c := Default()
	Definition.Faults(&c)
	c.Mode = m
	return c
}

// TestEachCheckCatchesAPlantedBug plants one bug per check in a run that
// holds every check without it, and demands that the check fails with
// evidence naming an order.
func TestEachCheckCatchesAPlantedBug(t *testing.T) {
	for _, c := range []struct {
		check string
		bug   bug
		want  string // in the evidence
	}{
		{"no-loss", bugLoseOne, "m3"},
		{"express-slo", bugSlowExpress, "took"},
		{"no-starvation", bugStrict, "waited"},
	} {
		cfg := loaded(Separate)
		if v := verdict(t, cfg, c.check); !v.OK {
			t.Fatalf("%s fails without a bug: %s", c.check, v.Detail)
		}
		cfg.bug = c.bug
		v := verdict(t, cfg, c.check)
		if v.OK || len(v.Evidence) == 0 || !strings.Contains(strings.Join(v.Evidence, "\n"), c.want) {
			t.Errorf("%s did not catch the planted bug: ok %v, %s, evidence %q", c.check, v.OK, v.Detail, v.Evidence)
		}
	}
}

// The variants break what they do not promise, on the sweep's load.
func TestModesKeepTheirPromises(t *testing.T) {
	for _, c := range []struct {
		mode         Mode
		slo, starved bool
	}{
		{FIFO, false, true},
		{Priority, true, false},
		{Separate, true, true},
	} {
		cfg := loaded(c.mode)
		if v := verdict(t, cfg, "express-slo"); v.OK != c.slo {
			t.Errorf("%s: express-slo ok %v, want %v: %s", c.mode, v.OK, c.slo, v.Detail)
		}
		if v := verdict(t, cfg, "no-starvation"); v.OK != c.starved {
			t.Errorf("%s: no-starvation ok %v, want %v: %s", c.mode, v.OK, c.starved, v.Detail)
		}
	}
}

// An order still waiting when the run is cut short counts with the time
// it has waited: a starved order never acked is still caught.
func TestUnfinishedOrdersCount(t *testing.T) {
	cfg := loaded(Priority)
	cfg.Until = 1300 * time.Millisecond
	v := verdict(t, cfg, "no-starvation")
	if v.OK || !strings.Contains(strings.Join(v.Evidence, "\n"), "not done") {
		t.Errorf("a starved order cut off by --until went unnoticed: %s %q", v.Detail, v.Evidence)
	}
}

// The checks read the SLO and the bound from the run event, and only
// events: a trace fed by hand is judged the same way.
func TestChecksReadOnlyEvents(t *testing.T) {
	c := NewChecks()
	ev := func(e trace.Event) { c.Event(&e) }
	ev(trace.Event{Kind: trace.Run, Params: []trace.Param{{Name: "express-slo", Value: "10ms"},
		{Name: "max-standard-wait", Value: "50ms"}}})
	ev(trace.Event{Kind: trace.Send, Msg: trace.Msg{ID: "m1", Type: Express}})
	ev(trace.Event{Kind: trace.Send, Msg: trace.Msg{ID: "m2", Type: Standard}})
	ev(trace.Event{Kind: trace.Ack, T: 20 * time.Millisecond, Msg: trace.Msg{ID: "m1", Type: Express}})
	ev(trace.Event{Kind: trace.Ack, T: 60 * time.Millisecond, Msg: trace.Msg{ID: "m2", Type: Standard}})
	v := c.Verdicts("")
	if v[0].OK || v[1].OK {
		t.Errorf("a 20ms express order against 10ms and a 60ms standard one against 50ms passed: %+v", v)
	}
}

// One seed gives one trace, byte for byte; another seed another.
func TestDeterminism(t *testing.T) {
	run := func(seed uint64) string {
		var b strings.Builder
		cfg := loaded(Separate)
		cfg.Crashes = []sim.Crash{{Actor: patterns.WorkerName(2), At: 300 * time.Millisecond}}
		cfg.RestartAfter = 50 * time.Millisecond
		cfg.Run(patterns.Common{Seed: seed}, trace.SinkFunc(func(e *trace.Event) {
			b.WriteString(e.Kind.String() + " " + e.Msg.ID + " " + e.T.String() + "\n")
		}))
		return b.String()
	}
	a := run(3)
	if a != run(3) {
		t.Error("seed 3 gave two different traces")
	}
	if a == run(4) {
		t.Error("seeds 3 and 4 gave the same trace")
	}
	if !strings.Contains(a, "crash") {
		t.Error("the crash of worker-2 is not in the trace")
	}
}

// TestVerdictsDoNotReadNotes rewords every note of a run, the prefetch
// notes included: no verdict may change.
func TestVerdictsDoNotReadNotes(t *testing.T) {
	cfg := loaded(Priority)
	cfg.Prefetch = 4
	patterntest.VerdictsIgnoreNotes(t, cfg, cfg.Common, NewChecks(), NewChecks())
}

// TestVariantsKeepTheirGuaranteesUnderTheFaults runs every variant with the
// sweep's faults over 50 seeds.
func TestVariantsKeepTheirGuaranteesUnderTheFaults(t *testing.T) {
	patterntest.VariantsKeepTheirGuarantees(t, Definition, 50)
}
