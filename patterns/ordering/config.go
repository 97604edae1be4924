// Package ordering simulates message ordering: each order produces a
// sequence of events (OrderPlaced, OrderPaid, OrderShipped, sometimes
// OrderCancelled) and a projection builds each order's state from them. It
// shows competing consumers on one queue reordering an order's events, a
// partitioned log (Kafka-style: key hashing, a consumer group, offsets,
// rebalances) and Service Bus-style sessions restoring order per key, and
// what each costs: replays, losses, lag, head-of-line blocking.
package ordering

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Mode is how the events travel from the order service to the projection.
type Mode string

// The modes.
const (
	// Queue: one FIFO queue, competing consumers.
	Queue Mode = "queue"
	// Partitions: a partitioned log, one owner per partition in a consumer group.
	Partitions Mode = "partitions"
	// Sessions: one queue whose messages carry a session id (the key); a
	// consumer locks a session and takes its messages in order.
	Sessions Mode = "sessions"
)

// Commit is when a log consumer commits its offset.
type Commit string

// The commit policies.
const (
	// After: commit once the event is handled (at least once: a crash or a
	// move before the commit replays it).
	After Commit = "after"
	// Before: commit as the event is taken, then handle it (at most once: a
	// crash while handling loses it).
	Before Commit = "before"
)

// Retry is what an ordered stream does with an event whose handler fails.
type Retry string

// The retry policies.
const (
	// Block: retry the event in place; everything behind it waits
	// (head-of-line blocking), and order holds.
	Block Retry = "block"
	// Park: move the event to a retry queue and go on; later events of the
	// same order overtake it, and order breaks.
	Park Retry = "park"
)

// Protocol is how a consumer group rebalances.
type Protocol string

// The rebalance protocols.
const (
	// Eager: every consumer gives up every partition, then takes its new
	// share: the whole group stops for the rebalance.
	Eager Protocol = "eager"
	// Cooperative: only the partitions that change owner stop.
	Cooperative Protocol = "cooperative"
)

// The choices of each flag, in the order help shows them.
var (
	Modes     = []Mode{Queue, Partitions, Sessions}
	Commits   = []Commit{After, Before}
	Retries   = []Retry{Block, Park}
	Protocols = []Protocol{Eager, Cooperative}
)

// The ceilings of the count flags. Every duration, and every sample of a
// distribution, is at most sim.MaxTime.
const (
	MaxOrders         = 1_000_000
	MaxEventsPerOrder = 4
	MaxConsumers      = 64 // consumer-1 … consumer-64, joins included
	MaxPartitions     = 64
	MaxPoisonFails    = 100
	MaxPrefetch       = 1000
	MaxLag            = MaxOrders * MaxEventsPerOrder // --max-lag: no backlog can pass every event
)

// Config is one ordering scenario.
type Config struct {
	patterns.Common

	Mode           Mode
	Orders         int     // orders order-1001 …
	EventsPerOrder int     // events of each order, from OrderPlaced on
	CancelRate     float64 // share of orders whose last event is OrderCancelled
	Skew           float64 // share of orders that carry the one hot key
	Consumers      int     // consumer-1 … consumer-N at the start

	Arrival sim.Dist // time between orders
	Gap     sim.Dist // time between the events of one order
	Work    sim.Dist // the projection's work on one event

	// Partitions mode.
	Partitions     int
	Commit         Commit
	CommitInterval time.Duration // how often handled offsets are committed; 0 = after every event
	CommitOnRevoke bool          // commit what was handled when a partition is taken away
	Rebalance      Protocol
	RebalancePause time.Duration // how long the group stops to rebalance
	SessionTimeout time.Duration // how long before the group notices a crashed consumer

	// Sessions mode.
	SessionLock time.Duration // how long a dead consumer's session lock lasts

	// Queue mode.
	Prefetch          int
	VisibilityTimeout time.Duration

	// Failures.
	Poison       []string      // ids of events whose handler fails at first
	PoisonFails  int           // how many times each poison event fails before it succeeds
	Retry        Retry         // what an ordered stream does with a failing event
	RetryBackoff time.Duration // the wait before a failed event is tried again

	Slow         map[string]float64 // consumer → factor it works slower by
	Crashes      []sim.Crash        // scheduled crashes of consumers or the order service
	RestartAfter time.Duration      // how long a crashed actor stays down; 0 = for good
	Joins        []Join             // consumers that join later

	MaxLag int // the lag check fails above it; 0 = no limit, only the end counts
}

