package pubsub

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace/tracetest"
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
