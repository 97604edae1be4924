package requestreply

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
)

// BenchmarkHundredThousand is the README's speed figure: 100,000 calls
// from four checkout instances to two instances of each service, with
// exponential arrivals and work, lost replies, retries and an idempotent
// service; no rendering (as --quiet).
func BenchmarkHundredThousand(b *testing.B) {
	cfg := Default()
	cfg.Requests, cfg.Requesters, cfg.Responders = 100_000, 4, 2
	cfg.Arrival = sim.Exp(time.Millisecond)
	cfg.Work = sim.Exp(3 * time.Millisecond)
	cfg.DropReplyRate = 0.01
	cfg.Idempotent = true
	for b.Loop() {
		r := cfg.Run(cfg.Common, nil)
		if v, _ := r.Verdict("answered-or-failed"); !v.OK {
			b.Fatalf("%s", v.Detail)
		}
		if r.Total("sent") < 200_000 {
			b.Fatalf("sent %d", r.Total("sent"))
		}
	}
}
