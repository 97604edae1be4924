package cmd

import (
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/patterns/ordering"
)

func bindOrdering(f *pflag.FlagSet, c *ordering.Config) func() error {
	f.Var(choice(&c.Mode, "a mode", ordering.Modes...), "mode",
		"queue (competing consumers), partitions (a partitioned log) or sessions (one consumer per order at a time)")
	f.Var(count(&c.Orders, 1, ordering.MaxOrders), "orders", "number of orders order-1001 … (at most 1000000)")
	f.Var(count(&c.EventsPerOrder, 1, ordering.MaxEventsPerOrder), "events-per-order",
		"events of each order: OrderPlaced, OrderPaid, OrderShipped, OrderDelivered (1 to 4)")
	f.Var(probValue{p: &c.CancelRate}, "cancel-rate", "share of orders whose last event is OrderCancelled, from 0 to 1")
	f.Var(count(&c.Consumers, 1, ordering.MaxConsumers), "consumers", "consumers consumer-1 … consumer-N at the start (1 to 64)")
	f.Var(distValue{&c.Arrival}, "arrival", "time between orders: 20ms, 10ms..30ms or exp:20ms")
	f.Var(distValue{&c.Gap}, "gap", "time between the events of one order: 2ms, 1ms..5ms or exp:2ms")
	f.Var(distValue{&c.Work}, "work", "the projection's work on one event: 10ms, 5ms..25ms or exp:10ms")
	f.Var(count(&c.Partitions, 1, ordering.MaxPartitions), "partitions", "partitions orders-p0 … of the log (1 to 64)")
	f.Var(choice(&c.Commit, "a commit policy", ordering.Commits...), "commit",
		"when a log consumer commits its offset: after the work (at least once) or before it (at most once)")
	f.Var(durationValue{d: &c.CommitInterval}, "commit-interval",
		"how often handled offsets are committed, as auto.commit.interval.ms (0 = after every event)")
	f.BoolVar(&c.CommitOnRevoke, "commit-on-revoke", c.CommitOnRevoke,
		"commit what was handled when a rebalance takes a partition away")
	f.Var(choice(&c.Rebalance, "a rebalance protocol", ordering.Protocols...), "rebalance",
		"eager (every partition stops) or cooperative (only the partitions that move stop)")
	f.Var(durationValue{d: &c.RebalancePause}, "rebalance-pause", "how long the group stops to rebalance")
	f.Var(durationValue{d: &c.SessionTimeout}, "session-timeout", "how long before the group notices a dead consumer")
	f.Var(durationValue{d: &c.SessionLock}, "session-lock", "how long a dead consumer's session lock lasts (sessions mode)")
	f.Var(count(&c.Prefetch, 0, ordering.MaxPrefetch), "prefetch", "most unacked deliveries a consumer holds, queue mode (0 = unlimited, at most 1000)")
	f.Var(durationValue{d: &c.VisibilityTimeout}, "visibility-timeout",
		"unacked time before a message is visible again, queue mode (0 = none, as RabbitMQ)")
	f.Var(names(&c.Poison, "ID"), "poison", "an event whose handler fails at first, as m2 (repeatable)")
	f.Var(count(&c.PoisonFails, 1, ordering.MaxPoisonFails), "poison-fails", "how many times a poison event fails before it succeeds (1 to 100)")
	f.Var(choice(&c.Retry, "a retry policy", ordering.Retries...), "retry",
		"what an ordered stream does with a failing event: block (retry in place) or park (in orders.retry, and go on)")
	f.Var(durationValue{d: &c.RetryBackoff}, "retry-backoff", "the wait before a failed event is tried again")
	f.Var(probValue{&c.Skew, "from 0 to below 1"}, "skew", "share of orders on one hot key, big-customer, from 0 to below 1")
	f.Var(factors(&c.Slow, "consumer-2=3"), "slow", "make a consumer FACTOR times slower, as consumer-2=3 (repeatable)")
	f.Var(crashes(&c.Crashes), "crash",
		"crash a consumer or the order service at a virtual time, as consumer-2@40ms (repeatable)")
	f.Var(durationValue{d: &c.RestartAfter}, "restart-after", "how long a crashed actor stays down (0 = for good)")
	f.Var(&listValue[ordering.Join]{list: &c.Joins, form: "NAME@TIME", format: ordering.Join.String,
		parse: func(s string) (ordering.Join, error) {
			name, at, err := parseAt(s)
			return ordering.Join{Consumer: name, At: at}, err
		}}, "join", "a consumer that joins at a virtual time, as consumer-4@100ms (repeatable)")
	f.Var(count(&c.MaxLag, 0, ordering.MaxLag), "max-lag", "the lag check fails when a backlog passes it"+zeroOr("no limit", ordering.MaxLag))
	return nil
}
