// Package pubsub simulates publish/subscribe: the order service publishes
// OrderPlaced events to the topic "orders", and every subscriber (inventory,
// payment, email, shipping, analytics) gets its own copy through its own
// subscription, durable or transient, filtered or not, served by one
// instance or a consumer group. With --mode direct the same work is done by
// commands sent to each service in turn, the coupling pub/sub removes.
package pubsub

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Mode says how the order service tells the other services about an order.
type Mode string

// The modes.
const (
	// Events: publish one OrderPlaced event and move on; each subscriber
	// gets a copy and works at its own pace.
	Events Mode = "events"
	// Direct: send a command to each service in turn and wait for its
	// reply before the next: one slow or failing service holds up the order.
	Direct Mode = "direct"
)

// Modes lists the values of --mode.
var Modes = []Mode{Events, Direct}

// Config is one publish/subscribe scenario.
type Config struct {
	patterns.Common

	Events      int      // orders placed: events e1 … eN, keys order-1001 …
	Subscribers []string // subscription (and service) names, in order

	Transient []string           // subscriptions that exist only while connected
	Late      []Late             // subscribers that start only later
	Offline   []Offline          // windows in which a subscriber is down
	Filters   []Filter           // subject filters, one per subscription at most
	Instances map[string]int     // consumer-group sizes; absent means 1
	Slow      map[string]float64 // subscriber → factor it works slower by
	Fail      []string           // subscribers whose handler always fails

	Work    sim.Dist // one subscriber's work on one event
	Arrival sim.Dist // time between orders

	DuplicateRate float64 // chance an ack is lost and the copy delivered again
	Idempotent    bool    // subscribers remember what they handled and skip repeats
	Mode          Mode
}

// Late is a subscriber that starts only at At.
type Late struct {
	Name string
	At   time.Duration
}

// String returns l as --late takes it, such as email@50ms.
func (l Late) String() string { return l.Name + "@" + trace.FormatDuration(l.At) }

// Subscriber returns the name of the subscriber that starts late.
func (l Late) Subscriber() string { return l.Name }

// Offline is a window in which a subscriber is down.
type Offline struct {
	Name   string
	Window sim.Window
}

// String returns o as --offline takes it, such as email@30ms..90ms.
func (o Offline) String() string { return o.Name + "@" + o.Window.String() }

// Filter is a subscription's subject filter.
type Filter struct {
	Name   string
	Filter broker.Filter
}

// String returns f as --filter takes it, such as shipping=orders.*.eu.
func (f Filter) String() string { return f.Name + "=" + f.Filter.String() }

// Subscriber returns the name of the subscriber the filter is for.
func (f Filter) Subscriber() string { return f.Name }

// DefaultSubscribers are the services that subscribe to orders by default.
var DefaultSubscribers = []string{"inventory", "payment", "email", "shipping", "analytics"}

// MaxDeliveries is how many times a subscription delivers an event before
// it moves it to its dead-letter queue (TOPIC/NAME.dlq).
const MaxDeliveries = 3

// MaxInstances caps --instances.
const MaxInstances = 50

// MaxSubscribers caps how many names --subscribers lists.
const MaxSubscribers = 64

// MaxEvents caps --events.
const MaxEvents = 10_000_000

// Default returns the scenario `msgplay pubsub` runs with no flags.
func Default() Config {
	return Config{
		Common:      patterns.Common{Seed: 1},
		Events:      6,
		Subscribers: slices.Clone(DefaultSubscribers),
		Work:        sim.Uniform(10*time.Millisecond, 30*time.Millisecond),
		Arrival:     sim.Const(20 * time.Millisecond),
		Mode:        Events,
	}
}

// Topic is the name of the topic the orders are published to.
const Topic = "orders"

// Publisher is the name of the order service.
const Publisher = "order-service"

// Replies is the queue the order service takes replies from in direct mode.
const Replies = "replies"

// Regions are the regions orders come from, in the order they cycle.
var Regions = []string{"eu", "us", "eu", "apac", "us", "eu"}

// EventID returns the id of the i-th event, from 1.
func EventID(i int) string { return "e" + strconv.Itoa(i) }

// Subject returns the subject of the i-th order, such as orders.placed.eu.
func Subject(i int) string { return "orders.placed." + Regions[(i-1)%len(Regions)] }

// QueueName returns the queue a subscriber takes from: its subscription
// (orders/NAME) in events mode, its command queue (NAME.in) in direct.
func (c Config) QueueName(sub string) string {
	if c.Mode == Direct {
		return sub + ".in"
	}
	return Topic + "/" + sub
}

// InstanceNames returns the actors serving sub: sub itself, or sub-1 …
// sub-N for a consumer group.
func (c Config) InstanceNames(sub string) []string {
	n := c.Instances[sub]
	if n <= 1 {
		return []string{sub}
	}
	names := make([]string, n)
	for i := range names {
		names[i] = sub + "-" + strconv.Itoa(i+1)
	}
	return names
}

// IsTransient reports whether sub's subscription is transient.
func (c Config) IsTransient(sub string) bool { return slices.Contains(c.Transient, sub) }

// FilterOf returns sub's filter; the zero Filter takes everything.
func (c Config) FilterOf(sub string) broker.Filter {
	for _, f := range c.Filters {
		if f.Name == sub {
			return f.Filter
		}
	}
	return broker.Filter{}
}

