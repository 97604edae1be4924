package partition

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
)

// BenchmarkHundredThousand is the README's speed figure: 100,000 orders
// in cp mode with exponential arrivals, a stock that lasts, and a partition
// cutting the leader off every so often; no rendering (as --quiet).
func BenchmarkHundredThousand(b *testing.B) {
	cfg := Default()
	cfg.Orders, cfg.Stock = 100_000, 100_000
	cfg.Arrival = sim.Exp(time.Millisecond)
	for i := range 8 {
		from := time.Duration(i)*10*time.Second + 5*time.Second
		cfg.Partitions = append(cfg.Partitions, Partition{Win: sim.Window{From: from, To: from + 500*time.Millisecond}})
	}
	for b.Loop() {
		r := cfg.Run(cfg.Common, nil)
		for _, name := range []string{"no-acked-loss", "no-oversell", "converged"} {
			if v, _ := r.Verdict(name); !v.OK {
				b.Fatalf("%s: %s", name, v.Detail)
			}
		}
		if r.Total("sent") < 100_000 {
			b.Fatalf("sent %d", r.Total("sent"))
		}
	}
}
