package loadlevel

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
)

// BenchmarkSweep is the README's speed figure: --sweep-consumers 4..16
// with 200,000 orders per run (2.6 million orders in all), M/M/c with
// arrivals every 10ms and 30ms of work, no rendering.
func BenchmarkSweep(b *testing.B) {
	cfg := Default()
	cfg.Messages = 200_000
	cfg.Arrival = sim.Exp(10 * time.Millisecond)
	cfg.Work = sim.Exp(30 * time.Millisecond)
	cfg.SweepFrom, cfg.SweepTo = 4, 16
	for b.Loop() {
		r := cfg.Run(cfg.Common, nil)
		if got := r.Total("orders"); got != 13*200_000 {
			b.Fatalf("swept %d orders, want %d", got, 13*200_000)
		}
	}
}

// BenchmarkHundredThousand is one steady run of 100,000 orders (the
// defaults: M/M/4 at 75% utilization, as `loadlevel --messages 100000
// --quiet`), with the theory table but no rendering.
func BenchmarkHundredThousand(b *testing.B) {
	cfg := Default()
	cfg.Messages = 100_000
	for b.Loop() {
		r := cfg.Run(cfg.Common, nil)
		if got := r.Total("acked"); got != 100_000 {
			b.Fatalf("acked %d orders, want 100000", got)
		}
	}
}
