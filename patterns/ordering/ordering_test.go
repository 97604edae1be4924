package ordering

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/internal/trace/tracetest"
)

func TestValidateNamesTheFlag(t *testing.T) {
	for _, c := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Mode = "fifo" }, "--mode"},
		{func(c *Config) { c.Orders = 0 }, "--orders"},
		{func(c *Config) { c.Orders = MaxOrders + 1 }, "--orders"},
		{func(c *Config) { c.EventsPerOrder = 5 }, "--events-per-order"},
		{func(c *Config) { c.Consumers = MaxConsumers + 1 }, "--consumers"},
		{func(c *Config) { c.Partitions = 0 }, "--partitions"},
		{func(c *Config) { c.Commit = "during" }, "--commit"},
		{func(c *Config) { c.Retry = "skip" }, "--retry"},
		{func(c *Config) { c.Rebalance = "lazy" }, "--rebalance"},
		{func(c *Config) { c.Retry = Park }, "--retry park"},
		{func(c *Config) { c.Skew = 1 }, "--skew"},
		{func(c *Config) { c.CancelRate = 1.5 }, "--cancel-rate"},
		{func(c *Config) { c.PoisonFails = 0 }, "--poison-fails"},
		{func(c *Config) { c.SessionTimeout = 0 }, "--session-timeout"},
		{func(c *Config) { c.SessionLock = 0 }, "--session-lock"},
		{func(c *Config) { c.Work, c.Slow = sim.Const(3*time.Hour), map[string]float64{"consumer-1": 4000} }, "--slow"},
		{func(c *Config) { c.Joins = []Join{{"consumer-2", 0}} }, "--join"},
		{func(c *Config) { c.Joins = []Join{{"worker-9", 0}} }, "--join"},
		{func(c *Config) { c.Slow = map[string]float64{"consumer-9": 2} }, "--slow"},
		{func(c *Config) { c.Crashes = []sim.Crash{{Actor: "nobody"}} }, "--crash"},
		{func(c *Config) { c.Poison = []string{"m13"} }, "--poison"},
	} {
		cfg := Default()
		c.edit(&cfg)
		if err := cfg.Validate(); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("want an error naming %s, got %v", c.want, err)
		}
	}
	cfg := Default()
	cfg.Joins = []Join{{"consumer-4", time.Millisecond}}
	cfg.Slow = map[string]float64{"consumer-4": 2}
	cfg.Crashes = []sim.Crash{{Actor: "consumer-4", At: time.Second}, {Actor: Producer}}
	if err := cfg.Validate(); err != nil {
		t.Errorf("a joining consumer may be slowed and crashed: %v", err)
	}
	if err := Default().Validate(); err != nil {
		t.Errorf("the default scenario is invalid: %v", err)
	}
}

// simulate runs cfg with its own seed and returns the report.
func simulate(cfg Config) *trace.Report {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	return cfg.Run(cfg.Common, nil)
}

func held(r *trace.Report, check string) bool {
	v, ok := r.Verdict(check)
	if !ok {
		panic("no check " + check)
	}
	return v.OK
}

// The pattern's first lesson: with the same seed and the same events, a
// shared queue applies some order's events out of turn; partitions and
// sessions do not.
func TestQueueReordersPartitionsAndSessionsDoNot(t *testing.T) {
	for _, m := range Modes {
		cfg := Default()
		cfg.Mode = m
		cfg.Orders = 20
		r := simulate(cfg)
		if held(r, "per-key-order") != (m != Queue) {
			v, _ := r.Verdict("per-key-order")
			t.Errorf("mode %s: per-key-order %v: %s", m, v.OK, v.Detail)
		}
		if !held(r, "no-loss") || !held(r, "no-duplicate-effects") || !held(r, "lag") {
			t.Errorf("mode %s lost, repeated or left behind events without any fault: %+v", m, r.Checks)
		}
	}
}

