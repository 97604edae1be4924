package cmd

import (
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/outbox"
)

func outboxDef() patternDef {
	return patternDef{
		name:     outbox.Name,
		aliases:  []string{"transactional-outbox"},
		summary:  outbox.Summary,
		about:    outbox.About,
		demos:    outbox.Demos,
		variants: outbox.Variants,
		faults: []string{"--orders", "20", "--crash-rate", "0.05", "--db-fail-rate", "0.05",
			"--relay-crash-rate", "0.1"},
		flags: outboxFlags,
	}
}

func outboxFlags(f *pflag.FlagSet) func() (patterns.Runner, error) {
	cfg := outbox.Default()
	var crashes []At
	variant := cfg.Variant.String()
	f.Var(&choiceValue{s: &variant, what: "a variant", choices: outbox.VariantNames}, "variant",
		"how the order service writes: dual-write, publish-first or outbox")
	f.IntVar(&cfg.Orders, "orders", cfg.Orders, "number of orders to place")
	f.Var(distValue{&cfg.Arrival}, "arrival", "time between orders: 20ms, 10ms..30ms or exp:20ms")
	f.Var(distValue{&cfg.Work}, "work", "time of each step (a transaction, a publish, a handler): 5ms, 2ms..8ms or exp:5ms")
	f.Var(atsValue{&crashes}, "crash", "crash an actor (order-service, relay or inventory) at a virtual time, as relay@100ms (repeatable)")
	f.Var(durationValue{&cfg.RestartAfter}, "restart-after", "how long a crashed actor stays down (0 = for good)")
	f.Var(probValue{&cfg.CrashRate}, "crash-rate", "chance the order service crashes between its two writes, per order")
	f.Var(windowValue{w: &cfg.BrokerDown, set: &cfg.BrokerDownSet}, "broker-down", "a broker outage: every publish fails from FROM to TO, as 1s..3s")
	f.Var(probValue{&cfg.DBFailRate}, "db-fail-rate", "chance a commit to the orders database fails")
	f.Var(probValue{&cfg.RelayCrashRate}, "relay-crash-rate", "chance the relay crashes between a publish and marking it sent")
	f.Var(durationValue{&cfg.PollInterval}, "poll-interval", "how often the relay polls the outbox")
	f.IntVar(&cfg.Batch, "batch", cfg.Batch, "most outbox rows the relay publishes per poll")
	f.BoolVar(&cfg.Inbox, "inbox", false, "the inventory records handled event ids, so duplicates are skipped")
	return func() (patterns.Runner, error) {
		c := cfg
		c.Variant, _ = outbox.ParseVariant(variant)
		c.Crashes = nil
		for _, a := range crashes {
			c.Crashes = append(c.Crashes, outbox.Crash{Actor: a.Name, At: a.At})
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		return func(common patterns.Common, out trace.Sink) *trace.Report {
			c := c
			c.Common = common
			return outbox.Run(c, out)
		}, nil
	}
}
