package priority

import (
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Definition is the priority queue pattern as msgplay offers it.
var Definition = patterns.Def[Config]{
	Name:    Name,
	Aliases: []string{"priority-queue"},
	Summary: "express orders overtake standard ones, without starving them",
	About:   about,
	Default: Default,
	Demos:   demos,
	Variants: []patterns.Variant[Config]{
		{Name: "fifo", About: "one FIFO queue: express orders wait behind standard ones",
			Guarantees: []string{"no-loss", "no-starvation"},
			Apply:      func(c *Config) { c.Mode = FIFO }},
		{Name: "priority", About: "a broker priority queue: express overtakes, standard starves under express load",
			Guarantees: []string{"no-loss", "express-slo"},
			Apply:      func(c *Config) { c.Mode = Priority }},
		{Name: "separate-queues", About: "one queue per priority, weighted workers: neither late nor starved",
			Guarantees: []string{"no-loss", "express-slo", "no-starvation"},
			Apply:      func(c *Config) { c.Mode = Separate }},
	},
	// The sweep's faults are the load of the demos (load) and a worker that
	// crashes holding an order and comes back 30ms later.
	Faults: func(c *Config) {
		c.Consumers, c.Orders, c.ExpressShare = 2, 150, 0.9
		c.Arrival = sim.Const(11 * time.Millisecond)
		c.Bursts = []Burst{{N: 20, Kind: StandardKind}}
		c.ExpressSLO, c.MaxStandardWait = 200*time.Millisecond, 1200*time.Millisecond
		c.Crashes = []sim.Crash{{Actor: patterns.WorkerName(2), At: 300 * time.Millisecond}}
		c.RestartAfter = 30 * time.Millisecond
	},
	Intro: []patterns.Intro{
		{Kind: trace.Handle,
			Why: "A worker takes whatever its queue hands it next: whether an express order can pass standard ones sent before it depends on the queues (--mode)."},
	},
	Tour: &patterns.Chapter{
		Title:  "four orders 10ms apart, then a burst of eight at 20ms, on two workers",
		Args:   []string{"--orders", "4"},
		Broken: "fifo",
		Fixed:  "separate-queues",
	},
}

const about = `A priority queue: express orders (PlaceExpressOrder) and standard ones
(PlaceOrder), both commands (cmd, ▶), share a pool of workers, and bursts of
orders (--burst N@TIME) ask more than the workers can do at once. Express
orders have a target: done within --express-slo of being sent. Standard
ones have a bound too: none waits longer than --max-standard-wait.

  --mode fifo: one queue, first in first out: an express order waits behind
    every standard order sent before it, and misses its target in a burst;
  --mode priority: one broker priority queue (RabbitMQ's x-max-priority):
    among the messages waiting in the broker, express goes first. It
    reorders only what waits in the broker: with --prefetch above 1 a
    worker's buffer already holds standard orders, and an express order
    delivered behind them waits (the trace says so). And while express
    orders keep coming, standard ones are never picked: they starve;
  --mode separate-queues: one queue per priority (Azure's Priority Queue
    pattern; SQS, Service Bus and Kafka have no priorities, so this is the
    way there). Each worker takes from both with --weights: up to 4 express
    orders in a row while standard ones wait, then one standard: express
    stays fast and standard still moves.

Checks, from the events alone: express send → ack p99 within --express-slo;
no standard order waiting past --max-standard-wait (the oldest wait is
shown); no order lost. The summary shows each class's latency and, over
time, what waits and the oldest standard order's wait.`

// load is the sustained load of the demos, the tour and the sweep: a batch
// of standard orders at the start, then express orders at about 80% of
// what two workers can do, for 1.6s.
var load = []string{"--orders", "150", "--express-share", "0.9", "--arrival", "11ms",
	"--burst", "20@0s:standard", "--express-slo", "200ms", "--max-standard-wait", "1.2s"}

var demos = []patterns.Demo{
	{Title: "one FIFO queue: in a burst, express orders wait behind standard ones and miss the SLO", Args: nil},
	{Title: "a priority queue: express orders overtake the burst and meet the SLO",
		Args: []string{"--mode", "priority"}},
	{Title: "prefetch 4: workers hold standard orders an express order cannot overtake",
		Args: []string{"--mode", "priority", "--prefetch", "4"}},
	{Title: "sustained express load: the priority queue starves the batch of standard orders",
		Args: append([]string{"--mode", "priority"}, append(load, "--quiet")...)},
	{Title: "the same load on separate queues, weights 4:1: express on time, standard moves",
		Args: append([]string{"--mode", "separate-queues"}, append(load, "--quiet")...)},
}
