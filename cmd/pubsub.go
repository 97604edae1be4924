package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/pubsub"
)

func bindPubsub(f *pflag.FlagSet, c *pubsub.Config) func() error {
	f.Var(count(&c.Events, 1, pubsub.MaxEvents), "events",
		fmt.Sprintf("number of orders placed (OrderPlaced events e1 … eN), at most %d", pubsub.MaxEvents))
	f.Var(&listValue[string]{list: &c.Subscribers, form: "NAMES", parse: parseName, format: same, key: same,
		split: true, replace: true},
		"subscribers", "the subscribing services, comma-separated"+most(pubsub.MaxSubscribers))
	f.Var(names(&c.Transient, "NAME"), "transient",
		"make a subscription transient: it exists only while its subscriber is connected (repeatable)")
	f.Var(&listValue[pubsub.Late]{list: &c.Late, form: "NAME@TIME", format: pubsub.Late.String, key: pubsub.Late.Subscriber,
		parse: func(s string) (pubsub.Late, error) {
			name, at, err := parseAt(s)
			return pubsub.Late{Name: name, At: at}, err
		}}, "late", "start a subscriber only at a virtual time, as email@50ms (repeatable)")
	f.Var(&listValue[pubsub.Offline]{list: &c.Offline, form: "NAME@FROM..TO", format: pubsub.Offline.String,
		parse: func(s string) (pubsub.Offline, error) {
			name, w, err := parseAtWindow(s)
			return pubsub.Offline{Name: name, Window: w}, err
		}}, "offline", "take a subscriber offline for a window, as email@30ms..90ms (repeatable)")
	f.Var(&listValue[pubsub.Filter]{list: &c.Filters, form: "NAME=PATTERN", format: pubsub.Filter.String,
		key: pubsub.Filter.Subscriber,
		parse: func(s string) (pubsub.Filter, error) {
			name, pattern, ok := strings.Cut(s, "=")
			if !ok || name == "" {
				return pubsub.Filter{}, fmt.Errorf("%q is not NAME=PATTERN: want, for example, shipping=orders.*.eu", s)
			}
			f, err := broker.ParseFilter(pattern)
			if err != nil {
				return pubsub.Filter{}, fmt.Errorf("%q: %v", s, err)
			}
			return pubsub.Filter{Name: name, Filter: f}, nil
		}}, "filter",
		"take only matching subjects, as shipping=orders.*.eu (* a token, > the rest, # any) (repeatable)")
	f.Var(counts(&c.Instances, "NAME=N", "payment=3"), "instances",
		"serve a subscription with a group of N competing instances, as payment=3 (repeatable)")
	f.Var(factors(&c.Slow, "analytics=4"), "slow", "make a subscriber FACTOR times slower, as analytics=4 (repeatable)")
	f.Var(names(&c.Fail, "NAME"), "fail", "make a subscriber's handler always fail (repeatable)")
	f.Var(distValue{&c.Work}, "work", "one subscriber's work on one event: 20ms, 10ms..30ms or exp:20ms")
	f.Var(distValue{&c.Arrival}, "arrival", "time between orders: 20ms, 10ms..30ms or exp:20ms")
	f.Var(probValue{&c.DuplicateRate, "from 0 to " + formatFloat(patterns.MaxDuplicateRate)}, "duplicate-rate",
		"chance that an ack is lost and the broker delivers the copy again, from 0 to 1")
	f.BoolVar(&c.Idempotent, "idempotent", c.Idempotent, "subscribers remember what they handled and skip repeats")
	f.Var(choice(&c.Mode, "a mode", pubsub.Modes...), "mode",
		"events (publish, move on) or direct (a command to each service in turn, awaiting replies)")
	return nil
}