// A crash costs commit-after a replay (duplicates) and commit-before the
// event in hand (a loss).
func TestCommitAfterReplaysCommitBeforeLoses(t *testing.T) {
	for _, commit := range Commits {
		cfg := Default()
		cfg.Mode = Partitions
		cfg.Orders = 6
		cfg.Commit = commit
		cfg.CommitInterval = 100 * time.Millisecond
		cfg.Crashes = []sim.Crash{{Actor: "consumer-2", At: 40 * time.Millisecond}}
		r := simulate(cfg)
		if held(r, "no-loss") != (commit == After) || held(r, "no-duplicate-effects") != (commit == Before) {
			t.Errorf("commit %s: %+v", commit, r.Checks)
		}
		if !held(r, "per-key-order") {
			t.Errorf("commit %s broke per-key order", commit)
		}
	}
}

// A join rebalances: the eager group replays what was handled but not
// committed; a cooperative group that commits on revoke replays nothing.
func TestJoinReplaysUnlessCommittedOnRevoke(t *testing.T) {
	cfg := Default()
	cfg.Mode = Partitions
	cfg.Orders = 6
	cfg.CommitInterval = 100 * time.Millisecond
	cfg.Joins = []Join{{"consumer-4", 60 * time.Millisecond}}
	var out bytes.Buffer
	r := cfg.Run(cfg.Common, trace.NewJSON(&out))
	if held(r, "no-duplicate-effects") || !strings.Contains(out.String(), `"kind":"rebalance"`) {
		t.Errorf("eager join: want duplicates and a rebalance event, got %+v", r.Checks)
	}
	cfg.Rebalance, cfg.CommitOnRevoke = Cooperative, true
	if r := simulate(cfg); !held(r, "no-duplicate-effects") || !held(r, "per-key-order") || !held(r, "no-loss") {
		t.Errorf("cooperative join committing on revoke: %+v", r.Checks)
	}
}

// Consumers beyond the partitions get none and say so.
func TestConsumersBeyondPartitionsIdle(t *testing.T) {
	cfg := Default()
	cfg.Mode = Partitions
	cfg.Partitions, cfg.Consumers = 2, 4
	r := simulate(cfg)
	idle := 0
	for _, tb := range r.Tables {
		for _, row := range tb.Rows {
			if tb.Title == "consumers" && row[1] == "idle" {
				idle++
			}
		}
	}
	if idle != 2 {
		t.Errorf("want 2 idle consumers of 4 on 2 partitions, got %d: %+v", idle, r.Tables)
	}
}

// A hot key drives one partition's lag far above the others'.
func TestHotKeyLagsOnePartition(t *testing.T) {
	cfg := Default()
	cfg.Mode = Partitions
	cfg.Orders, cfg.Skew, cfg.Arrival = 200, 0.5, sim.Const(5*time.Millisecond)
	r := simulate(cfg)
	hot := PartitionName(partitionOf(HotKey, cfg.Partitions))
	hotLag, otherLag := -1, 0
	for _, tb := range r.Tables {
		if tb.Title != "lag" {
			continue
		}
		for _, row := range tb.Rows {
			n, _ := strconv.Atoi(row[3])
			if row[0] == hot {
				hotLag = n
			} else {
				otherLag = max(otherLag, n)
			}
		}
	}
	if hotLag < 5*otherLag || hotLag < 100 {
		t.Errorf("the hot partition %s lagged %d, the others up to %d", hot, hotLag, otherLag)
	}
	cfg.MaxLag = 100
	if r := simulate(cfg); held(r, "lag") {
		t.Errorf("a lag of %d passed --max-lag 100", hotLag)
	}
}

