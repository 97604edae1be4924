package saga

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
)

// BenchmarkHundredThousand is the README's speed figure: 100,000 orders
// placed at once through the orchestrated saga, with random rejections at
// every step, no rendering (as --quiet).
func BenchmarkHundredThousand(b *testing.B) {
	cfg := Default()
	cfg.Orders = 100_000
	cfg.Timeout = 0
	cfg.Work = sim.Exp(time.Millisecond)
	cfg.FailRate = map[string]float64{"payment": 0.05, "inventory": 0.05, "shipping": 0.05}
	for b.Loop() {
		r := cfg.Run(cfg.Common, nil)
		if v, _ := r.Verdict("saga-atomic"); !v.OK {
			b.Fatalf("saga-atomic: %s", v.Detail)
		}
	}
}

// BenchmarkCheckRun is one small run as `msgplay check` makes thousands of.
func BenchmarkCheckRun(b *testing.B) {
	cfg := Default()
	cfg.Orders = 5
	cfg.Stock = 3
	cfg.Fail = []string{"shipping"}
	for b.Loop() {
		cfg.Run(cfg.Common, nil)
	}
}
