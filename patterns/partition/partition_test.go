package partition

import (
	"fmt"
	"slices"
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

// steady is a long cp run at a steady rate, a partition cutting the leader
// off every so often, with stock for every order or for only a few.
func steady(orders, stock int) Config {
	cfg := Default()
	cfg.Orders, cfg.Stock = orders, stock
	cfg.Arrival = sim.Exp(time.Millisecond)
	cfg.Partitions = nil
	for i := range 4 {
		from := time.Duration(i)*10*time.Second + 5*time.Second
		cfg.Partitions = append(cfg.Partitions, Partition{Win: sim.Window{From: from, To: from + 500*time.Millisecond}})
	}
	return cfg
}

// Memory follows the log, not the orders: an order in it costs its entry
// in each node's log and a few dense bytes in the checks (they once kept
// maps by id string, about 490 bytes an order in all); an order sold out
// costs the checks nothing. What a sold-out order still costs, about 50
// bytes, is the statistics' send time of an order sent to a node that is
// not the leader (internal/trace: the acks of its replication name the
// leader, so none settles it).
func TestMemoryFollowsTheLog(t *testing.T) {
	if testing.Short() {
		t.Skip("two runs of 100,000 orders")
	}
	logged := patterntest.HeapPerOrder(t, func(n int) patterns.Config { return steady(n, n) }, 10_000, 100_000)
	if logged > 300 {
		t.Errorf("an order in the log kept %.0f bytes, want at most 300", logged)
	}
	soldOut := patterntest.HeapPerOrder(t, func(n int) patterns.Config { return steady(n, 1000) }, 10_000, 100_000)
	if soldOut > 64 {
		t.Errorf("an order sold out kept %.0f bytes, want at most 64", soldOut)
	}
}

// The checks read ids of any shape, not only o<N>: an accepted order in no
// log is lost, with its own id and key.
func TestChecksReadAnyID(t *testing.T) {
	c := NewChecks()
	c.Event(&trace.Event{Kind: trace.Run, Params: []trace.Param{{Name: "stock", Value: "5"}}})
	for _, id := range []string{"o1", "odd", "o01"} {
		c.Event(&trace.Event{Kind: trace.Handle, Actor: "node-1", Msg: trace.Msg{ID: "o1", Type: PlaceOrder}})
		c.Event(&trace.Event{Kind: trace.Response, Actor: "node-1", To: "shop-b",
			Msg: trace.Msg{ID: id, Type: Accepted, Key: "k-" + id}})
	}
	v := c.Verdicts("")[0]
	want := []string{"odd k-odd: site B, accepted at 0s, in no log of a node up at the end",
		"o01 k-o01: site B, accepted at 0s, in no log of a node up at the end"} // as byID sorts them
	if v.OK || !slices.Equal(v.Evidence, want) || v.Detail != "2 of 3 accepted orders are gone" {
		t.Errorf("%s %q", v.Detail, v.Evidence)
	}
}
