package cmd

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns/retry"
)

func bindRetry(f *pflag.FlagSet, c *retry.Config) func() error {
	f.Var(count(&c.Orders, 1, retry.MaxOrders), "orders", fmt.Sprintf("number of PlaceOrder commands the shop sends, at most %d", retry.MaxOrders))
	f.Var(distValue{&c.Arrival}, "arrival", "time between orders: 20ms, 10ms..30ms or exp:20ms")
	f.Var(count(&c.Workers, 1, retry.MaxWorkers), "workers", fmt.Sprintf("number of workers, one order at a time each (1 to %d)", retry.MaxWorkers))
	f.Var(distValue{&c.Work}, "work", "a worker's own work before it calls the gateway")
	f.Var(outageValue{&c.Outage}, "outage", "when the gateway is down (off = never)")
	f.Var(probValue{p: &c.FailRate}, "fail-rate", "chance a call fails outside the outage")
	f.Var(distValue{&c.GatewayLatency}, "gateway-latency", "how long the gateway takes to answer")
	f.Var(rateValue{&c.GatewayCapacity}, "gateway-capacity", fmt.Sprintf("calls per second the gateway takes, at most %d/s (0 = no limit)", retry.MaxRate))
	f.Var(choice(&c.Policy, "a retry policy", retry.None, retry.Immediate, retry.Backoff), "policy",
		"on failure: none, immediate or backoff")
	f.Var(count(&c.Retries, 0, retry.MaxRetries), "retries", fmt.Sprintf("in-process retries per delivery, at most %d (--retry-by worker)", retry.MaxRetries))
	f.Var(spanValue{&c.Base, &c.Cap}, "backoff", "the first and the longest backoff wait")
	f.Var(choice(&c.Jitter, "a jitter", retry.FullJitter, retry.EqualJitter, retry.NoJitter), "jitter",
		"spread of a backoff wait d: full, equal or none")
	f.Var(choice(&c.RetryBy, "a retry mode", retry.ByWorker, retry.ByBroker), "retry-by",
		"who waits between attempts: worker or broker")
	f.BoolVar(&c.Breaker, "breaker", c.Breaker, "put a circuit breaker before the gateway")
	f.Var(count(&c.BreakerFailures, 1, retry.MaxBreakerFails), "breaker-failures",
		fmt.Sprintf("the fewest failures within --breaker-window that open it (1 to %d)", retry.MaxBreakerFails))
	f.Var(probValue{&c.BreakerRatio, "above 0 and at most 1"}, "breaker-ratio", "the share of the window's calls that must have failed")
	f.Var(durationValue{d: &c.BreakerWindow, lo: retry.MinBreakerWindow, hi: retry.MaxWait}, "breaker-window", "the span the breaker counts failures over")
	f.Var(durationValue{d: &c.BreakerOpen, lo: time.Microsecond, hi: retry.MaxWait}, "breaker-open", "how long the breaker stays open")
	f.Var(count(&c.MaxDeliveries, 1, retry.MaxDeliveries), "max-deliveries",
		fmt.Sprintf("deliveries before an order is dead-lettered (1 to %d)", retry.MaxDeliveries))
	f.Var(durationValue{d: &c.RedriveAt, hi: retry.MaxTime}, "redrive-at", "move orders.dlq back to orders at this virtual time (0 = never)")
	f.Var(rateValue{&c.RedriveRate}, "redrive-rate", fmt.Sprintf("messages moved per second, at most %d/s (0 = all at once)", retry.MaxRate))
	f.BoolVar(&c.Idempotent, "idempotent", c.Idempotent, "the gateway charges each payment id once")
	f.Var(names(&c.Poison, "ID"), "poison", "an order the gateway always declines, as m3 (repeatable)")
	f.BoolVar(&c.Classify, "classify", c.Classify, "dead-letter a permanent error at once instead of retrying it")
	return nil
}

// outageValue is a window of virtual time, FROM..TO, or off for none.
type outageValue struct{ w *sim.Window }

func (v outageValue) String() string {
	if v.w.To == 0 {
		return "off"
	}
	return v.w.String()
}
func (v outageValue) Type() string { return "FROM..TO" }
func (v outageValue) Set(s string) error {
	if strings.TrimSpace(s) == "off" {
		*v.w = sim.Window{}
		return nil
	}
	w, err := sim.ParseWindow(s)
	if err != nil {
		return fmt.Errorf("%v, or off", err)
	}
	*v.w = w
	return nil
}

// rateValue is a rate per second: N/s, or a bare N.
type rateValue struct{ n *int }

func (v rateValue) String() string {
	if *v.n == 0 {
		return "0"
	}
	return strconv.Itoa(*v.n) + "/s"
}
func (v rateValue) Type() string { return "N/s" }
func (v rateValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(s), "/s"))
	if err != nil || n < 0 {
		return fmt.Errorf("%q is not a rate: want a whole number per second, such as 100/s", s)
	}
	*v.n = n
	return nil
}
func (v rateValue) allowed() string {
	return fmt.Sprintf("a rate from 0 to %d/s, such as 100/s", retry.MaxRate)
}

// spanValue is two durations, LO..HI, such as 50ms..1s.
type spanValue struct{ lo, hi *time.Duration }

func (v spanValue) String() string {
	return trace.FormatDuration(*v.lo) + ".." + trace.FormatDuration(*v.hi)
}
func (v spanValue) Type() string { return "BASE..MAX" }
func (v spanValue) Set(s string) error {
	lo, hi, ok := strings.Cut(s, "..")
	a, err1 := sim.ParseDuration(lo)
	b, err2 := sim.ParseDuration(hi)
	if !ok || err1 != nil || err2 != nil || a == 0 || b < a {
		return fmt.Errorf("%q is not BASE..MAX: want two durations, the first above 0 and not above the second, such as 50ms..1s", s)
	}
	*v.lo, *v.hi = a, b
	return nil
}
