package loadlevel

import (
	"slices"
	"time"

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

--sweep-consumers A..B runs the scenario once per worker count and prints
one row each: the knee of the curve, measured and predicted.`

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
}

// Definition is queue-based load leveling, as msgplay offers it. It has no
// broken variant, so no tour chapter.
var Definition = patterns.Def[Config]{
	Name:    Name,
	Aliases: []string{"load-leveling"},
	Summary: summaryText,
	About:   aboutText,
	Default: Default,
	Demos:   demos,
	Variants: []patterns.Variant[Config]{
		{Name: "fixed", About: "a fixed pool of --consumers workers: bursts wait in the queue",
			Guarantees: []string{"no-loss", "no-duplicate-effects"},
			Apply:      func(c *Config) { c.Autoscale.Min, c.Autoscale.Max = 0, 0 }},
		{Name: "autoscale", About: "workers added and removed with the backlog; scale-in is graceful",
			Guarantees: []string{"no-loss", "no-duplicate-effects"},
			Apply:      func(c *Config) { c.Autoscale.Min, c.Autoscale.Max = 1, 8 }},
	},
	Faults: func(c *Config) {
		c.Messages = 300
		c.Bursts = append(slices.Clip(c.Bursts), Burst{N: 150, At: time.Second})
	},
}