// Join is a consumer that starts only at At.
type Join struct {
	Consumer string
	At       time.Duration
}

// String returns the join as its flag is written, such as consumer-4@100ms.
func (j Join) String() string { return j.Consumer + "@" + trace.FormatDuration(j.At) }

// Default returns the scenario `msgplay ordering` runs with no flags.
func Default() Config {
	return Config{
		Common:            patterns.Common{Seed: 1},
		Mode:              Queue,
		Orders:            4,
		EventsPerOrder:    3,
		CancelRate:        0.25,
		Consumers:         3,
		Arrival:           sim.Uniform(10*time.Millisecond, 30*time.Millisecond),
		Gap:               sim.Uniform(time.Millisecond, 5*time.Millisecond),
		Work:              sim.Uniform(5*time.Millisecond, 25*time.Millisecond),
		Partitions:        4,
		Commit:            After,
		CommitInterval:    50 * time.Millisecond,
		Rebalance:         Eager,
		RebalancePause:    20 * time.Millisecond,
		SessionTimeout:    100 * time.Millisecond,
		SessionLock:       200 * time.Millisecond,
		Prefetch:          1,
		VisibilityTimeout: 500 * time.Millisecond,
		PoisonFails:       2,
		Retry:             Block,
		RetryBackoff:      50 * time.Millisecond,
	}
}

// The names of the actors and channels.
const (
	Producer    = "order-service"
	QueueName   = "orders"
	RetryQueue  = "orders.retry"
	Retrier     = "retrier"
	Coordinator = "coordinator"
	HotKey      = "big-customer"
)

// ConsumerName returns the name of the i-th consumer, from 1.
func ConsumerName(i int) string { return "consumer-" + strconv.Itoa(i) }

// PartitionName returns the name of partition p, from 0.
func PartitionName(p int) string { return "orders-p" + strconv.Itoa(p) }

// consumerNumber returns N for "consumer-N", and 0 for any other name.
func consumerNumber(name string) int {
	rest, ok := strings.CutPrefix(name, "consumer-")
	n, err := strconv.Atoi(rest)
	if !ok || err != nil || n < 1 || ConsumerName(n) != name {
		return 0
	}
	return n
}

// isConsumer reports whether name is a consumer of the scenario: one of
// the first --consumers, or one that joins.
func (c Config) isConsumer(name string) bool {
	if n := consumerNumber(name); n >= 1 && n <= c.Consumers {
		return true
	}
	return slices.ContainsFunc(c.Joins, func(j Join) bool { return j.Consumer == name })
}

func (c Config) consumerRange() string {
	if c.Consumers == 1 {
		return ConsumerName(1)
	}
	return ConsumerName(1) + " … " + ConsumerName(c.Consumers)
}

// Validate reports the first thing wrong with c, naming the flag.
func (c Config) Validate() error {
	if err := c.validateCounts(); err != nil {
		return err
	}
	if err := c.validateDurations(); err != nil {
		return err
	}
	return c.validateNames()
}

func (c Config) validateCounts() error {
	if err := cmp.Or(
		patterns.CheckRange("--orders", c.Orders, 1, MaxOrders),
		patterns.CheckRange("--events-per-order", c.EventsPerOrder, 1, MaxEventsPerOrder),
		patterns.CheckRange("--consumers", c.Consumers, 1, MaxConsumers),
		patterns.CheckRange("--partitions", c.Partitions, 1, MaxPartitions),
		patterns.CheckRange("--poison-fails", c.PoisonFails, 1, MaxPoisonFails),
		patterns.CheckRange("--max-lag", c.MaxLag, 0, MaxLag),
	); err != nil {
		return err
	}
	switch {
	case !slices.Contains(Modes, c.Mode):
		return fmt.Errorf("--mode: %q is not a mode: want queue, partitions or sessions", c.Mode)
	case !slices.Contains(Commits, c.Commit):
		return fmt.Errorf("--commit: %q is not a commit policy: want after or before", c.Commit)
	case !slices.Contains(Retries, c.Retry):
		return fmt.Errorf("--retry: %q is not a retry policy: want block or park", c.Retry)
	case !slices.Contains(Protocols, c.Rebalance):
		return fmt.Errorf("--rebalance: %q is not a protocol: want eager or cooperative", c.Rebalance)
	case c.Prefetch < 0 || c.Prefetch > MaxPrefetch:
		return fmt.Errorf("--prefetch must be from 0 (unlimited) to %d (got %d)", MaxPrefetch, c.Prefetch)
	case !(c.CancelRate >= 0 && c.CancelRate <= 1):
		return fmt.Errorf("--cancel-rate must be from 0 to 1 (got %v)", c.CancelRate)
	case !(c.Skew >= 0 && c.Skew < 1):
		return fmt.Errorf("--skew must be from 0 to below 1 (got %v): it is the share of orders on one hot key", c.Skew)
	case c.Retry == Park && c.Mode == Queue:
		return fmt.Errorf("--retry park needs --mode partitions or sessions: a queue already lets other events pass a failing one")
	}
	return nil
}

