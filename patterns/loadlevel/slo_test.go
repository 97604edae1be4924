package loadlevel

import (
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// tourScenario is the tour chapter's scenario, as a Config.
func tourScenario() Config {
	cfg := Default()
	cfg.Arrival, cfg.Messages, cfg.Duration = sim.Exp(20*time.Millisecond), 0, 5*time.Second
	cfg.Bursts = []Burst{{N: 300, At: 2 * time.Second}}
	cfg.MaxWait, cfg.Autoscale.Delay = 2*time.Second, 100*time.Millisecond
	return cfg
}

func variant(name string) func(*Config) {
	for _, v := range Definition.Variants {
		if v.Name == name {
			return v.Apply
		}
	}
	panic("no variant " + name)
}

func runVariant(t *testing.T, cfg Config, name string, seed uint64) *trace.Report {
	t.Helper()
	variant(name)(&cfg)
	if err := cfg.Validate(); err != nil {
		t.Fatalf("variant %s: %v", name, err)
	}
	return cfg.Run(patterns.Common{Seed: seed}, nil)
}

// On the tour's flash sale the pool sized for the average breaks the wait
// objective, and the autoscaled and the peak pools hold it, seed after
// seed; the queue without room loses orders instead.
func TestVariantsSeparateOnTheTourScenario(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		for _, c := range []struct {
			variant     string
			slo, noLoss bool
		}{{"no-buffer", true, false}, {"average", false, true}, {"autoscale", true, true}, {"peak", true, true}} {
			r := runVariant(t, tourScenario(), c.variant, seed)
			slo, _ := r.Verdict("wait-slo")
			loss, _ := r.Verdict("no-loss")
			if slo.OK != c.slo || loss.OK != c.noLoss {
				t.Errorf("seed %d, %s: wait-slo %v (%s), no-loss %v (%s)", seed, c.variant, slo.OK, slo.Detail,
					loss.OK, loss.Detail)
			}
		}
	}
}

// The variants are sized from the scenario, as explain says.
func TestVariantsAreSizedFromTheScenario(t *testing.T) {
	cfg := tourScenario()
	if a, p := AveragePool(cfg), PeakPool(cfg); a != 2 || p != 7 {
		t.Errorf("average pool %d, peak pool %d: want ⌊50/s·30ms⌋+1 = 2 and 2+⌈300·30ms/2s⌉ = 7", a, p)
	}
	cfg.Arrival = sim.Exp(10 * time.Millisecond) // λ·work = 3 exactly: 4 workers keep ρ below 1
	if a := AveragePool(cfg); a != 4 {
		t.Errorf("average pool %d at λ·work 3, want 4", a)
	}
}

// A planted bug — an autoscaler stuck at its minimum — is caught by
// wait-slo, with the orders that waited longest as evidence.
func TestWaitSLOCatchesAStuckAutoscaler(t *testing.T) {
	cfg := tourScenario()
	variant("autoscale")(&cfg)
	good := cfg.Run(patterns.Common{Seed: 1}, nil)
	cfg.Autoscale.Max = cfg.Autoscale.Min // the bug: it never scales out
	bad := cfg.Run(patterns.Common{Seed: 1}, nil)
	if v, _ := good.Verdict("wait-slo"); !v.OK {
		t.Fatalf("the working autoscaler broke the objective: %s", v.Detail)
	}
	v, ok := bad.Verdict("wait-slo")
	if !ok || v.OK || len(v.Evidence) == 0 || !strings.Contains(v.Evidence[0], "behind") {
		t.Fatalf("the stuck autoscaler went unnoticed: %+v", v)
	}
}

// The check reads only events: an order that waits longer than the
// objective fails it, and the evidence says when it was sent and how many
// orders were waiting ahead of it.
func TestWaitSLOJudgesEventsAlone(t *testing.T) {
	ms := time.Millisecond
	c := NewWaitSLO()
	msg := func(id string) trace.Msg { return trace.Msg{ID: id, Key: "order-" + id} }
	for _, e := range []trace.Event{
		{Kind: trace.Run, Params: []trace.Param{{Name: "max-wait", Value: "100ms"}}},
		{T: 0, Kind: trace.Send, Actor: Checkout, To: Queue, Msg: msg("m1")},
		{T: 0, Kind: trace.Send, Actor: Checkout, To: Queue, Msg: msg("m2")},
		{T: 1 * ms, Kind: trace.Send, Actor: Checkout, To: Queue, Msg: msg("m3")},
		{T: 1 * ms, Kind: trace.Drop, Actor: Queue, To: Queue, Msg: msg("m3")},
		{T: 50 * ms, Kind: trace.Deliver, Actor: Queue, To: "worker-1", Msg: msg("m1")},
		{T: 250 * ms, Kind: trace.Deliver, Actor: Queue, To: "worker-1", Msg: msg("m2")},
	} {
		c.Event(&e)
	}
	v := c.Verdict()
	if v.OK || !strings.HasPrefix(v.Detail, "1 of 2 orders waited longer") {
		t.Fatalf("verdict %+v", v)
	}
	if want := "m2 order-m2: waited 250ms: sent at 0s behind 1 waiting, taken at 250ms"; len(v.Evidence) != 1 ||
		v.Evidence[0] != want {
		t.Errorf("evidence %q, want %q", v.Evidence, want)
	}
}
