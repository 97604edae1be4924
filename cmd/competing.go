package cmd

import (
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/competing"
)

func competingDef() patternDef {
	return patternDef{
		name:     competing.Name,
		aliases:  []string{"competing-consumers"},
		summary:  competing.Summary,
		about:    competing.About,
		demos:    competing.Demos,
		variants: competing.Variants,
		faults:   []string{"--crash", "worker-2@30ms", "--messages", "6"},
		flags:    competingFlags,
	}
}

func competingFlags(f *pflag.FlagSet) func() (patterns.Runner, error) {
	cfg := competing.Default()
	var crashes []At
	ack := cfg.Ack.String()
	f.IntVar(&cfg.Consumers, "consumers", cfg.Consumers, "number of competing workers")
	f.IntVar(&cfg.Messages, "messages", cfg.Messages, "number of PlaceOrder commands to send")
	f.IntVar(&cfg.Prefetch, "prefetch", cfg.Prefetch, "most unacked deliveries a worker holds at once (0 = unlimited)")
	f.Var(&choiceValue{s: &ack, what: "an ack mode", choices: []string{"manual", "auto"}}, "ack",
		"manual (ack after the work) or auto (acked on delivery)")
	f.Var(distValue{&cfg.Work}, "work", "processing time of one message: 20ms, 10ms..30ms or exp:20ms")
	f.Var(distValue{&cfg.Arrival}, "arrival", "time between sends (0 = all at once): 20ms, 10ms..30ms or exp:20ms")
	f.Var(factorsValue{&cfg.Slow}, "slow", "make a worker FACTOR times slower, as worker-2=3 (repeatable)")
	f.Var(atsValue{&crashes}, "crash", "crash an actor (a worker or the producer) at a virtual time, as worker-2@150ms (repeatable)")
	f.Var(durationValue{&cfg.RestartAfter}, "restart-after", "how long a crashed actor stays down (0 = for good)")
	f.Var(durationValue{&cfg.VisibilityTimeout}, "visibility-timeout",
		"how long a delivery may stay unacked before the message is visible again (0 = none, as RabbitMQ)")
	f.IntVar(&cfg.MaxDeliveries, "max-deliveries", cfg.MaxDeliveries, "deliveries before a message is dead-lettered (0 = unlimited)")
	f.Var(namesValue{list: &cfg.Poison, kind: "ID"}, "poison", "a message whose handler always fails, as m3 (repeatable)")
	return func() (patterns.Runner, error) {
		c := cfg
		c.Ack, _ = broker.ParseAckMode(ack)
		c.Crashes = nil
		for _, a := range crashes {
			c.Crashes = append(c.Crashes, competing.Crash{Actor: a.Name, At: a.At})
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		return func(common patterns.Common, out trace.Sink) *trace.Report {
			c := c
			c.Common = common
			return competing.Run(c, out)
		}, nil
	}
}
