package cmd

import (
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/patterns/outbox"
)

func bindOutbox(f *pflag.FlagSet, c *outbox.Config) func() error {
	f.Var(choice(&c.Variant, "a variant", outbox.AllVariants...), "variant",
		"how the order service writes: dual-write, publish-first or outbox")
	f.Var(count(&c.Orders, 1, outbox.MaxOrders), "orders",
		fmt.Sprintf("number of orders (1 to %d), each written twice: OrderCreated, then OrderUpdated", outbox.MaxOrders))
	f.Var(distValue{&c.Arrival}, "arrival", "time between orders: 20ms, 10ms..30ms or exp:20ms")
	f.Var(distValue{&c.Work}, "work", "time of each step (a transaction, a publish, a handler): 5ms, 2ms..8ms or exp:5ms")
	f.Var(crashes(&c.Crashes), "crash", "crash an actor (order-service, relay or inventory) at a virtual time, as relay@100ms (repeatable)")
	f.Var(durationValue{d: &c.RestartAfter}, "restart-after", "how long a crashed actor stays down (0 = for good)")
	f.Var(probValue{p: &c.CrashRate}, "crash-rate", "chance the order service crashes between its two writes, per order")
	f.Var(windowValue{&c.BrokerDown}, "broker-down", "a broker outage: every publish fails from FROM to TO, as 1s..3s")
	f.Var(probValue{p: &c.DBFailRate}, "db-fail-rate", "chance a commit to the orders database fails")
	f.Var(probValue{p: &c.RelayCrashRate}, "relay-crash-rate", "chance the relay crashes between a publish and marking it sent")
	f.Var(durationValue{d: &c.PollInterval, lo: time.Microsecond}, "poll-interval", "how often the relay polls the outbox")
	f.Var(count(&c.Batch, 1, outbox.MaxBatch), "batch", "most outbox rows the relay publishes per poll"+span(1, outbox.MaxBatch))
	f.Var(count(&c.RelayWorkers, 1, outbox.MaxRelayWorkers), "relay-workers",
		"threads the relay publishes a batch on (1 to 16); above 1, an order's update can overtake its creation")
	f.BoolVar(&c.Inbox, "inbox", c.Inbox, "the inventory records handled event ids, so duplicates are skipped")
	return nil
}
