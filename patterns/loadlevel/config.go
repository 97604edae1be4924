// Package loadlevel simulates queue-based load leveling: a shop's checkout
// sends PlaceOrder commands at a steady rate with bursts (a flash sale), the
// queue "orders" absorbs them, and a pool of workers — fixed, or grown and
// shrunk by an autoscaler watching the backlog — drains it. The summary
// charts the backlog and holds the measured waits against queueing theory.
package loadlevel

import (
	"cmp"
	"fmt"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// MaxWorkers is the most workers a run may have at once.
const MaxWorkers = 1000

// MaxQueueLimit is the largest --queue-limit.
const MaxQueueLimit = 1_000_000

// MaxOrders caps the orders one run sends: --messages (or --duration over
// the mean --arrival) and every --burst together. A queue is the lesson
// here, so nothing holds orders back from it: each order waiting costs
// about 900 bytes, and 250,000 at once stay near 250 MB.
const MaxOrders = 250_000

// MaxBursts caps how many times --burst may be given.
const MaxBursts = 100

// MaxPrefetch is the largest --prefetch.
const MaxPrefetch = 1000

// MaxMaxWait is the largest --max-wait.
const MaxMaxWait = time.Hour

// Config is one load-leveling scenario.
type Config struct {
	patterns.Common

	Arrival  sim.Dist      // time between steady orders
	Bursts   []Burst       // extra orders all at once
	Messages int           // steady orders to send; 0 when Duration sets the end
	Duration time.Duration // send steady orders until this time; 0 when Messages does
	Work     sim.Dist      // processing time of one order
	Prefetch int           // most unacked deliveries per worker; 0 = unlimited

	Consumers int       // fixed workers, when Autoscale is off
	Autoscale Autoscale // grows and shrinks the pool; off when Max is 0

	MaxWait    time.Duration // the SLO: no order waits longer in the queue; 0 = none
	QueueLimit int           // most orders the queue holds waiting; 0 = unbounded

	SweepFrom, SweepTo int // --sweep-consumers A..B; 0 = no sweep
}

// Burst is N extra orders sent all at once at a virtual time.
type Burst struct {
	N  int
	At time.Duration
}

// String returns b as --burst takes it, such as 300@2s.
func (b Burst) String() string { return strconv.Itoa(b.N) + "@" + trace.FormatDuration(b.At) }

// Default returns the scenario `msgplay loadlevel` runs with no flags: a
// short steady stream at utilization 0.75 on four workers.
func Default() Config {
	return Config{
		Common:    patterns.Common{Seed: 1},
		Arrival:   sim.Exp(10 * time.Millisecond),
		Messages:  20,
		Work:      sim.Exp(30 * time.Millisecond),
		Prefetch:  1,
		Consumers: 4,
		Autoscale: Autoscale{UpAt: 50, DownAt: 5, Delay: time.Second, Cooldown: 500 * time.Millisecond},
	}
}

// Names of the actors and the queue.
const (
	Checkout   = "checkout"
	Queue      = "orders"
	Autoscaler = "autoscaler"
)

// Validate reports the first thing wrong with c, naming the flag.
func (c Config) Validate() error {
	a := c.Autoscale
	if err := cmp.Or(
		patterns.CheckRange("--messages", c.Messages, 0, MaxOrders),
		patterns.CheckRange("--prefetch", c.Prefetch, 0, MaxPrefetch),
		patterns.CheckRange("--consumers", c.Consumers, 1, MaxWorkers),
	); err != nil {
		return err
	}
	switch {
	case a.On() && c.Consumers != Default().Consumers:
		return fmt.Errorf("--consumers and --autoscale both set: give a fixed pool or MIN..MAX, not both")
	case c.Messages > 0 && c.Duration > 0:
		return fmt.Errorf("--messages and --duration both set: give one, the count of orders or how long they arrive")
	case c.Duration > 0 && c.Arrival.Mean() == 0:
		return fmt.Errorf("--duration needs --arrival above 0: with arrival 0 every order comes at once")
	case len(c.Bursts) > MaxBursts:
		return fmt.Errorf("--burst may be given at most %d times (got %d)", MaxBursts, len(c.Bursts))
	case c.MaxWait < 0 || c.MaxWait > MaxMaxWait:
		return fmt.Errorf("--max-wait must be from 0 (no objective) to 1h (got %s)", trace.FormatDuration(c.MaxWait))
	case c.QueueLimit < 0 || c.QueueLimit > MaxQueueLimit:
		return fmt.Errorf("--queue-limit must be from 0 (unbounded) to %d (got %d)", MaxQueueLimit, c.QueueLimit)
	}
	orders := float64(c.Messages)
	if c.Duration > 0 {
		orders = float64(c.Duration) / float64(c.Arrival.Mean())
	}
	for _, b := range c.Bursts {
		orders += float64(b.N)
		switch {
		case b.N < 1 || b.N > MaxOrders:
			return fmt.Errorf("--burst %d@%s: the count must be from 1 to %d", b.N, trace.FormatDuration(b.At), MaxOrders)
		case c.Duration > 0 && b.At >= c.Duration:
			return fmt.Errorf("--burst %d@%s: the time must come before --duration %s",
				b.N, trace.FormatDuration(b.At), trace.FormatDuration(c.Duration))
		}
	}
	if c.Messages == 0 && c.Duration == 0 && len(c.Bursts) == 0 {
		return fmt.Errorf("--messages 0 with no --duration or --burst sends no order: give at least one")
	}
	if orders > MaxOrders {
		return fmt.Errorf("--messages, --duration and --burst send about %.0f orders together: at most %d",
			orders, MaxOrders)
	}
	if a.On() {
		switch {
		case a.Max > MaxWorkers || a.Min > a.Max || a.Min < 1:
			return fmt.Errorf("--autoscale %d..%d: want MIN..MAX with 1 <= MIN <= MAX <= %d (a pool of 0 takes no order)",
				a.Min, a.Max, MaxWorkers)
		case a.UpAt < 1 || a.UpAt > MaxQueueLimit:
			return patterns.CheckRange("--scale-up-at", a.UpAt, 1, MaxQueueLimit)
		case a.DownAt < 0 || a.DownAt >= a.UpAt:
			return fmt.Errorf("--scale-down-at must be from 0 to below --scale-up-at %d (got %d)", a.UpAt, a.DownAt)
		case c.SweepFrom > 0:
			return fmt.Errorf("--sweep-consumers and --autoscale both set: a sweep runs fixed worker counts")
		}
	}
	if c.SweepFrom > 0 || c.SweepTo > 0 {
		switch {
		case c.SweepFrom < 1 || c.SweepTo < c.SweepFrom || c.SweepTo > MaxWorkers:
			return fmt.Errorf("--sweep-consumers %d..%d: want A..B with 1 <= A <= B <= %d",
				c.SweepFrom, c.SweepTo, MaxWorkers)
		case c.SweepTo-c.SweepFrom >= 64:
			return fmt.Errorf("--sweep-consumers %d..%d: at most 64 worker counts in one sweep", c.SweepFrom, c.SweepTo)
		}
	}
	return nil
}

// Params returns the scenario as the run event shows it.
func (c Config) Params() []trace.Param {
	p := patterns.NewParams(c.Common)
	switch {
	case c.SweepFrom > 0:
		p.Str("sweep-consumers", fmt.Sprintf("%d..%d", c.SweepFrom, c.SweepTo))
	case c.Autoscale.On():
		p.Str("autoscale", fmt.Sprintf("%d..%d", c.Autoscale.Min, c.Autoscale.Max))
	default:
		p.Int("consumers", c.Consumers)
	}
	p.Dist("arrival", c.Arrival).Dist("work", c.Work)
	if c.Duration > 0 {
		p.Dur("duration", c.Duration)
	} else {
		p.Int("messages", c.Messages)
	}
	p.List("burst", patterns.Strings(c.Bursts)).Int("prefetch", c.Prefetch)
	if c.MaxWait > 0 {
		p.Dur("max-wait", c.MaxWait)
	}
	if c.QueueLimit > 0 {
		p.Int("queue-limit", c.QueueLimit)
	}
	if a := c.Autoscale; a.On() && c.SweepFrom == 0 {
		p.Int("scale-up-at", a.UpAt).Int("scale-down-at", a.DownAt).Dur("scale-delay", a.Delay).Dur("cooldown", a.Cooldown)
	}
	return p.Done()
}
