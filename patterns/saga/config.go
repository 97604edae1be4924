// Package saga simulates the saga pattern on an eCommerce order: PlaceOrder
// creates the order PENDING, then payment, inventory and shipping each take
// a step in a local transaction of their own database. When a step fails
// the steps already done are compensated and the order is REJECTED; when
// all succeed it is APPROVED. Two styles: an orchestrator that sends
// commands and handles replies, or services that react to each other's
// events on topics. --naive makes the same calls without a saga.
package saga

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// The styles of saga.
const (
	Orchestration = "orchestration"
	Choreography  = "choreography"
)

// Styles lists the values of --style.
var Styles = []string{Orchestration, Choreography}

// The actors that are not services.
const (
	Shop         = "shop"         // sends the PlaceOrder commands
	Orchestrator = "orchestrator" // orchestration: runs the sagas
	OrderService = "order-svc"    // choreography: owns the orders
)

// The ceilings of the count flags.
const (
	// MaxOrders caps --orders. Memory follows the sagas in flight (a
	// settled order keeps a few bytes in the ledger): 1,000,000 orders at
	// --arrival 0 peak near 80 MB; time is the limit, about a minute of CPU.
	MaxOrders  = 1_000_000
	MaxStock   = 10_000_000 // --stock
	MaxRetries = 20         // --retries
	// MaxCompensationFails caps each N of --fail-compensation STEP=N.
	MaxCompensationFails = 100
)

// Config is one saga scenario.
type Config struct {
	patterns.Common

	Style   string   // orchestration or choreography
	Orders  int      // orders order-1001 …
	Stock   int      // units in inventory; 0 = one per order
	Arrival sim.Dist // time between orders; 0 = all at once
	Work    sim.Dist // a service's time for one step or compensation

	Fail     []string           // steps that reject every order (business failure)
	FailRate map[string]float64 // step → chance it rejects an order

	Timeout time.Duration // orchestration: how long to wait for a reply; 0 = forever
	Retries int           // orchestration: re-sends of a step after a timeout before compensating

	Slow         map[string]float64 // service → factor it works slower by
	Crashes      []sim.Crash        // scheduled crashes
	RestartAfter time.Duration      // how long a crashed actor stays down; 0 = for good

	FailCompensation map[string]int // step → how many times its compensation fails per order
	DuplicateRate    float64        // chance an ack is lost, so a message comes twice

	Naive bool // the same calls without a saga: no compensations, no persisted state
}

// Default returns the scenario `msgplay saga` runs with no flags.
func Default() Config {
	return Config{
		Common:  patterns.Common{Seed: 1},
		Style:   Orchestration,
		Orders:  1,
		Work:    sim.Uniform(10*time.Millisecond, 30*time.Millisecond),
		Timeout: 500 * time.Millisecond,
		Retries: 2,
	}
}

// Actors returns the actors of the style, in the order they are made.
func (c Config) Actors() []string {
	lead := Orchestrator
	if c.Style == Choreography {
		lead = OrderService
	}
	return []string{Shop, lead, steps[Payment].name, steps[Inventory].name, steps[Shipping].name}
}

// Validate reports the first thing wrong with c, naming the flag.
func (c Config) Validate() error {
	switch {
	case c.Style != Orchestration && c.Style != Choreography:
		return fmt.Errorf("--style: %q is not a style: want %s", c.Style, patterns.OrList(Styles))
	case c.Style == Choreography && c.Timeout != Default().Timeout:
		return fmt.Errorf("--timeout needs --style orchestration: in choreography no one waits for a reply")
	case c.Style == Choreography && c.Retries != Default().Retries:
		return fmt.Errorf("--retries needs --style orchestration: in choreography no one waits for a reply")
	}
	if err := cmp.Or(
		patterns.CheckRange("--orders", c.Orders, 1, MaxOrders),
		patterns.CheckRange("--stock", c.Stock, 0, MaxStock),
		patterns.CheckRange("--retries", c.Retries, 0, MaxRetries),
		patterns.CheckDuplicateRate(c.DuplicateRate),
	); err != nil {
		return err
	}
	steps := patterns.OrList(StepNames())
	for _, s := range c.Fail {
		if _, ok := ParseStep(s); !ok {
			return fmt.Errorf("--fail: no step %q: want %s", s, steps)
		}
	}
	for _, s := range slices.Sorted(maps.Keys(c.FailRate)) {
		if _, ok := ParseStep(s); !ok {
			return fmt.Errorf("--fail-rate: no step %q: want %s", s, steps)
		}
		if p := c.FailRate[s]; !(p >= 0 && p <= 1) {
			return fmt.Errorf("--fail-rate %s: P must be from 0 to 1 (got %v)", s, p)
		}
	}
	for _, s := range slices.Sorted(maps.Keys(c.FailCompensation)) {
		if _, ok := ParseStep(s); !ok {
			return fmt.Errorf("--fail-compensation: no step %q: want %s", s, steps)
		}
		if n := c.FailCompensation[s]; n < 0 || n > MaxCompensationFails {
			return fmt.Errorf("--fail-compensation %s: N must be from 0 to %d (got %d)", s, MaxCompensationFails, n)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.Slow)) {
		if _, ok := ParseStep(name); !ok {
			return fmt.Errorf("--slow: no service %q: want %s", name, steps)
		}
		if err := patterns.CheckSlow(name, c.Slow[name], c.Work); err != nil {
			return err
		}
	}
	actors := c.Actors()
	for _, cr := range c.Crashes {
		if !slices.Contains(actors, cr.Actor) {
			return fmt.Errorf("--crash: no actor %q in %s: want %s", cr.Actor, c.Style, patterns.OrList(actors))
		}
	}
	return nil
}

// stock returns the units inventory starts with.
func (c Config) stock() int {
	if c.Stock == 0 {
		return c.Orders
	}
	return c.Stock
}

// Params returns the scenario as the run event shows it.
func (c Config) Params() []trace.Param {
	stock := trace.Param{Name: "stock", Value: strconv.Itoa(c.stock())}
	if c.Stock == 0 {
		stock.Hint = "one per order"
	}
	p := patterns.NewParams(c.Common).Str("style", c.Style).Int("orders", c.Orders).Add(stock).
		Dist("work", c.Work).Dist("arrival", c.Arrival)
	if c.Style == Orchestration {
		p.Dur("timeout", c.Timeout).Int("retries", c.Retries)
	}
	if c.Naive {
		p.Str("naive", "no saga")
	}
	var fail, rates, comps, slow []string
	for s := Step(0); s < numSteps; s++ {
		name := s.String()
		if slices.Contains(c.Fail, name) {
			fail = append(fail, name)
		}
		if r, ok := c.FailRate[name]; ok {
			rates = append(rates, name+"="+strconv.FormatFloat(r, 'g', -1, 64))
		}
		if n, ok := c.FailCompensation[name]; ok {
			comps = append(comps, name+"="+strconv.Itoa(n))
		}
		if f, ok := c.Slow[name]; ok {
			slow = append(slow, name+"="+strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	p.List("fail", fail).List("fail-rate", rates).List("fail-compensation", comps).List("slow", slow).
		Crashes(c.Crashes)
	if len(c.Crashes) > 0 && c.RestartAfter > 0 {
		p.Dur("restart-after", c.RestartAfter)
	}
	if c.DuplicateRate > 0 {
		p.Float("duplicate-rate", c.DuplicateRate)
	}
	return p.Done()
}
