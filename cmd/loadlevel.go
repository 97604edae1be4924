package cmd

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/patterns/loadlevel"
)

func bindLoadLevel(f *pflag.FlagSet, c *loadlevel.Config) func() error {
	a := &c.Autoscale
	f.Var(distValue{&c.Arrival}, "arrival", "time between steady orders: 20ms, 10ms..30ms or exp:20ms")
	f.Var(&listValue[loadlevel.Burst]{list: &c.Bursts, form: "N@TIME", parse: parseBurst, format: loadlevel.Burst.String},
		"burst", fmt.Sprintf("N extra orders all at once at a virtual time, as 300@2s (repeatable, at most %d times)",
			loadlevel.MaxBursts))
	f.Var(count(&c.Messages, 0, loadlevel.MaxOrders), "messages", fmt.Sprintf("number of steady orders to send (or use --duration); with the bursts at most %d", loadlevel.MaxOrders))
	f.Var(durationValue{d: &c.Duration}, "duration", "send steady orders until this virtual time, instead of --messages")
	f.Var(distValue{&c.Work}, "work", "processing time of one order: 20ms, 10ms..30ms or exp:20ms")
	f.Var(count(&c.Consumers, 1, loadlevel.MaxWorkers), "consumers", fmt.Sprintf("number of workers, 1 to %d (without --autoscale)", loadlevel.MaxWorkers))
	f.Var(count(&c.Prefetch, 0, loadlevel.MaxPrefetch), "prefetch", "most unacked orders a worker holds at once"+zeroOr("unlimited", loadlevel.MaxPrefetch))
	f.Var(countRangeValue{lo: &a.Min, hi: &a.Max, offOK: true}, "autoscale",
		"let an autoscaler keep MIN..MAX workers, as 2..8 (off = a fixed pool)")
	f.Var(count(&a.UpAt, 1, loadlevel.MaxQueueLimit), "scale-up-at", "add a worker when the backlog reaches this depth"+span(1, loadlevel.MaxQueueLimit))
	f.Var(countTo(&a.DownAt, 0, "below --scale-up-at"), "scale-down-at", "remove a worker when the backlog falls to this depth (0 to below --scale-up-at)")
	f.Var(durationValue{d: &a.Delay}, "scale-delay", "how long a new worker takes to start")
	f.Var(durationValue{d: &a.Cooldown}, "cooldown", "least time between two scaling steps")
	f.Var(durationValue{d: &c.MaxWait, hi: loadlevel.MaxMaxWait}, "max-wait",
		"the objective: every order taken from the queue within this wait, the maximum (0 = none)")
	f.Var(count(&c.QueueLimit, 0, loadlevel.MaxQueueLimit), "queue-limit",
		fmt.Sprintf("most orders waiting in the queue, at most %d; more are refused and lost (0 = unbounded)",
			loadlevel.MaxQueueLimit))
	f.Var(countRangeValue{lo: &c.SweepFrom, hi: &c.SweepTo, max: loadlevel.MaxWorkers}, "sweep-consumers",
		fmt.Sprintf("run once per worker count A..B (1 to %d) and print one row each, as 4..12", loadlevel.MaxWorkers))
	return func() error {
		if f.Changed("duration") && !f.Changed("messages") {
			c.Messages = 0 // --duration replaces the default count
		}
		return nil
	}
}

// parseBurst parses N@TIME, such as 300@2s.
func parseBurst(s string) (loadlevel.Burst, error) {
	num, when, ok := strings.Cut(s, "@")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if !ok || err != nil || n < 1 {
		return loadlevel.Burst{}, fmt.Errorf("%q is not N@TIME: want a count of 1 or more and a virtual time, such as 300@2s", s)
	}
	d, err := sim.ParseDuration(when)
	if err != nil {
		return loadlevel.Burst{}, fmt.Errorf("%q is not N@TIME: %v", s, err)
	}
	return loadlevel.Burst{N: n, At: d}, nil
}
