package saga

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// Shipping is the pivot: once a shipment may exist the saga only goes
// forward. Once a slow shipping made the orchestrator discard the real
// ShipmentCreated as stale and send CancelShipment.
func TestPivotIsNeverCompensated(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		cfg := Default()
		cfg.Seed = seed
		cfg.Orders = 4
		cfg.Arrival = sim.Exp(20 * time.Millisecond)
		cfg.Timeout, cfg.Retries = 100*time.Millisecond, 1
		cfg.Slow = map[string]float64{"shipping": 2 + float64(seed%9)}
		cfg.FailRate = map[string]float64{"inventory": 0.2}
		cfg.RestartAfter = 50 * time.Millisecond
		cfg.Crashes = []sim.Crash{{Actor: Orchestrator, At: time.Duration(seed%7) * 40 * time.Millisecond}}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		var c collect
		r := cfg.Run(cfg.Common, &c)
		for _, e := range c.events {
			if e.Msg.Type == steps[Pivot].undo {
				t.Fatalf("seed %d: %s %s at %v: the pivot was compensated", seed, e.Kind, e.Msg.ID, e.T)
			}
		}
		for _, name := range sagaChecks() {
			if v := verdict(t, r, name); !v.OK {
				t.Fatalf("seed %d: %s failed: %s %v", seed, name, v.Detail, v.Evidence)
			}
		}
	}
}

func TestSlowPivotEndsApproved(t *testing.T) {
	cfg := Default()
	cfg.Timeout, cfg.Retries = 100*time.Millisecond, 1
	cfg.Slow = map[string]float64{"shipping": 10}
	var c collect
	cfg.Run(cfg.Common, &c)
	approved := false
	for _, e := range c.events {
		if e.Kind == trace.Commit {
			for _, w := range e.Writes {
				approved = approved || (w.Key == "order/order-1001" && w.Value == "APPROVED")
			}
		}
	}
	if !approved {
		t.Error("order-1001 never APPROVED though shipping created its shipment")
	}
}
