package competing

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// crashRun runs cfg with seed and returns, per worker, the numbers (from 1)
// of its deliveries that it crashed on, and every event as a line.
func crashRun(cfg Config, seed uint64) (crashed map[string][]int, lines []string) {
	crashed = map[string][]int{}
	delivered := map[string]int{}
	cfg.Common = patterns.Common{Seed: seed}
	cfg.Run(cfg.Common, trace.SinkFunc(func(e *trace.Event) {
		lines = append(lines, fmt.Sprintf("%d %s %s %s %s %s", e.T, e.Kind, e.Actor, e.To, e.Msg.ID, e.Note))
		switch {
		case e.Kind == trace.Deliver:
			delivered[e.To]++
		case e.Kind == trace.Crash && strings.Contains(e.Note, "--crash-rate"):
			crashed[e.Actor] = append(crashed[e.Actor], delivered[e.Actor])
		}
	}))
	return crashed, lines
}

// spaced is a scenario where a worker mostly finishes or crashes on one
// order before it gets the next, so a crash belongs to the delivery before
// it. worker-1 is slow: with manual ack (prefetch 1) the broker passes it
// by while it works, with auto-ack it does not, so the two variants deal
// the orders out differently from the start.
func spaced() Config {
	cfg := Default()
	cfg.Consumers, cfg.Messages, cfg.Arrival = 2, 40, sim.Const(100*time.Millisecond)
	cfg.Slow = map[string]float64{patterns.WorkerName(1): 3}
	cfg.CrashRate, cfg.RestartAfter = 0.2, 50*time.Millisecond
	return cfg
}

func TestCrashRateIsDeterministicAndVariesWithTheSeed(t *testing.T) {
	cfg := spaced()
	c1, a := crashRun(cfg, 7)
	_, b := crashRun(cfg, 7)
	if !slices.Equal(a, b) {
		t.Fatal("the same seed gave two different traces")
	}
	c2, _ := crashRun(cfg, 8)
	if len(c1) == 0 || fmt.Sprint(c1) == fmt.Sprint(c2) {
		t.Errorf("seeds 7 and 8 crash the same deliveries (%v, %v): the crashes ignore the seed", c1, c2)
	}
}

// The broken and the fixed variant meet the same crashes: each worker's
// n-th delivery crashes in both or in neither, although the ack mode
// changes which orders come back and when.
func TestVariantsMeetTheSameRandomCrashes(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		auto, manual := spaced(), spaced()
		auto.Ack, manual.Ack = broker.AutoAck, broker.ManualAck
		ca, _ := crashRun(auto, seed)
		cm, _ := crashRun(manual, seed)
		for i := 1; i <= auto.Consumers; i++ {
			w := patterns.WorkerName(i)
			a, m := ca[w], cm[w]
			n := min(len(a), len(m))
			if !slices.Equal(a[:n], m[:n]) {
				t.Fatalf("seed %d: %s crashed on deliveries %v with auto-ack and %v with manual ack", seed, w, a, m)
			}
		}
	}
}

// The random crash costs orders with auto-ack and none with manual ack.
func TestCrashRateLosesOrdersOnlyWithAutoAck(t *testing.T) {
	lostSome := false
	for seed := uint64(1); seed <= 20; seed++ {
		for _, mode := range []broker.AckMode{broker.AutoAck, broker.ManualAck} {
			cfg := spaced()
			cfg.Ack, cfg.Common = mode, patterns.Common{Seed: seed}
			v, _ := cfg.Run(cfg.Common, nil).Verdict("no-loss")
			if mode == broker.ManualAck && !v.OK {
				t.Fatalf("seed %d: manual ack lost orders: %s", seed, v.Detail)
			}
			lostSome = lostSome || (mode == broker.AutoAck && !v.OK)
		}
	}
	if !lostSome {
		t.Error("auto-ack lost nothing in 20 seeds at crash rate 0.2: the crashes do nothing")
	}
}
