package priority

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
)

// BenchmarkHundredThousand is the README's speed figure: 100,000 orders,
// 30% express, to eight workers on separate queues, arriving at about 90%
// of their capacity with a batch of 1,000 standard orders every 10s of
// virtual time; no rendering (as --quiet).
func BenchmarkHundredThousand(b *testing.B) {
	cfg := Default()
	cfg.Mode, cfg.Consumers, cfg.ExpressShare = Separate, 8, 0.3
	cfg.Orders = 100_000 - 10*1000
	cfg.Arrival = sim.Exp(3 * time.Millisecond)
	cfg.Bursts = nil
	for i := range 10 {
		cfg.Bursts = append(cfg.Bursts, Burst{N: 1000, At: time.Duration(i) * 10 * time.Second, Kind: StandardKind})
	}
	cfg.MaxStandardWait = time.Hour
	for b.Loop() {
		r := cfg.Run(cfg.Common, nil)
		if v, _ := r.Verdict("no-loss"); !v.OK {
			b.Fatalf("%s", v.Detail)
		}
		if r.Total("sent") != 100_000 {
			b.Fatalf("sent %d", r.Total("sent"))
		}
	}
}