// A dead consumer's session waits out its lock, then goes on in order.
func TestSessionLockExpiresAndOrderHolds(t *testing.T) {
	cfg := Default()
	cfg.Mode = Sessions
	cfg.Orders = 5
	cfg.Crashes = []sim.Crash{{Actor: "consumer-2", At: 40 * time.Millisecond}}
	var expired []time.Duration
	r := cfg.Run(cfg.Common, trace.SinkFunc(func(e *trace.Event) {
		if e.Kind == trace.Timeout {
			expired = append(expired, e.T)
		}
	}))
	if len(expired) != 1 || expired[0] != 40*time.Millisecond+cfg.SessionLock {
		t.Errorf("want one lock expiry at %s, got %v", 40*time.Millisecond+cfg.SessionLock, expired)
	}
	for _, c := range []string{"per-key-order", "no-loss", "no-duplicate-effects"} {
		if !held(r, c) {
			t.Errorf("%s broken: %+v", c, r.Checks)
		}
	}
}

// Blocking keeps order and costs time; parking keeps time and breaks order.
func TestBlockHoldsOrderParkBreaksIt(t *testing.T) {
	for _, m := range []Mode{Partitions, Sessions} {
		var ends [2]time.Duration
		for i, retry := range Retries {
			cfg := Default()
			cfg.Mode, cfg.Orders, cfg.Poison, cfg.Retry = m, 3, []string{"m2"}, retry
			r := simulate(cfg)
			if held(r, "per-key-order") != (retry == Block) || !held(r, "no-loss") {
				t.Errorf("%s, retry %s: %+v", m, retry, r.Checks)
			}
			ends[i] = r.End
		}
		if ends[0] <= ends[1] {
			t.Errorf("%s: blocking ended at %s, parking at %s: the block should cost time", m, ends[0], ends[1])
		}
	}
}

func TestSameSeedSameTrace(t *testing.T) {
	cfg := Default()
	cfg.Orders = 30
	Faults(&cfg)
	for _, v := range Variants {
		c := cfg
		v.Apply(&c)
		var a, b bytes.Buffer
		c.Run(c.Common, trace.NewJSON(&a))
		c.Run(c.Common, trace.NewJSON(&b))
		if a.String() != b.String() {
			t.Errorf("%s: two runs with seed 1 differ", v.Name)
		}
	}
}

// Over many seeds with the sweep's faults, each variant keeps what it
// guarantees, and each check a variant does not guarantee is broken by
// some seed: every lesson shows up.
func TestVariantsKeepTheirGuarantees(t *testing.T) {
	seeds := uint64(150)
	if testing.Short() {
		seeds = 30
	}
	for _, v := range Variants {
		broken := map[string]int{}
		for seed := uint64(1); seed <= seeds; seed++ {
			cfg := Default()
			Faults(&cfg)
			v.Apply(&cfg)
			cfg.Seed = seed
			for _, c := range simulate(cfg).Checks {
				if !c.OK {
					broken[c.Name]++
				}
			}
		}
		for _, g := range v.Guarantees {
			if broken[g] > 0 {
				t.Errorf("%s broke its guarantee %s in %d of %d runs", v.Name, g, broken[g], seeds)
			}
		}
		for _, c := range []string{"per-key-order", "no-loss", "no-duplicate-effects"} {
			if !slices.Contains(v.Guarantees, c) && broken[c] == 0 {
				t.Errorf("%s does not guarantee %s, yet no seed of %d broke it", v.Name, c, seeds)
			}
		}
	}
}

// Work slowed to near the ceiling of virtual time never runs time past it
// or backwards, in any mode.
func TestSlowWorkNeverOverflowsTime(t *testing.T) {
	for _, m := range Modes {
		cfg := Default()
		cfg.Mode, cfg.Orders = m, 2
		cfg.Work = sim.Const(3 * time.Hour)
		cfg.Slow = map[string]float64{"consumer-1": 3000}
		cfg.CommitInterval = sim.MaxTime
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		if r := cfg.Run(cfg.Common, tracetest.Forward(t, sim.MaxTime)); r.End < 0 || r.End > sim.MaxTime {
			t.Errorf("%s: the run ended at %v", m, r.End)
		}
	}
}
