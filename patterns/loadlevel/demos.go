package loadlevel

import (
	"slices"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// summaryText is the one-line description `msgplay list` shows.
const summaryText = "bursts wait in a queue while fixed or autoscaled workers drain it"

// aboutText explains the pattern in --help.
const aboutText = `Queue-based load leveling: the shop's checkout sends PlaceOrder commands to
the queue "orders" at a steady rate (--arrival), with flash-sale bursts on top
(--burst N@TIME), and the workers worker-1 … worker-N drain it. The checkout
never waits and the workers never overload: the queue holds the difference,
and orders pay for it in waiting time.

The summary charts the backlog over time, gives each worker's utilization,
the wait in the queue and the time in the system (mean, p50, p95, p99, max),
and holds the measurement against queueing theory: with exponential arrivals
and work (exp:) the queue is M/M/c, and Erlang C predicts the utilization ρ,
the chance an order waits, the mean wait Wq and the mean time in system W.
At ρ ≥ 1 no number of orders settles it: the backlog grows without bound.

--autoscale MIN..MAX lets an autoscaler add a worker when the backlog reaches
--scale-up-at and remove one when it falls to --scale-down-at, no sooner than
--cooldown after its last step; a new worker takes --scale-delay to start.
Scaling in is graceful: the worker takes no new order, finishes its own, and
gives back any it had not begun. Every step is a note in the trace with why.

--max-wait D sets a service-level objective on the wait in the queue, on
the maximum: every order must be taken within D (not 99 in 100: the last
order of a flash sale is the one that waits longest). The check wait-slo
names the orders that waited longest, when they were sent and the backlog
they waited behind. The workers table's all row is the pool's cost in
worker-seconds, busy or idle. --queue-limit N bounds the queue: an order
sent while N wait is refused and lost (a drop with the reason) — load
leveling's broken twin, a queue that cannot absorb the burst.

The variants, sized from the scenario (msgplay explain loadlevel): a fixed
pool for the average load, ⌊λ·work⌋+1 workers (λ the arrival rate, work
the mean work time), which keeps up but lets a burst wait; the same pool
with --queue-limit of as many orders, which turns the burst away; an
autoscaler from the average to the peak pool that adds workers as soon as
the backlog reaches twice the average pool (it holds the objective only
if --scale-delay is short enough); and a fixed pool for the peak, the
average plus ⌈N·work/--max-wait⌉ for the largest burst of N, which holds
it at the highest cost.

--sweep-consumers A..B runs the scenario once per worker count and prints
one row each: the knee of the curve, measured and predicted.

Ceilings: --consumers and --autoscale 1000 workers, --queue-limit 1000000,
--max-wait 1h.`

// demos are the runnable examples of --help, each with a golden test.
var demos = []patterns.Demo{
	{Title: "twenty orders on four workers at ρ 0.75: a trace to read, too short for theory", Args: nil},
	{Title: "a long steady run: the measured queue beside M/M/4 theory",
		Args: []string{"--messages", "20000", "--quiet"}},
	{Title: "too few workers (ρ 1.5): the backlog grows without bound",
		Args: []string{"--consumers", "2", "--messages", "2000", "--quiet"}},
	{Title: "a flash sale of 400 orders at 2s on three fixed workers",
		Args: []string{"--arrival", "exp:20ms", "--burst", "400@2s", "--duration", "8s", "--consumers", "3", "--quiet"}},
	{Title: "the same flash sale with an autoscaler: 2 to 8 workers, each 1s to start",
		Args: []string{"--arrival", "exp:20ms", "--burst", "400@2s", "--duration", "8s", "--autoscale", "2..8",
			"--scale-up-at", "50", "--scale-down-at", "5", "--scale-delay", "1s", "--cooldown", "500ms", "--quiet"}},
	{Title: "autoscaling in the trace: scale-out, start-up delay, graceful scale-in",
		Args: []string{"--arrival", "exp:50ms", "--burst", "12@200ms", "--duration", "1s", "--autoscale", "1..3",
			"--scale-up-at", "6", "--scale-down-at", "0", "--scale-delay", "100ms", "--cooldown", "100ms"}},
	{Title: "how many workers? one run per count, measured beside theory",
		Args: []string{"--sweep-consumers", "4..9", "--messages", "20000"}},
	{Title: "a wait objective of 2s: the flash sale on a pool sized for the average breaks it",
		Args: append(slices.Clip(tourArgs), "--consumers", "2")},
	{Title: "the same sale on a pool sized for the peak: the objective holds, at a cost in worker-seconds",
		Args: append(slices.Clip(tourArgs), "--consumers", "7")},
	{Title: "an autoscaler whose workers start in 100ms holds it too, for fewer worker-seconds",
		Args: append(slices.Clip(tourArgs), "--autoscale", "2..7", "--scale-up-at", "4", "--scale-down-at", "0",
			"--cooldown", "100ms")},
	{Title: "the same autoscaler with workers that take 2s to start: too late, the objective breaks",
		Args: []string{"--arrival", "exp:20ms", "--burst", "300@2s", "--duration", "5s", "--max-wait", "2s",
			"--scale-delay", "2s", "--autoscale", "2..7", "--scale-up-at", "4", "--scale-down-at", "0",
			"--cooldown", "2s", "--quiet"}},
	{Title: "no load leveling: a queue that holds 2 orders turns most of the sale away",
		Args: append(slices.Clip(tourArgs), "--consumers", "2", "--queue-limit", "2")},
}

// tourArgs is the scenario of the tour chapter: a flash sale of 300 orders
// on a steady stream at 50 a second, with a wait objective of 2s.
var tourArgs = []string{"--arrival", "exp:20ms", "--burst", "300@2s", "--duration", "5s", "--max-wait", "2s",
	"--scale-delay", "100ms", "--quiet"}

// Definition is queue-based load leveling, as msgplay offers it.
var Definition = patterns.Def[Config]{
	Name:    Name,
	Aliases: []string{"load-leveling"},
	Summary: summaryText,
	About:   aboutText,
	Default: Default,
	Demos:   demos,
	Variants: []patterns.Variant[Config]{
		{Name: "no-buffer", About: "the average pool behind a queue of as many orders: a burst is turned away",
			Guarantees: []string{"no-duplicate-effects"},
			Apply: func(c *Config) {
				n := AveragePool(*c)
				fixedPool(c, n)
				c.QueueLimit = n
			}},
		{Name: "average", About: "a fixed pool sized for the average load: a burst waits in the queue",
			Guarantees: []string{"no-loss", "no-duplicate-effects"},
			Apply:      func(c *Config) { fixedPool(c, AveragePool(*c)) }},
		{Name: "autoscale", About: "grows from the average pool to the peak pool while the backlog is deep",
			Guarantees: []string{"no-loss", "no-duplicate-effects", "wait-slo"},
			Apply: func(c *Config) {
				avg := AveragePool(*c)
				d := c.Autoscale.Delay
				c.Autoscale = Autoscale{Min: avg, Max: PeakPool(*c), UpAt: 2 * avg, DownAt: 0, Delay: d, Cooldown: d}
				c.Consumers, c.QueueLimit = Default().Consumers, 0
			}},
		{Name: "peak", About: "a fixed pool sized for the largest burst: the objective holds, at the highest cost",
			Guarantees: []string{"no-loss", "no-duplicate-effects", "wait-slo"},
			Apply:      func(c *Config) { fixedPool(c, PeakPool(*c)) }},
	},
	// The sweep's scenario: a burst of 200 orders at 1s on a steady stream
	// at 100 a second, with a wait objective of 1s and workers that start
	// in 100ms.
	Faults: func(c *Config) {
		c.Messages = 300
		c.Bursts = append(slices.Clip(c.Bursts), Burst{N: 200, At: time.Second})
		c.MaxWait, c.Autoscale.Delay = time.Second, 100*time.Millisecond
	},
	Intro: []patterns.Intro{
		{Kind: trace.Send,
			Why: "Orders go to a queue, not straight to a worker: when they come faster than the workers take them they wait there, and the checkout never waits for a worker."},
	},
	Tour: &patterns.Chapter{
		Title:  "a flash sale of 300 orders against a wait objective of 2s",
		Args:   tourArgs,
		Broken: "average", Fixed: "autoscale",
	},
}
