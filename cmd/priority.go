package cmd

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/patterns/priority"
)

func bindPriority(f *pflag.FlagSet, c *priority.Config) func() error {
	f.Var(choice(&c.Mode, "a mode", priority.Modes...), "mode",
		"fifo (one queue), priority (a broker priority queue) or separate-queues (one queue per priority)")
	f.Var(count(&c.Orders, 0, priority.MaxOrders), "orders", "orders sent one --arrival apart, besides the bursts (at most 1000000)")
	f.Var(probValue{p: &c.ExpressShare}, "express-share", "the chance an order is express, from 0 to 1")
	f.Var(distValue{&c.Arrival}, "arrival", "time between orders: 10ms, 5ms..15ms or exp:10ms")
	f.Var(&listValue[priority.Burst]{list: &c.Bursts, form: "N@TIME", format: priority.Burst.String, replace: true,
		parse: func(s string) (priority.Burst, error) {
			spec, kind, _ := strings.Cut(s, ":")
			n, at, err := parseAt(spec)
			k, nerr := strconv.Atoi(n)
			if err == nil && nerr != nil {
				err = fmt.Errorf("%q is not N@TIME: want a number of orders and a virtual time, such as 100@1s", s)
			}
			return priority.Burst{N: k, At: at, Kind: kind}, err
		}}, "burst", "N more orders sent at once at a virtual time, as 100@1s, or all of one kind, as "+
		"100@1s:express or 100@1s:standard (repeatable; at most 100)")
	f.Var(distValue{&c.Work}, "work", "a worker's time for one order: 20ms, 15ms..25ms or exp:20ms")
	f.Var(count(&c.Consumers, 1, priority.MaxConsumers), "consumers", "workers worker-1 … worker-N (1 to 64)")
	f.Var(count(&c.Prefetch, 1, priority.MaxPrefetch), "prefetch", "most unacked deliveries a worker holds, per queue (1 to 1000)")
	f.Var(weightsValue{&c.Weights}, "weights",
		"separate-queues: express orders a worker takes in a row while standard wait, and standard ones after (1 to 100 each)")
	f.Var(durationValue{d: &c.ExpressSLO}, "express-slo", "the target: express orders done within this of being sent (p99)")
	f.Var(durationValue{d: &c.MaxStandardWait}, "max-standard-wait", "the bound: no standard order waits longer to be done")
	f.Var(crashes(&c.Crashes), "crash", "crash a worker at a virtual time, as worker-2@150ms (repeatable)")
	f.Var(durationValue{d: &c.RestartAfter}, "restart-after", "how long a crashed worker stays down (0 = for good)")
	return nil
}

// weightsValue is --weights express=E,standard=S.
type weightsValue struct{ w *[2]int }

func (v weightsValue) Type() string { return "express=E,standard=S" }
func (v weightsValue) String() string {
	return "express=" + strconv.Itoa(v.w[0]) + ",standard=" + strconv.Itoa(v.w[1])
}
func (v weightsValue) Set(s string) error {
	for _, part := range strings.Split(s, ",") {
		name, n, _ := strings.Cut(strings.TrimSpace(part), "=")
		k, err := strconv.Atoi(n)
		switch {
		case err != nil:
			return fmt.Errorf("%q is not express=E,standard=S: want whole numbers, such as express=3,standard=1", s)
		case name == "express":
			v.w[0] = k
		case name == "standard":
			v.w[1] = k
		default:
			return fmt.Errorf("%q: no priority %q: want express or standard", s, name)
		}
	}
	return nil
}
