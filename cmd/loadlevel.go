package cmd

import (
	"errors"

	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/loadlevel"
)

func loadLevelDef() patternDef {
	return patternDef{
		name:     loadlevel.Name,
		aliases:  []string{"load-leveling"},
		summary:  loadlevel.Summary,
		about:    loadlevel.About,
		demos:    loadlevel.Demos,
		variants: loadlevel.Variants,
		faults:   []string{"--messages", "300", "--burst", "150@1s"},
		flags:    loadLevelFlags,
	}
}

func loadLevelFlags(f *pflag.FlagSet) func() (patterns.Runner, error) {
	cfg := loadlevel.Default()
	a := &cfg.Autoscale
	f.Var(distValue{&cfg.Arrival}, "arrival", "time between steady orders: 20ms, 10ms..30ms or exp:20ms")
	f.Var(burstsValue{&cfg.Bursts}, "burst", "N extra orders all at once at a virtual time, as 300@2s (repeatable)")
	f.IntVar(&cfg.Messages, "messages", cfg.Messages, "number of steady orders to send (or use --duration)")
	f.Var(durationValue{&cfg.Duration}, "duration", "send steady orders until this virtual time, instead of --messages")
	f.Var(distValue{&cfg.Work}, "work", "processing time of one order: 20ms, 10ms..30ms or exp:20ms")
	f.IntVar(&cfg.Consumers, "consumers", cfg.Consumers, "number of workers (without --autoscale)")
	f.IntVar(&cfg.Prefetch, "prefetch", cfg.Prefetch, "most unacked orders a worker holds at once (0 = unlimited)")
	f.Var(countRangeValue{lo: &a.Min, hi: &a.Max, offOK: true}, "autoscale",
		"let an autoscaler keep MIN..MAX workers, as 2..8 (off = a fixed pool)")
	f.IntVar(&a.UpAt, "scale-up-at", a.UpAt, "add a worker when the backlog reaches this depth")
	f.IntVar(&a.DownAt, "scale-down-at", a.DownAt, "remove a worker when the backlog falls to this depth")
	f.Var(durationValue{&a.Delay}, "scale-delay", "how long a new worker takes to start")
	f.Var(durationValue{&a.Cooldown}, "cooldown", "least time between two scaling steps")
	f.Var(countRangeValue{lo: &cfg.SweepFrom, hi: &cfg.SweepTo}, "sweep-consumers",
		"run once per worker count A..B and print one row each, as 4..12")
	return func() (patterns.Runner, error) {
		c := cfg
		c.Bursts = append([]loadlevel.Burst(nil), cfg.Bursts...)
		if f.Changed("duration") && !f.Changed("messages") {
			c.Messages = 0
		}
		if c.Autoscale.On() && f.Changed("consumers") {
			return nil, errors.New("--consumers and --autoscale both set: give a fixed pool or MIN..MAX, not both")
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		return func(common patterns.Common, out trace.Sink) *trace.Report {
			c := c
			c.Common = common
			return loadlevel.Run(c, out)
		}, nil
	}
}
