package pubsub

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace/tracetest"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/patterntest"
)

// Work times near the ceiling of virtual time once overflowed and panicked
// in the backlog sparkline; they must saturate and render.
func TestWorkNearTheCeilingRunsAndRenders(t *testing.T) {
	cfg := Default()
	cfg.Work = sim.Exp(sim.MaxTime)
	cfg.Slow = map[string]float64{"email": 1}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	cfg.Run(cfg.Common, tracetest.Forward(t, sim.MaxTime))
}

func TestSlowPastTheCeilingIsRefused(t *testing.T) {
	cfg := Default()
	cfg.Work = sim.Const(3 * time.Hour)
	cfg.Slow = map[string]float64{"email": 1e6}
	if err := cfg.Validate(); err == nil {
		t.Fatal("3h of work slowed 1000000 times was accepted")
	}
}

// At --arrival 0 every event's copies were once in flight at once:
// 1,000,000 events took 3.6 GB. The publisher now keeps a window of
// patterns.DefaultWindow unsettled copies (one event over, at most).
func TestArrivalZeroKeepsAWindow(t *testing.T) {
	cfg := Default()
	cfg.Events, cfg.Arrival = 3000, sim.Const(0)
	most, sent := patterntest.MostInFlight(t, cfg)
	if limit := patterns.DefaultWindow + len(cfg.Subscribers); most > limit || sent < 3000 {
		t.Errorf("%d messages in flight at once (%d sent): want at most %d", most, sent, limit)
	}
}
