// Package outbox simulates the transactional outbox pattern: an order
// service must save an order and tell the inventory service about it, and
// the database and the broker cannot share one transaction. It compares
// the dual write, publishing first, and the outbox with its relay, and
// shows the inbox that makes the consumer absorb duplicates.
package outbox

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Variant is how the order service writes its two things.
type Variant uint8

// The variants.
const (
	// Outbox writes the order and an outbox row in one local transaction;
	// a relay publishes the rows, then marks them sent.
	Outbox Variant = iota
	// DualWrite commits the order, then publishes its event.
	DualWrite
	// PublishFirst publishes the event inside the open transaction, then
	// commits.
	PublishFirst
)

// AllVariants are the values of --variant, in the order help shows them.
var AllVariants = []Variant{DualWrite, PublishFirst, Outbox}

// String returns the --variant name.
func (v Variant) String() string {
	switch v {
	case DualWrite:
		return "dual-write"
	case PublishFirst:
		return "publish-first"
	}
	return "outbox"
}

// MaxOrders caps --orders. Memory follows the orders that have arrived,
// never the flag.
const MaxOrders = 10_000_000

// MaxRelayCrashRate caps --relay-crash-rate: a batch needs 1/(1-rate)
// polls on average to be marked sent, at most 100 here, so every run ends.
const MaxRelayCrashRate = 0.99

// MaxRelayWorkers caps --relay-workers.
const MaxRelayWorkers = 16

// MaxBatch caps --batch, the rows the relay publishes per poll.
const MaxBatch = 10_000

// EventTypes are the events of every order, in the order the service
// writes them.
var EventTypes = [2]string{"OrderCreated", "OrderUpdated"}

// Config is one outbox scenario.
type Config struct {
	patterns.Common

	Variant Variant
	Orders  int      // orders order-1001 …, each announced by two events: OrderCreated, then OrderUpdated
	Arrival sim.Dist // time between orders
	Work    sim.Dist // time of each step: a transaction, a publish, a handler

	Crashes      []sim.Crash   // scheduled crashes
	RestartAfter time.Duration // how long a crashed actor stays down; 0 = for good

	CrashRate      float64    // chance the order service crashes between its two writes
	BrokerDown     sim.Window // a broker outage: publishes fail inside it; the zero window is none
	DBFailRate     float64    // chance a commit to the orders database fails
	RelayCrashRate float64    // chance, per batch, the relay crashes between publishing it and marking it sent

	PollInterval time.Duration // how often the relay polls the outbox
	Batch        int           // most rows the relay publishes per poll
	RelayWorkers int           // threads the relay publishes a batch on; above 1, rows overtake each other
	Inbox        bool          // the inventory service records handled ids

	// BugSkipInboxRecord is a deliberate bug for msgplay's own tests: the
	// inbox checks for a handled id but forgets to record it, so a
	// duplicate is applied twice. It has no flag; the checks must catch it.
	BugSkipInboxRecord bool
}

// The actors, stores, topic and subscription of the pattern.
const (
	OrderService = "order-service"
	Relay        = "relay"
	Inventory    = "inventory"
	OrdersDB     = "orders-db"
	InventoryDB  = "inventory-db"
	Topic        = "orders"
	Subscription = "inventory"
)

// Default returns the scenario `msgplay outbox` runs with no flags.
func Default() Config {
	return Config{
		Common:       patterns.Common{Seed: 1},
		Variant:      Outbox,
		Orders:       5,
		Arrival:      sim.Uniform(10*time.Millisecond, 30*time.Millisecond),
		Work:         sim.Uniform(2*time.Millisecond, 8*time.Millisecond),
		RestartAfter: 100 * time.Millisecond,
		PollInterval: 50 * time.Millisecond,
		Batch:        10,
		RelayWorkers: 1,
	}
}

// EventID returns the id of the i-th event, from 1: order n writes the
// events 2n-1 (OrderCreated) and 2n (OrderUpdated).
func EventID(i int) string { return "e" + strconv.Itoa(i) }

// actors returns the actors of the variant, for --crash.
func (c Config) actors() []string {
	if c.Variant == Outbox {
		return []string{OrderService, Relay, Inventory}
	}
	return []string{OrderService, Inventory}
}

// Validate reports the first thing wrong with c, naming the flag.
func (c Config) Validate() error {
	if err := cmp.Or(
		patterns.CheckRange("--orders", c.Orders, 1, MaxOrders),
		patterns.CheckRange("--batch", c.Batch, 1, MaxBatch),
		patterns.CheckRange("--relay-workers", c.RelayWorkers, 1, MaxRelayWorkers),
	); err != nil {
		return err
	}
	switch {
	case c.RelayWorkers > 1 && c.Variant != Outbox:
		return fmt.Errorf("--relay-workers needs --variant outbox: only the outbox has a relay")
	case c.PollInterval <= 0:
		return fmt.Errorf("--poll-interval must be above 0 (got %s)", trace.FormatDuration(c.PollInterval))
	case c.CrashRate > 0 && c.RestartAfter == 0:
		return fmt.Errorf("--crash-rate needs --restart-after above 0: a service that never restarts takes no more orders")
	case c.RelayCrashRate > 0 && c.RestartAfter == 0:
		return fmt.Errorf("--relay-crash-rate needs --restart-after above 0: a relay that never restarts publishes nothing more")
	case c.RelayCrashRate > MaxRelayCrashRate:
		return fmt.Errorf("--relay-crash-rate must be at most %v (got %v): a relay that nearly always crashes "+
			"almost never marks a batch sent, and the run would not end", MaxRelayCrashRate, c.RelayCrashRate)
	}
	for _, p := range []struct {
		flag string
		v    float64
	}{{"--crash-rate", c.CrashRate}, {"--db-fail-rate", c.DBFailRate}, {"--relay-crash-rate", c.RelayCrashRate}} {
		if !(p.v >= 0 && p.v <= 1) {
			return fmt.Errorf("%s must be from 0 to 1 (got %v)", p.flag, p.v)
		}
	}
	for _, cr := range c.Crashes {
		if !slices.Contains(c.actors(), cr.Actor) {
			return fmt.Errorf("--crash: no actor %q in the %s variant: want %s", cr.Actor, c.Variant, patterns.OrList(c.actors()))
		}
	}
	return nil
}

// Params returns the scenario as the run event shows it.
func (c Config) Params() []trace.Param {
	p := patterns.NewParams(c.Common).Str("variant", c.Variant.String()).Int("orders", c.Orders).
		Dist("arrival", c.Arrival).Dist("work", c.Work)
	if c.Variant == Outbox {
		p.Dur("poll-interval", c.PollInterval).Int("batch", c.Batch)
		if c.RelayWorkers > 1 {
			p.Int("relay-workers", c.RelayWorkers)
		}
	}
	if c.Inbox {
		p.Str("inbox", "on")
	}
	prob := func(name string, v float64) {
		if v > 0 {
			p.Float(name, v)
		}
	}
	prob("crash-rate", c.CrashRate)
	if c.BrokerDown != (sim.Window{}) {
		p.Str("broker-down", c.BrokerDown.String())
	}
	prob("db-fail-rate", c.DBFailRate)
	if c.Variant == Outbox {
		prob("relay-crash-rate", c.RelayCrashRate)
	}
	p.Crashes(c.Crashes)
	if len(c.Crashes) > 0 || c.CrashRate > 0 || (c.Variant == Outbox && c.RelayCrashRate > 0) {
		p.Dur("restart-after", c.RestartAfter)
	}
	return p.Done()
}
