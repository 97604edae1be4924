package cmd

import (
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/patterns/competing"
)

func bindCompeting(f *pflag.FlagSet, c *competing.Config) func() error {
	f.Var(count(&c.Consumers, 1, competing.MaxConsumers), "consumers", "number of competing workers"+span(1, competing.MaxConsumers))
	f.Var(count(&c.Messages, 1, competing.MaxMessages), "messages", "number of PlaceOrder commands to send"+most(competing.MaxMessages))
	f.Var(count(&c.Prefetch, 0, competing.MaxPrefetch), "prefetch", "most unacked deliveries a worker holds at once"+zeroOr("unlimited", competing.MaxPrefetch))
	f.Var(choice(&c.Ack, "an ack mode", broker.ManualAck, broker.AutoAck), "ack",
		"manual (ack after the work) or auto (acked on delivery)")
	f.Var(distValue{&c.Work}, "work", "processing time of one message: 20ms, 10ms..30ms or exp:20ms")
	f.Var(distValue{&c.Arrival}, "arrival", "time between sends (0 = all at once): 20ms, 10ms..30ms or exp:20ms")
	f.Var(factors(&c.Slow, "worker-2=3"), "slow", "make a worker FACTOR times slower, as worker-2=3 (repeatable)")
	f.Var(crashes(&c.Crashes), "crash", "crash an actor (a worker or the producer) at a virtual time, as worker-2@150ms (repeatable)")
	f.Var(probValue{&c.CrashRate, "from 0 to below 1"}, "crash-rate",
		"chance a worker crashes halfway through each delivery, from 0 to below 1 (needs --restart-after)")
	f.Var(durationValue{d: &c.RestartAfter}, "restart-after", "how long a crashed actor stays down (0 = for good)")
	f.Var(durationValue{d: &c.VisibilityTimeout}, "visibility-timeout",
		"how long a delivery may stay unacked before the message is visible again (0 = none, as RabbitMQ)")
	f.Var(count(&c.MaxDeliveries, 0, competing.MaxDeliveries), "max-deliveries", "deliveries before a message is dead-lettered"+zeroOr("unlimited", competing.MaxDeliveries))
	f.Var(names(&c.Poison, "ID"), "poison", "a message whose handler always fails, as m3 (repeatable)")
	return nil
}
