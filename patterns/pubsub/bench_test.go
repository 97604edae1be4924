package pubsub

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
)

// BenchmarkFanOut100k is the README's speed figure: 100,000 orders
// published and fanned out to the five default subscribers, with the
// per-subscription summary but no rendering (as --quiet).
func BenchmarkFanOut100k(b *testing.B) {
	cfg := Default()
	cfg.Events = 100_000
	cfg.Arrival = sim.Exp(10 * time.Millisecond)
	cfg.Work = sim.Exp(5 * time.Millisecond)
	for b.Loop() {
		r := cfg.Run(cfg.Common, nil)
		if r.Total("handled") != 500_000 {
			b.Fatalf("handled %d", r.Total("handled"))
		}
	}
}
