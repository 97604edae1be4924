package retry

import (
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Summary is the one-line description `msgplay list` shows.
const Summary = "a failing gateway: retries, backoff, breaker, dead letters, redrive"

// About explains the pattern in --help.
const About = `Retries, backoff, circuit breaker and dead-letter redrive: the shop sends
PlaceOrder commands to the queue "orders"; the workers worker-1 … worker-N
take one order at a time and charge it through payment-gateway, which goes
down (--outage), fails now and then (--fail-rate; half of those after the
charge went through, so the response is lost), answers slowly
(--gateway-latency) and refuses calls beyond --gateway-capacity per second.

What the workers do when a call fails (--policy):
  - none: the order goes straight to the dead-letter queue orders.dlq;
  - immediate: call again at once — during an outage every worker hammers
    the gateway past its capacity, and since refused calls count too, the
    storm keeps it refusing after the outage is over;
  - backoff: wait min(BASE·2^(k-1), MAX) before retry k, spread by
    --jitter so the workers do not retry in step.
With --retry-by worker the worker keeps the message and retries itself,
--retries times per delivery, then gives it back; with --retry-by broker it
calls once per delivery and gives the message back with a delay, and the
broker redelivers it later while the worker takes other orders.

--breaker puts a circuit breaker before the gateway: at least
--breaker-failures failures within --breaker-window, making at least
--breaker-ratio of its calls, open it; no call goes out for --breaker-open
(the workers hold their orders), then one probe call half-opens it, and
the probe's answer closes it or opens it again.

After --max-deliveries deliveries an order is dead-lettered with the reason
and the last error; --redrive-at moves orders.dlq back to orders at
--redrive-rate. A payment charged whose response was lost is charged again
by its retry or its redrive, unless the gateway is --idempotent and
recognises the payment id. --poison orders are always declined: with
--classify that permanent error is dead-lettered at once, not retried.

Checks: no-loss (every order paid, or parked with a reason and redriven
after the outage), no-duplicate-charges, amplification (calls per order and
the peak calls per second against the capacity) and recovery-time (from
the outage's end until the backlog is back to its level when it began).

Ceilings: --orders 1000000, --workers 1000, --retries 20, --max-deliveries
100, --breaker-failures 1000, rates 1000000/s; --outage and --redrive-at by
10m; --backoff, --breaker-window, --breaker-open and the mean of every
distribution at most 1m.`

// Demos are the runnable examples of --help, each with a golden test.
var Demos = []patterns.Demo{
	{Title: "the default: backoff with full jitter rides out a half-second outage", Args: nil},
	{Title: "immediate retries during an outage: a retry storm far past the gateway's capacity",
		Args: []string{"--orders", "200", "--arrival", "10ms", "--outage", "500ms..1.5s", "--policy", "immediate",
			"--retries", "5", "--quiet"}},
	{Title: "the same storm with backoff and jitter: the load stays under the capacity",
		Args: []string{"--orders", "200", "--arrival", "10ms", "--outage", "500ms..1.5s", "--policy", "backoff",
			"--retries", "5", "--quiet"}},
	{Title: "a circuit breaker opens, half-opens with a probe, and closes when the gateway is back",
		Args: []string{"--orders", "12", "--outage", "100ms..700ms", "--breaker", "--breaker-failures", "3"}},
	{Title: "the broker redelivers with a delay instead: the workers stay free",
		Args: []string{"--orders", "6", "--arrival", "40ms", "--outage", "50ms..400ms", "--retry-by", "broker",
			"--max-deliveries", "6"}},
	{Title: "no retries: the outage's orders are dead-lettered, and redriven once it is over",
		Args: []string{"--orders", "10", "--outage", "100ms..300ms", "--policy", "none", "--redrive-at", "1s"}},
	{Title: "a careless redrive: a charge whose response was lost is charged again",
		Args: []string{"--orders", "60", "--arrival", "10ms", "--outage", "200ms..2s", "--policy", "immediate",
			"--retries", "2", "--redrive-at", "3s", "--quiet"}},
	{Title: "the same redrive against an idempotent gateway: the repeat is recognised",
		Args: []string{"--orders", "60", "--arrival", "10ms", "--outage", "200ms..2s", "--policy", "immediate",
			"--retries", "2", "--redrive-at", "3s", "--idempotent", "--quiet"}},
	{Title: "a poison order, not classified: every retry of every delivery is wasted on it",
		Args: []string{"--orders", "4", "--poison", "m2", "--quiet"}},
	{Title: "the poison order classified as a permanent error: dead-lettered at once",
		Args: []string{"--orders", "4", "--poison", "m2", "--classify"}},
}

// Definition is the retry pattern as msgplay offers it.
var Definition = patterns.Def[Config]{
	Name:    Name,
	Aliases: []string{"retries"},
	Summary: Summary,
	About:   About,
	Default: Default,
	Demos:   Demos,
	Variants: []patterns.Variant[Config]{
		{Name: "no-retry", About: "a failed payment goes straight to the dead-letter queue and stays there",
			Guarantees: []string{"no-duplicate-charges"},
			Apply: func(c *Config) {
				c.Policy, c.RedriveAt = None, 0
			}},
		{Name: "immediate", About: "failed calls are retried at once: a storm when the gateway is down",
			Apply: func(c *Config) {
				c.Policy, c.Retries, c.RedriveAt = Immediate, 5, 0
			}},
		{Name: "backoff", About: "exponential backoff with full jitter, and a redrive after the outage",
			Guarantees: []string{"no-loss", "amplification", "recovery-time"},
			Apply: func(c *Config) {
				c.Policy, c.Jitter = Backoff, FullJitter
				c.RedriveAt = c.Outage.To + 2*time.Second
			}},
		{Name: "resilient", About: "backoff, a circuit breaker, an idempotent gateway and a redrive",
			Guarantees: []string{"no-loss", "no-duplicate-charges", "amplification", "recovery-time"},
			Apply: func(c *Config) {
				c.Policy, c.Jitter, c.Breaker, c.Idempotent, c.Classify = Backoff, FullJitter, true, true, true
				c.RedriveAt = c.Outage.To + 2*time.Second
			}},
	},
	Faults: func(c *Config) {
		c.Orders = 40
		c.Arrival = sim.Const(25 * time.Millisecond)
		c.Outage = sim.Window{From: 200 * time.Millisecond, To: 700 * time.Millisecond}
		c.FailRate = 0.05
	},
	Intro: []patterns.Intro{
		{Kind: trace.Call,
			Why: "The worker calls the payment gateway and acks the order only once the call succeeded: a failed call can be tried again later without losing the order."},
	},
	Tour: &patterns.Chapter{
		Title:  "five orders 60ms apart, and the payment gateway is down from 100ms to 400ms",
		Args:   []string{"--orders", "5", "--arrival", "60ms", "--outage", "100ms..400ms"},
		Broken: "no-retry", Fixed: "resilient",
	},
}
