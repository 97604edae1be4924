package outbox

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
)

// BenchmarkRun100 is one run of `msgplay check outbox --orders 100
// --crash-rate 0.05`: the unit of a seed sweep.
func BenchmarkRun100(b *testing.B) {
	cfg := Default()
	cfg.Orders, cfg.CrashRate = 100, 0.05
	for b.Loop() {
		cfg.Run(cfg.Common, nil)
	}
}

// BenchmarkRun100DualWrite is the same run with the dual write.
func BenchmarkRun100DualWrite(b *testing.B) {
	cfg := Default()
	cfg.Orders, cfg.CrashRate, cfg.Variant = 100, 0.05, DualWrite
	for b.Loop() {
		cfg.Run(cfg.Common, nil)
	}
}

// BenchmarkOutage100k is the README's figure: 100,000 orders through the
// outbox with a ten-second broker outage, no rendering (as --quiet).
func BenchmarkOutage100k(b *testing.B) {
	cfg := Default()
	cfg.Orders, cfg.Inbox = 100_000, true
	cfg.BrokerDown = sim.Window{From: 10 * time.Second, To: 20 * time.Second}
	for b.Loop() {
		r := cfg.Run(cfg.Common, nil)
		if r.Total("handled") != 2*int64(cfg.Orders) { // two events an order
			b.Fatalf("handled %d", r.Total("handled"))
		}
	}
}