// LateAt returns when sub starts, and false when it starts at once.
func (c Config) LateAt(sub string) (time.Duration, bool) {
	for _, l := range c.Late {
		if l.Name == sub {
			return l.At, true
		}
	}
	return 0, false
}

// Validate reports the first thing wrong with c, naming the flag.
func (c Config) Validate() error {
	if err := cmp.Or(
		patterns.CheckRange("--events", c.Events, 1, MaxEvents),
	); err != nil {
		return err
	}
	switch {
	case len(c.Subscribers) == 0:
		return fmt.Errorf("--subscribers needs at least one name, such as inventory,email")
	case len(c.Subscribers) > MaxSubscribers:
		return fmt.Errorf("--subscribers lists %d names: at most %d", len(c.Subscribers), MaxSubscribers)
	case c.Mode != Events && c.Mode != Direct:
		return fmt.Errorf("--mode: %q is not a mode: want events or direct", c.Mode)
	case patterns.CheckDuplicateRate(c.DuplicateRate) != nil:
		return patterns.CheckDuplicateRate(c.DuplicateRate)
	}
	seen := map[string]bool{}
	for _, s := range c.Subscribers {
		if s == "" || strings.ContainsAny(s, "/.@=, ") || s == Publisher || s == Replies || s == Topic {
			return fmt.Errorf("--subscribers: %q is not a usable name: want letters, digits, - or _", s)
		}
		if seen[s] {
			return fmt.Errorf("--subscribers: %s given twice", s)
		}
		seen[s] = true
	}
	known := func(flag, name string) error {
		if !seen[name] {
			return fmt.Errorf("--%s: no subscriber %q: want %s", flag, name, patterns.OrList(c.Subscribers))
		}
		return nil
	}
	for _, s := range c.Transient {
		if err := known("transient", s); err != nil {
			return err
		}
		if c.Mode == Direct {
			return fmt.Errorf("--transient %s: subscriptions exist only with --mode events "+
				"(in direct mode each service has a command queue)", s)
		}
	}
	lateAt := map[string]time.Duration{}
	for _, l := range c.Late {
		if err := known("late", l.Name); err != nil {
			return err
		}
		if _, dup := lateAt[l.Name]; dup {
			return fmt.Errorf("--late: %s given twice", l.Name)
		}
		lateAt[l.Name] = l.At
	}
	for i, o := range c.Offline {
		if err := known("offline", o.Name); err != nil {
			return err
		}
		if at, ok := lateAt[o.Name]; ok && o.Window.From < at {
			return fmt.Errorf("--offline %s@%s: %s starts only at %s (--late): the window must begin after",
				o.Name, o.Window, o.Name, trace.FormatDuration(at))
		}
		for _, p := range c.Offline[:i] {
			if p == o {
				continue // the same window twice (a variant repeating the user's flag) is one window
			}
			if p.Name == o.Name && o.Window.From < p.Window.To && p.Window.From < o.Window.To {
				return fmt.Errorf("--offline: the windows %s and %s of %s overlap", p.Window, o.Window, o.Name)
			}
		}
	}
	filtered := map[string]bool{}
	for _, f := range c.Filters {
		if err := known("filter", f.Name); err != nil {
			return err
		}
		if filtered[f.Name] {
			return fmt.Errorf("--filter: %s given twice", f.Name)
		}
		filtered[f.Name] = true
	}
	for _, s := range slices.Sorted(maps.Keys(c.Instances)) {
		if err := known("instances", s); err != nil {
			return err
		}
		if n := c.Instances[s]; n < 1 || n > MaxInstances {
			return fmt.Errorf("--instances %s=%d: want from 1 to %d instances", s, n, MaxInstances)
		}
	}
	for _, s := range slices.Sorted(maps.Keys(c.Slow)) {
		if err := known("slow", s); err != nil {
			return err
		}
		if err := patterns.CheckSlow(s, c.Slow[s], c.Work); err != nil {
			return err
		}
	}
	for _, s := range c.Fail {
		if err := known("fail", s); err != nil {
			return err
		}
	}
	return nil
}

// Params returns the scenario as the run event shows it.
func (c Config) Params() []trace.Param {
	p := patterns.NewParams(c.Common).Str("mode", string(c.Mode)).Int("events", c.Events).
		Str("subscribers", strings.Join(c.Subscribers, ",")).Dist("work", c.Work).Dist("arrival", c.Arrival)
	var inst, slow []string
	for _, s := range c.Subscribers {
		if n, ok := c.Instances[s]; ok {
			inst = append(inst, s+"="+strconv.Itoa(n))
		}
		if f, ok := c.Slow[s]; ok {
			slow = append(slow, s+"="+strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	p.List("transient", c.Transient).List("late", patterns.Strings(c.Late)).List("offline", patterns.Strings(c.Offline)).
		List("filter", patterns.Strings(c.Filters)).List("instances", inst).List("slow", slow).List("fail", c.Fail)
	if c.DuplicateRate > 0 {
		p.Float("duplicate-rate", c.DuplicateRate)
	}
	if c.Idempotent {
		p.Str("idempotent", "yes")
	}
	return p.Done()
}
