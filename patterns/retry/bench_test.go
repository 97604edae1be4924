package retry

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/patterns"
)

// bench100k is the README's scenario: 100,000 orders at 1,000 a second
// through 16 workers, the gateway down for ten seconds of the hundred,
// failing 1% of the other calls, with backoff, a breaker, an idempotent
// gateway and a redrive after the outage.
func bench100k() Config {
	c := Default()
	c.Orders, c.Workers = 100_000, 16
	c.Arrival, c.Work = sim.Exp(time.Millisecond), sim.Uniform(time.Millisecond, 3*time.Millisecond)
	c.GatewayLatency, c.GatewayCapacity = sim.Uniform(5*time.Millisecond, 15*time.Millisecond), 2000
	c.Outage = sim.Window{From: 20 * time.Second, To: 30 * time.Second}
	c.FailRate = 0.01
	c.Breaker, c.Idempotent, c.Classify = true, true, true
	c.RedriveAt = 120 * time.Second
	return c
}

// BenchmarkOutage100k is one run of bench100k, with no rendering (as
// --quiet).
func BenchmarkOutage100k(b *testing.B) {
	c := bench100k()
	for b.Loop() {
		r := c.Run(patterns.Common{Seed: 1}, nil)
		if r.Total("acked") != 100_000 {
			b.Fatalf("acked %d", r.Total("acked"))
		}
	}
}

// BenchmarkStorm100k is the same stream with immediate retries and no
// breaker: the storm, with most orders dead-lettered.
func BenchmarkStorm100k(b *testing.B) {
	c := bench100k()
	c.Policy, c.Breaker, c.RedriveAt = Immediate, false, 0
	for b.Loop() {
		c.Run(patterns.Common{Seed: 1}, nil)
	}
}
