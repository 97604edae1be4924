package claimcheck

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// BenchmarkHundredThousand is the README's speed figure: 100,000 orders
// with exponential attachments around 120KB, above 64KB by claim check,
// four billing instances, cleanup on ack; no rendering (as --quiet).
func BenchmarkHundredThousand(b *testing.B) {
	cfg := Default()
	cfg.Orders, cfg.Consumers = 100_000, 4
	cfg.Size = SizeExp(120 * trace.KB)
	cfg.Arrival, cfg.Work = sim.Exp(5*time.Millisecond), sim.Exp(3*time.Millisecond)
	cfg.ClaimCheck, cfg.Threshold = true, 64*trace.KB
	for b.Loop() {
		r := cfg.Run(cfg.Common, nil)
		if v, _ := r.Verdict("no-size-loss"); !v.OK {
			b.Fatalf("%s", v.Detail)
		}
		if r.Total("sent") != 100_000 {
			b.Fatalf("sent %d", r.Total("sent"))
		}
	}
}
