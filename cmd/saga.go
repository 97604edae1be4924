package cmd

import (
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/saga"
)

func bindSaga(f *pflag.FlagSet, c *saga.Config) func() error {
	steps := strings.Join(saga.StepNames(), ", ")
	f.Var(choice(&c.Style, "a style", saga.Styles...), "style",
		"orchestration (commands and replies) or choreography (events on topics)")
	f.Var(count(&c.Orders, 1, saga.MaxOrders), "orders", "number of orders the shop places"+most(saga.MaxOrders))
	f.Var(count(&c.Stock, 0, saga.MaxStock), "stock", "units in inventory"+zeroOr("one per order", saga.MaxStock))
	f.Var(distValue{&c.Arrival}, "arrival", "time between orders (0 = all at once): 20ms, 10ms..30ms or exp:20ms")
	f.Var(distValue{&c.Work}, "work", "a service's time for one step: 20ms, 10ms..30ms or exp:20ms")
	f.Var(names(&c.Fail, "STEP"), "fail", "a step that rejects every order: "+steps+" (repeatable)")
	f.Var(probs(&c.FailRate, "STEP=P", "payment=0.1"),
		"fail-rate", "the chance a step rejects an order, as payment=0.1 (repeatable)")
	f.Var(durationValue{d: &c.Timeout}, "timeout", "orchestration: how long to wait for a step's reply (0 = forever)")
	f.Var(count(&c.Retries, 0, saga.MaxRetries), "retries", "orchestration: sends again after a timeout before compensating"+most(saga.MaxRetries))
	f.Var(factors(&c.Slow, "shipping=20"), "slow", "make a service FACTOR times slower, as shipping=20 (repeatable)")
	f.Var(crashes(&c.Crashes), "crash", "crash an actor at a virtual time, as orchestrator@30ms (repeatable)")
	f.Var(durationValue{d: &c.RestartAfter}, "restart-after", "how long a crashed actor stays down (0 = for good)")
	f.Var(counts(&c.FailCompensation, "STEP=N", "payment=2"),
		"fail-compensation", "that step's compensation fails N times per order before it succeeds, N at most "+
			strconv.Itoa(saga.MaxCompensationFails)+" (repeatable)")
	f.Var(probValue{&c.DuplicateRate, "from 0 to " + formatFloat(patterns.MaxDuplicateRate)}, "duplicate-rate", "the chance an ack is lost, so a message comes twice")
	f.BoolVar(&c.Naive, "naive", c.Naive, "the same calls without a saga: no compensations, no persisted state")
	return nil
}
