package cmd

import (
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/pubsub"
)

func pubsubDef() patternDef {
	return patternDef{
		name:     pubsub.Name,
		aliases:  []string{"pub-sub"},
		summary:  pubsub.Summary,
		about:    pubsub.About,
		demos:    pubsub.Demos,
		variants: pubsub.Variants,
		faults:   []string{"--duplicate-rate", "0.2", "--offline", "email@30ms..90ms"},
		flags:    pubsubFlags,
	}
}

func pubsubFlags(f *pflag.FlagSet) func() (patterns.Runner, error) {
	cfg := pubsub.Default()
	mode := string(cfg.Mode)
	var late []At
	var offline []AtWindow
	var filters []Named[broker.Filter]
	var instances []Named[int]
	f.IntVar(&cfg.Events, "events", cfg.Events, "number of orders placed (OrderPlaced events e1 … eN)")
	f.Var(&replaceList{list: &cfg.Subscribers, kind: "NAMES"}, "subscribers",
		"the subscribing services, comma-separated")
	f.Var(namesValue{list: &cfg.Transient, kind: "NAME"}, "transient",
		"make a subscription transient: it exists only while its subscriber is connected (repeatable)")
	f.Var(atsValue{&late}, "late", "start a subscriber only at a virtual time, as email@50ms (repeatable)")
	f.Var(atWindowsValue{&offline}, "offline", "take a subscriber offline for a window, as email@30ms..90ms (repeatable)")
	f.Var(namedValue[broker.Filter]{list: &filters, form: "NAME=PATTERN", example: "shipping=orders.*.eu",
		parse: broker.ParseFilter}, "filter",
		"take only matching subjects, as shipping=orders.*.eu (* a token, > the rest, # any) (repeatable)")
	f.Var(namedValue[int]{list: &instances, form: "NAME=N", example: "payment=3", parse: parseCount}, "instances",
		"serve a subscription with a group of N competing instances, as payment=3 (repeatable)")
	f.Var(factorsValue{&cfg.Slow}, "slow", "make a subscriber FACTOR times slower, as analytics=4 (repeatable)")
	f.Var(namesValue{list: &cfg.Fail, kind: "NAME"}, "fail", "make a subscriber's handler always fail (repeatable)")
	f.Var(distValue{&cfg.Work}, "work", "one subscriber's work on one event: 20ms, 10ms..30ms or exp:20ms")
	f.Var(distValue{&cfg.Arrival}, "arrival", "time between orders: 20ms, 10ms..30ms or exp:20ms")
	f.Var(probValue{&cfg.DuplicateRate}, "duplicate-rate",
		"chance that an ack is lost and the broker delivers the copy again, from 0 to 1")
	f.BoolVar(&cfg.Idempotent, "idempotent", false, "subscribers remember what they handled and skip repeats")
	f.Var(&choiceValue{s: &mode, what: "a mode", choices: pubsub.Modes}, "mode",
		"events (publish, move on) or direct (a command to each service in turn, awaiting replies)")
	return func() (patterns.Runner, error) {
		c := cfg
		c.Mode = pubsub.Mode(mode)
		c.Late, c.Offline, c.Filters, c.Instances = nil, nil, nil, nil
		for _, l := range late {
			c.Late = append(c.Late, pubsub.Late{Name: l.Name, At: l.At})
		}
		for _, o := range offline {
			c.Offline = append(c.Offline, pubsub.Offline{Name: o.Name, Window: o.Window})
		}
		for _, fl := range filters {
			c.Filters = append(c.Filters, pubsub.Filter{Name: fl.Name, Filter: fl.Value})
		}
		for _, in := range instances {
			if c.Instances == nil {
				c.Instances = map[string]int{}
			}
			c.Instances[in.Name] = in.Value
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		return func(common patterns.Common, out trace.Sink) *trace.Report {
			c := c
			c.Common = common
			return pubsub.Run(c, out)
		}, nil
	}
}
