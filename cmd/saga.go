package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/saga"
)

func sagaDef() patternDef {
	return patternDef{
		name:     saga.Name,
		summary:  saga.Summary,
		about:    saga.About,
		demos:    saga.Demos,
		variants: saga.Variants,
		faults:   []string{"--orders", "3", "--fail-rate", "shipping=0.3", "--duplicate-rate", "0.1"},
		flags:    sagaFlags,
	}
}

func sagaFlags(f *pflag.FlagSet) func() (patterns.Runner, error) {
	cfg := saga.Default()
	var crashes []At
	var rates []Named[float64]
	var comps []Named[int]
	steps := strings.Join(saga.StepNames(), ", ")
	f.Var(&choiceValue{s: &cfg.Style, what: "a style", choices: saga.Styles}, "style",
		"orchestration (commands and replies) or choreography (events on topics)")
	f.IntVar(&cfg.Orders, "orders", cfg.Orders, "number of orders the shop places")
	f.IntVar(&cfg.Stock, "stock", cfg.Stock, "units in inventory (0 = one per order)")
	f.Var(distValue{&cfg.Arrival}, "arrival", "time between orders (0 = all at once): 20ms, 10ms..30ms or exp:20ms")
	f.Var(distValue{&cfg.Work}, "work", "a service's time for one step: 20ms, 10ms..30ms or exp:20ms")
	f.Var(namesValue{list: &cfg.Fail, kind: "STEP"}, "fail", "a step that rejects every order: "+steps+" (repeatable)")
	f.Var(namedValue[float64]{list: &rates, form: "STEP=P", example: "payment=0.1", parse: parseProb},
		"fail-rate", "the chance a step rejects an order, as payment=0.1 (repeatable)")
	f.Var(durationValue{&cfg.Timeout}, "timeout", "orchestration: how long to wait for a step's reply (0 = forever)")
	f.IntVar(&cfg.Retries, "retries", cfg.Retries, "orchestration: sends again after a timeout before compensating")
	f.Var(factorsValue{&cfg.Slow}, "slow", "make a service FACTOR times slower, as shipping=20 (repeatable)")
	f.Var(atsValue{&crashes}, "crash", "crash an actor at a virtual time, as orchestrator@30ms (repeatable)")
	f.Var(durationValue{&cfg.RestartAfter}, "restart-after", "how long a crashed actor stays down (0 = for good)")
	f.Var(namedValue[int]{list: &comps, form: "STEP=N", example: "payment=2", parse: parseCount},
		"fail-compensation", "that step's compensation fails N times per order before it succeeds (repeatable)")
	f.Var(probValue{&cfg.DuplicateRate}, "duplicate-rate", "the chance an ack is lost, so a message comes twice")
	f.BoolVar(&cfg.Naive, "naive", false, "the same calls without a saga: no compensations, no persisted state")
	return func() (patterns.Runner, error) {
		c := cfg
		if c.Style == saga.Choreography {
			for _, name := range []string{"timeout", "retries"} {
				if f.Changed(name) {
					return nil, fmt.Errorf("--%s needs --style orchestration: in choreography no one waits for a reply", name)
				}
			}
		}
		c.Crashes = nil
		for _, a := range crashes {
			c.Crashes = append(c.Crashes, saga.Crash{Actor: a.Name, At: a.At})
		}
		c.FailRate, c.FailCompensation = nil, nil
		for _, r := range rates {
			if c.FailRate == nil {
				c.FailRate = map[string]float64{}
			}
			c.FailRate[r.Name] = r.Value
		}
		for _, n := range comps {
			if c.FailCompensation == nil {
				c.FailCompensation = map[string]int{}
			}
			c.FailCompensation[n.Name] = n.Value
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		return func(common patterns.Common, out trace.Sink) *trace.Report {
			c := c
			c.Common = common
			return saga.Run(c, out)
		}, nil
	}
}