func (c Config) validateDurations() error {
	switch {
	case c.SessionTimeout == 0:
		return fmt.Errorf("--session-timeout must be above 0: the group needs some time to notice a dead consumer")
	case c.SessionLock == 0:
		return fmt.Errorf("--session-lock must be above 0: a lock that lasts no time holds nothing")
	}
	return nil
}

func (c Config) validateNames() error {
	seen := map[string]bool{}
	for _, j := range c.Joins {
		n := consumerNumber(j.Consumer)
		switch {
		case n == 0 || n > MaxConsumers:
			return fmt.Errorf("--join: %q is not a consumer name: want consumer-N, N from %d to %d", j.Consumer, c.Consumers+1, MaxConsumers)
		case n <= c.Consumers:
			return fmt.Errorf("--join: %s is already one of the %d consumers: want consumer-%d or above", j.Consumer, c.Consumers, c.Consumers+1)
		case seen[j.Consumer]:
			return fmt.Errorf("--join: %s joins twice", j.Consumer)
		}
		seen[j.Consumer] = true
	}
	if err := patterns.CheckSlows(c.Slow, c.Work, c.isConsumer, "consumer", c.consumerRange()+" or one that joins"); err != nil {
		return err
	}
	isActor := func(name string) bool { return name == Producer || c.isConsumer(name) }
	if err := patterns.CheckCrashes(c.Crashes, isActor, "actor", Producer+", "+c.consumerRange()+" or one that joins"); err != nil {
		return err
	}
	total := c.Orders * c.EventsPerOrder
	for _, id := range c.Poison {
		n, err := strconv.Atoi(strings.TrimPrefix(id, "m"))
		if err != nil || n < 1 || n > total || id != patterns.MessageID(n) {
			return fmt.Errorf("--poison: no event %q: want an id from m1 to m%d", id, total)
		}
	}
	return nil
}

// Params returns the scenario as the run event shows it: the flags that
// matter in its mode.
func (c Config) Params() []trace.Param {
	p := patterns.NewParams(c.Common).Str("mode", string(c.Mode)).Int("orders", c.Orders).
		Int("events-per-order", c.EventsPerOrder).Int("consumers", c.Consumers)
	switch c.Mode {
	case Partitions:
		p.Add(trace.Param{Name: "partitions", Value: strconv.Itoa(c.Partitions), Hint: "fnv-1a(key) mod " + strconv.Itoa(c.Partitions)}).
			Str("commit", string(c.Commit)).Dur("commit-interval", c.CommitInterval).Str("rebalance", string(c.Rebalance))
		if c.CommitOnRevoke {
			p.Str("commit-on-revoke", "true")
		}
	case Sessions:
		p.Dur("session-lock", c.SessionLock)
	case Queue:
		p.Int("prefetch", c.Prefetch).Dur("visibility-timeout", c.VisibilityTimeout)
	}
	p.Dist("work", c.Work).Dist("arrival", c.Arrival).Dist("gap", c.Gap)
	if c.CancelRate != Default().CancelRate {
		p.Float("cancel-rate", c.CancelRate)
	}
	if c.Skew > 0 {
		p.Float("skew", c.Skew)
	}
	if len(c.Poison) > 0 {
		p.List("poison", c.Poison).Int("poison-fails", c.PoisonFails)
		if c.Mode != Queue {
			p.Str("retry", string(c.Retry))
		}
	}
	var slow []string
	for i := 1; i <= MaxConsumers; i++ {
		if f, ok := c.Slow[ConsumerName(i)]; ok {
			slow = append(slow, ConsumerName(i)+"="+strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	p.List("slow", slow).List("join", patterns.Strings(c.Joins)).Crashes(c.Crashes)
	if len(c.Crashes) > 0 && c.RestartAfter > 0 {
		p.Dur("restart-after", c.RestartAfter)
	}
	if c.MaxLag > 0 {
		p.Int("max-lag", c.MaxLag)
	}
	return p.Done()
}
