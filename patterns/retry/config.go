// Package retry simulates what a service does when the system it depends
// on fails: workers take PlaceOrder commands from the queue "orders" and
// charge each one through the payment gateway, which has an outage, fails
// now and then, answers slowly and refuses calls beyond its capacity. The
// workers retry at once or with exponential backoff and jitter, in process
// or through the broker's delayed redelivery, behind a circuit breaker or
// not; what still fails goes to the dead-letter queue, which a redrive
// moves back once the outage is over — charging twice the payments whose
// response was lost, unless the gateway deduplicates by payment id.
package retry

import (
	"cmp"
	"fmt"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Policy is what a worker does after a call fails for a transient reason.
type Policy uint8

// The retry policies.
const (
	None      Policy = iota // dead-letter the order at the first failure
	Immediate               // call again at once
	Backoff                 // call again after an exponentially growing, jittered wait
)

// String returns the policy as --policy takes it.
func (p Policy) String() string { return [...]string{"none", "immediate", "backoff"}[p] }

// Jitter is how a backoff wait is randomised.
type Jitter uint8

// The jitter modes: for a backoff of d, full waits anything from 0 to d,
// equal waits d/2 plus anything up to d/2, and none waits exactly d.
const (
	FullJitter Jitter = iota
	EqualJitter
	NoJitter
)

// String returns the jitter as --jitter takes it.
func (j Jitter) String() string { return [...]string{"full", "equal", "none"}[j] }

// RetryBy says who waits between two attempts.
type RetryBy uint8

// Where retries happen.
const (
	// ByWorker: the worker keeps the message and calls again itself (an
	// in-process retry policy, as Polly's or resilience4j's), up to
	// --retries times per delivery; then it gives the message back.
	ByWorker RetryBy = iota
	// ByBroker: the worker calls once per delivery and gives a failed
	// message back with a delay; the broker redelivers it later (SQS
	// visibility change, JetStream NakWithDelay, RabbitMQ retry queues).
	ByBroker
)

// String returns the mode as --retry-by takes it.
func (r RetryBy) String() string { return [...]string{"worker", "broker"}[r] }

// The ceilings of the flags.
const (
	MaxOrders        = 1_000_000
	MaxWorkers       = 1000
	MaxRetries       = 20
	MaxDeliveries    = 100
	MaxRate          = 1_000_000             // calls or moves per second
	MinBreakerWindow = 10 * time.Microsecond // the floor of --breaker-window
	MaxBreakerFails  = 1000                  // --breaker-failures
	MaxTime          = 10 * time.Minute      // --outage, --redrive-at
	MaxWait          = time.Minute           // --backoff, --breaker-window, --breaker-open, mean --work, --arrival, --gateway-latency
)

// Config is one retry scenario.
type Config struct {
	patterns.Common

	Orders  int      // PlaceOrder commands m1 … mN, keys order-1001 …
	Arrival sim.Dist // time between orders
	Work    sim.Dist // a worker's own work on an order before it calls the gateway
	Workers int      // worker-1 … worker-N, one order at a time each

	Outage          sim.Window // the gateway is down: calls fail fast; zero = no outage
	FailRate        float64    // chance that a call outside the outage fails; half of those after charging
	GatewayLatency  sim.Dist   // how long the gateway takes to answer
	GatewayCapacity int        // calls per second the gateway accepts; 0 = unlimited

	Policy  Policy
	Retries int           // retries per delivery, with RetryBy worker
	Base    time.Duration // the first backoff wait
	Cap     time.Duration // the longest backoff wait
	Jitter  Jitter
	RetryBy RetryBy

	Breaker         bool
	BreakerFailures int           // the fewest failures within BreakerWindow that open the breaker
	BreakerRatio    float64       // the share of the calls within BreakerWindow that must have failed
	BreakerWindow   time.Duration // the span failures are counted over
	BreakerOpen     time.Duration // how long it stays open before letting a probe through

	MaxDeliveries int           // deliveries before an order is dead-lettered
	RedriveAt     time.Duration // when orders.dlq is moved back to orders; 0 = never
	RedriveRate   int           // messages moved per second; 0 = all at once
	Idempotent    bool          // the gateway deduplicates by payment id
	Poison        []string      // orders the gateway always declines
	Classify      bool          // a permanent error is dead-lettered at once, not retried
}

// Default returns the scenario `msgplay retry` runs with no flags: twenty
// orders, a half-second outage of the gateway, and backoff with jitter
// that rides it out.
func Default() Config {
	return Config{
		Common:          patterns.Common{Seed: 1},
		Orders:          20,
		Arrival:         sim.Const(50 * time.Millisecond),
		Work:            sim.Uniform(2*time.Millisecond, 8*time.Millisecond),
		Workers:         3,
		Outage:          sim.Window{From: 300 * time.Millisecond, To: 800 * time.Millisecond},
		GatewayLatency:  sim.Uniform(20*time.Millisecond, 60*time.Millisecond),
		GatewayCapacity: 100,
		Policy:          Backoff,
		Retries:         4,
		Base:            50 * time.Millisecond,
		Cap:             time.Second,
		Jitter:          FullJitter,
		BreakerFailures: 5,
		BreakerRatio:    0.5,
		BreakerWindow:   time.Second,
		BreakerOpen:     300 * time.Millisecond,
		MaxDeliveries:   3,
		RedriveRate:     20,
	}
}

// Names of the actors and queues.
const (
	Shop     = "shop"
	Queue    = "orders"
	DLQ      = "orders.dlq"
	Gateway  = "payment-gateway"
	Redriver = "redrive"
	Circuit  = "breaker"
)

// PaymentID returns the id the gateway deduplicates the i-th order's
// charge by.
func PaymentID(i int) string { return "pay-" + strconv.Itoa(1000+i) }

// orderNumber returns N of the id mN, and 0 when id is not of that form.
func orderNumber(id string) int {
	if len(id) < 2 || id[0] != 'm' || id[1] == '0' {
		return 0
	}
	n, err := strconv.Atoi(id[1:])
	if err != nil || n < 1 {
		return 0
	}
	return n
}

// Validate reports the first thing wrong with c, naming the flag.
func (c Config) Validate() error {
	fd := trace.FormatDuration
	for _, d := range []struct {
		flag string
		d    sim.Dist
	}{{"--arrival", c.Arrival}, {"--work", c.Work}, {"--gateway-latency", c.GatewayLatency}} {
		if d.d.Mean() > MaxWait {
			return fmt.Errorf("%s must average at most %s (got %s)", d.flag, fd(MaxWait), d.d)
		}
	}
	if err := cmp.Or(
		patterns.CheckRange("--orders", c.Orders, 1, MaxOrders),
		patterns.CheckRange("--workers", c.Workers, 1, MaxWorkers),
		patterns.CheckRange("--retries", c.Retries, 0, MaxRetries),
		patterns.CheckRange("--breaker-failures", c.BreakerFailures, 1, MaxBreakerFails),
		patterns.CheckRange("--max-deliveries", c.MaxDeliveries, 1, MaxDeliveries),
	); err != nil {
		return err
	}
	switch {
	case c.Outage.To > MaxTime:
		return fmt.Errorf("--outage must end by %s (got %s)", fd(MaxTime), c.Outage)
	case !(c.FailRate >= 0 && c.FailRate <= 1):
		return fmt.Errorf("--fail-rate must be from 0 to 1 (got %v)", c.FailRate)
	case c.GatewayCapacity < 0 || c.GatewayCapacity > MaxRate:
		return fmt.Errorf("--gateway-capacity must be from 0 (unlimited) to %d/s (got %d)", MaxRate, c.GatewayCapacity)
	case c.Policy > Backoff:
		return fmt.Errorf("--policy must be none, immediate or backoff")
	case c.Base <= 0 || c.Cap < c.Base || c.Cap > MaxWait:
		return fmt.Errorf("--backoff must be BASE..MAX with 0 < BASE <= MAX <= %s (got %s..%s)", fd(MaxWait), fd(c.Base), fd(c.Cap))
	case c.Jitter > NoJitter:
		return fmt.Errorf("--jitter must be full, equal or none")
	case c.RetryBy > ByBroker:
		return fmt.Errorf("--retry-by must be worker or broker")
	case !(c.BreakerRatio > 0 && c.BreakerRatio <= 1):
		return fmt.Errorf("--breaker-ratio must be above 0 and at most 1 (got %v)", c.BreakerRatio)
	case c.BreakerWindow < MinBreakerWindow || c.BreakerWindow > MaxWait:
		return fmt.Errorf("--breaker-window must be from %s to %s (got %s)", fd(MinBreakerWindow), fd(MaxWait), fd(c.BreakerWindow))
	case c.BreakerOpen <= 0 || c.BreakerOpen > MaxWait:
		return fmt.Errorf("--breaker-open must be above 0 and at most %s (got %s)", fd(MaxWait), fd(c.BreakerOpen))
	case c.RedriveAt > MaxTime:
		return fmt.Errorf("--redrive-at must be at most %s (got %s)", fd(MaxTime), fd(c.RedriveAt))
	case c.RedriveRate < 0 || c.RedriveRate > MaxRate:
		return fmt.Errorf("--redrive-rate must be from 0 (all at once) to %d/s (got %d)", MaxRate, c.RedriveRate)
	}
	for _, id := range c.Poison {
		if n := orderNumber(id); n < 1 || n > c.Orders || id != patterns.MessageID(n) {
			return fmt.Errorf("--poison: no order %q: want an id from m1 to m%d", id, c.Orders)
		}
	}
	return nil
}
