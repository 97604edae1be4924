package ordering

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
)

// BenchmarkHundredThousand is the README's speed figure: 100,000 orders
// (300,000 events) on 8 partitions, 4 consumers, a consumer joining and one
// crashing, no rendering (as --quiet).
func BenchmarkHundredThousand(b *testing.B) {
	cfg := Default()
	cfg.Mode = Partitions
	cfg.Orders = 100_000
	cfg.Partitions, cfg.Consumers = 8, 4
	cfg.Arrival, cfg.Gap, cfg.Work = sim.Exp(time.Millisecond), sim.Exp(time.Millisecond), sim.Exp(900*time.Microsecond)
	cfg.Joins = []Join{{"consumer-5", 10 * time.Second}}
	cfg.Crashes = []sim.Crash{{Actor: "consumer-2", At: 30 * time.Second}}
	cfg.RestartAfter = time.Second
	for b.Loop() {
		r := cfg.Run(cfg.Common, nil)
		if v, _ := r.Verdict("no-loss"); !v.OK {
			b.Fatalf("no-loss: %s", v.Detail)
		}
	}
}
