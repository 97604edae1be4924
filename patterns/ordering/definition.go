package ordering

import (
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Summary is the one-line description `msgplay list` shows.
const Summary = "per-key order: a shared queue breaks it; partitions, sessions keep it"

// About explains the pattern in --help.
const About = `Message ordering: the order service sends each order's events — OrderPlaced,
OrderPaid, OrderShipped, sometimes OrderCancelled — keyed by the order id, and
a projection (consumer-1 … consumer-N) builds each order's state from them.
An event applied out of turn corrupts it: a payment applied after the cancel
brings a cancelled order back. Each handle says what it did ("v2: placed →
paid") and when an event came early, late or twice.

  --mode queue       one FIFO queue, competing consumers: the queue hands the
                     events out in order, but consumers finish them in any
                     order, and a redelivery comes back late.
  --mode partitions  a partitioned log (Kafka): the key's hash picks the
                     partition, a consumer group gives each partition to one
                     consumer, which commits its offset. Joins, crashes
                     (noticed after --session-timeout) and restarts
                     rebalance the group: it pauses, partitions move, and a
                     moved partition replays what was handled but not yet
                     committed. --commit before loses instead of replaying.
                     Consumers beyond the partitions sit idle; a hot key
                     (--skew) makes its partition lag.
  --mode sessions    a queue with sessions (Service Bus): a consumer locks
                     one order's session and takes its events in order; a
                     dead consumer's lock holds the order until it expires
                     (--session-lock).

A failing event (--poison) in an ordered stream is retried in place, and
everything behind it waits (--retry block, head-of-line blocking), or parked
in orders.retry while the stream goes on (--retry park): later events of the
order overtake it. Checks: per-key-order, no-loss, no-duplicate-effects and
lag (every backlog drains, and stays under --max-lag when given).`

// Demos are the runnable examples of --help, each with a golden script.
var Demos = []patterns.Demo{
	{Title: "competing consumers reorder an order's events: a payment undoes a cancel", Args: nil},
	{Title: "partitions by key: each order's events stay in one partition, in order",
		Args: []string{"--mode", "partitions"}},
	{Title: "consumer-4 joins: the group pauses, rebalances and replays what was not committed",
		Args: []string{"--mode", "partitions", "--orders", "6", "--join", "consumer-4@60ms", "--commit-interval", "100ms"}},
	{Title: "the same join, cooperative, committing on revoke: one partition stops, none replays",
		Args: []string{"--mode", "partitions", "--orders", "6", "--join", "consumer-4@60ms", "--commit-interval", "100ms",
			"--rebalance", "cooperative", "--commit-on-revoke"}},
	{Title: "commit before handling: consumer-2 crashes and the event it held is lost",
		Args: []string{"--mode", "partitions", "--commit", "before", "--crash", "consumer-2@40ms"}},
	{Title: "a hot key: half the orders on one key, and its partition lags",
		Args: []string{"--mode", "partitions", "--orders", "200", "--skew", "0.5", "--arrival", "5ms", "--quiet"}},
	{Title: "sessions: consumer-2 dies holding a session; the lock expires, another carries on in order",
		Args: []string{"--mode", "sessions", "--orders", "5", "--crash", "consumer-2@40ms"}},
	{Title: "a failing event blocks its partition until it succeeds (head-of-line): order holds",
		Args: []string{"--mode", "partitions", "--orders", "3", "--poison", "m2", "--retry", "block"}},
	{Title: "the same failure parked in a retry queue: the partition goes on, order breaks",
		Args: []string{"--mode", "partitions", "--orders", "3", "--poison", "m2", "--retry", "park"}},
}

// variant returns the Apply of a variant: the mode and the two policies.
func variant(m Mode, commit Commit, retry Retry) func(*Config) {
	return func(c *Config) {
		c.Mode, c.Commit, c.Retry = m, commit, retry
	}
}

// Variants are the ways to carry the events, weakest first, for `msgplay
// check`: each holds the checks it names in every run.
var Variants = []patterns.Variant[Config]{
	{Name: "queue", About: "competing consumers on one queue: nothing lost, but events overtake each other",
		Guarantees: []string{"no-loss", "no-duplicate-effects", "lag"}, Apply: variant(Queue, After, Block)},
	{Name: "partitions-park", About: "partitions, a failing event parked in a retry queue: order breaks",
		Guarantees: []string{"no-loss", "lag"}, Apply: variant(Partitions, After, Park)},
	{Name: "sessions-park", About: "sessions, a failing event parked in a retry queue: order breaks",
		Guarantees: []string{"no-loss", "no-duplicate-effects", "lag"}, Apply: variant(Sessions, After, Park)},
	{Name: "commit-before", About: "partitions, offsets committed before the work: in order, at most once",
		Guarantees: []string{"per-key-order", "no-duplicate-effects", "lag"}, Apply: variant(Partitions, Before, Block)},
	{Name: "partitions", About: "partitions, offsets committed after the work: in order, at least once",
		Guarantees: []string{"per-key-order", "no-loss", "lag"}, Apply: variant(Partitions, After, Block)},
	{Name: "sessions", About: "sessions locked by one consumer at a time: in order, once",
		Guarantees: []string{"per-key-order", "no-loss", "no-duplicate-effects", "lag"}, Apply: variant(Sessions, After, Block)},
}

// Faults turns on what a sweep meets when the user gives no faults: a
// failing event, a consumer that crashes and comes back, one that joins.
func Faults(c *Config) {
	c.Orders = max(c.Orders, 8)
	c.Poison = []string{"m5"}
	c.Crashes = []sim.Crash{{Actor: ConsumerName(min(2, c.Consumers)), At: 60 * time.Millisecond}}
	c.RestartAfter = 150 * time.Millisecond
	if c.Consumers < MaxConsumers {
		c.Joins = []Join{{Consumer: ConsumerName(c.Consumers + 1), At: 100 * time.Millisecond}}
	}
}

// Definition is the ordering pattern, as msgplay offers it.
var Definition = patterns.Def[Config]{
	Name:     Name,
	Aliases:  []string{"message-ordering"},
	Summary:  Summary,
	About:    About,
	Default:  Default,
	Demos:    Demos,
	Variants: Variants,
	Faults:   Faults,
	Intro: []patterns.Intro{
		{Kind: trace.Send, To: "orders",
			Why: "All the events go to one shared queue, and three consumers take from it in turn: a later event of an order can be applied before an earlier one that another consumer still holds."},
		{Kind: trace.Publish,
			Why: "Each event goes to the partition its key hashes to: all of one order's events land in one partition, read by one consumer, in the order they were sent."},
	},
	Tour: &patterns.Chapter{
		Title:  "two orders' events (placed, paid, shipped or cancelled) handled by three consumers",
		Args:   []string{"--orders", "2"},
		Broken: "queue",
		Fixed:  "partitions",
	},
}
