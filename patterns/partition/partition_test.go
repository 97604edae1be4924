package partition

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/patterntest"
)

func TestVariantsKeepTheirGuarantees(t *testing.T) {
	patterntest.VariantsKeepTheirGuarantees(t, Definition, 100)
}

func TestVerdictsIgnoreNotes(t *testing.T) {
	for _, mode := range Modes {
		cfg := Default()
		Definition.Faults(&cfg)
		cfg.Mode = mode
		patterntest.VerdictsIgnoreNotes(t, cfg, patterns.Common{Seed: 3}, NewChecks(), NewChecks())
	}
}

// leaderCut is the leader cut off from the majority while orders arrive.
func leaderCut() Config {
	c := Default()
	c.Orders, c.Stock = 12, 20
	c.Partitions = []Partition{{A: []string{"node-1"}, B: []string{"node-2", "node-3"},
		Win: sim.Window{From: 30 * time.Millisecond, To: 250 * time.Millisecond}}}
	return c
}

// TestChecksCatchPlantedBugs plants one bug per check in the cp leader and
// demands that its check fails, while the same run without it holds.
func TestChecksCatchPlantedBugs(t *testing.T) {
	for _, tc := range []struct {
		bug   bug
		check string
		cfg   func() Config
	}{
		{bugAckEarly, "no-acked-loss", leaderCut},
		{bugNoStock, "no-oversell", func() Config { c := Default(); c.Stock = 3; return c }},
		{bugNoCatchUp, "converged", leaderCut},
	} {
		cfg := tc.cfg()
		if v := patterntest.Verdict(t, cfg, cfg.Common, tc.check); !v.OK {
			t.Errorf("%s broke without a bug: %s %v", tc.check, v.Detail, v.Evidence)
		}
		cfg.bug = tc.bug
		v := patterntest.Verdict(t, cfg, cfg.Common, tc.check)
		if v.OK || len(v.Evidence) == 0 {
			t.Errorf("bug %d: %s held: %s", tc.bug, tc.check, v.Detail)
		}
	}
}

// TestAvailabilityFigures: the same partition costs cp the minority
// site's orders and ap nothing; ap last-writer-wins loses accepted orders,
// merge oversells and compensates.
func TestAvailabilityFigures(t *testing.T) {
	cfg := Default()
	cfg.Partitions = []Partition{{Win: sim.Window{From: 50 * time.Millisecond, To: 200 * time.Millisecond}}}
	if v := patterntest.Verdict(t, cfg, cfg.Common, "availability"); !strings.HasPrefix(v.Detail, "site A 0 of 2 (0%)") {
		t.Errorf("cp: %s", v.Detail)
	}
	cfg.Mode = AP
	if v := patterntest.Verdict(t, cfg, cfg.Common, "availability"); v.Detail != "site A 2 of 2 (100%) · site B 3 of 3 (100%)" {
		t.Errorf("ap: %s", v.Detail)
	}
	if v := patterntest.Verdict(t, cfg, cfg.Common, "no-acked-loss"); v.OK || !strings.Contains(v.Evidence[0], "site A") {
		t.Errorf("ap lww kept every accepted order: %s", v.Detail)
	}
	cfg.Reconcile, cfg.Stock = Merge, 4
	r := cfg.Run(cfg.Common, nil)
	if v, _ := r.Verdict("no-oversell"); v.OK || !strings.Contains(v.Detail, "1 compensated") {
		t.Errorf("merge: %s", v.Detail)
	}
}

// TestDeterminism: one seed gives the same events, run after run.
func TestDeterminism(t *testing.T) {
	record := func() string {
		var b strings.Builder
		cfg := leaderCut()
		cfg.Arrival, cfg.Latency = sim.Exp(8*time.Millisecond), sim.Uniform(2*time.Millisecond, 9*time.Millisecond)
		cfg.Crashes, cfg.RestartAfter = []sim.Crash{{Actor: "node-3", At: 100 * time.Millisecond}}, 150*time.Millisecond
		cfg.Run(patterns.Common{Seed: 5}, trace.SinkFunc(func(e *trace.Event) {
			fmt.Fprintln(&b, e.T, e.Kind, e.Actor, e.To, e.Msg.ID, e.Msg.Type, e.Note)
		}))
		return b.String()
	}
	a, b := record(), record()
	if a != b || !strings.Contains(a, "elect") {
		t.Errorf("two runs differ (or nothing was elected):\n%s\n---\n%s", a, b)
	}
}

func TestParsePartition(t *testing.T) {
	for in, want := range map[string]string{
		"50ms..200ms":                 "50ms..200ms",
		"node-1/node-2,node-3@1s..2s": "node-1/node-2,node-3@1s..2s",
		"node-1|node-2,node-3@1s..2s": "node-1/node-2,node-3@1s..2s",
		"A/B@10ms..20ms":              "A/B@10ms..20ms",
	} {
		p, err := ParsePartition(in)
		if err != nil || p.String() != want {
			t.Errorf("%q: %v %v", in, p, err)
		}
	}
	for _, bad := range []string{"", "2s..1s", "node-1/@1s..2s", "node-1@1s..2s"} {
		if _, err := ParsePartition(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
