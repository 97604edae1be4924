package competing

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
)

// BenchmarkMillion is the README's speed figure: a million orders, eight
// workers, exponential arrivals and work, no rendering (as --quiet).
func BenchmarkMillion(b *testing.B) {
	cfg := Default()
	cfg.Messages = 1_000_000
	cfg.Consumers = 8
	cfg.Arrival = sim.Exp(time.Millisecond)
	cfg.Work = sim.Exp(6 * time.Millisecond)
	for b.Loop() {
		r := cfg.Run(cfg.Common, nil)
		if r.Total("acked") != 1_000_000 {
			b.Fatalf("acked %d", r.Total("acked"))
		}
	}
}
