package loadlevel

import (
	"testing"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace/tracetest"
)

// Arrivals near the ceiling of virtual time once overflowed and panicked
// in the chart; they must saturate, and the chart must draw.
func TestArrivalsNearTheCeilingRunAndChart(t *testing.T) {
	cfg := Default()
	cfg.Arrival = sim.Exp(sim.MaxTime)
	cfg.Until = sim.MaxTime
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	rep := cfg.Run(cfg.Common, tracetest.Forward(t, sim.MaxTime))
	if rep.End > sim.MaxTime || rep.End < 0 {
		t.Errorf("the run ended at %v", rep.End)
	}
	s := newSeries()
	s.set(0, 1, 1)
	s.set(sim.MaxTime, 0, 1)
	if lines := s.chart(sim.MaxTime, true); len(lines) == 0 {
		t.Error("no chart")
	}
}
