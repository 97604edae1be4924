// Package competing simulates the competing-consumers pattern: a producer
// sends PlaceOrder commands to the queue "orders" and a pool of workers
// compete for them, each message going to exactly one worker at a time.
package competing

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Config is one competing-consumers scenario.
type Config struct {
	patterns.Common

	Consumers int            // workers worker-1 … worker-N
	Messages  int            // PlaceOrder commands m1 … mN, keys order-1001 …
	Prefetch  int            // most unacked deliveries per worker; 0 = unlimited
	Ack       broker.AckMode // manual or auto
	Work      sim.Dist       // processing time of one message
	Arrival   sim.Dist       // time between sends; 0 = all at once

	Slow         map[string]float64 // worker name → factor it works slower by
	Crashes      []Crash            // scheduled crashes
	RestartAfter time.Duration      // how long a crashed actor stays down; 0 = for good

	VisibilityTimeout time.Duration // 0 = none (RabbitMQ: back when the connection dies)
	MaxDeliveries     int           // 0 = unlimited
	Poison            []string      // ids of messages whose handler always fails
}

// Crash is a scheduled crash of an actor: the producer or a worker.
type Crash struct {
	Actor string
	At    time.Duration
}

// Default returns the scenario `msgplay competing` runs with no flags.
func Default() Config {
	return Config{
		Common:            patterns.Common{Seed: 1},
		Consumers:         3,
		Messages:          12,
		Prefetch:          1,
		Ack:               broker.ManualAck,
		Work:              sim.Uniform(20*time.Millisecond, 60*time.Millisecond),
		VisibilityTimeout: 500 * time.Millisecond,
		MaxDeliveries:     5,
	}
}

// Producer is the name of the actor that sends the orders.
const Producer = "producer"

// Queue is the name of the queue the orders go to.
const Queue = "orders"

// WorkerName returns the name of the i-th worker, from 1.
func WorkerName(i int) string { return "worker-" + strconv.Itoa(i) }

// MessageID returns the id of the i-th message, from 1.
func MessageID(i int) string { return "m" + strconv.Itoa(i) }

// OrderKey returns the business key of the i-th message, from 1.
func OrderKey(i int) string { return "order-" + strconv.Itoa(1000+i) }

// Validate reports the first thing wrong with c, naming the flag.
func (c Config) Validate() error {
	switch {
	case c.Consumers < 1:
		return fmt.Errorf("--consumers must be at least 1 (got %d)", c.Consumers)
	case c.Messages < 0:
		return fmt.Errorf("--messages must be 0 or more (got %d)", c.Messages)
	case c.Prefetch < 0:
		return fmt.Errorf("--prefetch must be 0 (unlimited) or more (got %d)", c.Prefetch)
	case c.MaxDeliveries < 0:
		return fmt.Errorf("--max-deliveries must be 0 (unlimited) or more (got %d)", c.MaxDeliveries)
	}
	for _, name := range slices.Sorted(maps.Keys(c.Slow)) {
		if !c.isWorker(name) {
			return fmt.Errorf("--slow: no consumer %q: want %s", name, c.workers())
		}
		if err := patterns.CheckSlow(name, c.Slow[name], c.Work); err != nil {
			return err
		}
	}
	for _, cr := range c.Crashes {
		if cr.Actor != Producer && !c.isWorker(cr.Actor) {
			return fmt.Errorf("--crash: no actor %q: want %s or %s", cr.Actor, Producer, c.workers())
		}
	}
	for _, id := range c.Poison {
		n, err := strconv.Atoi(id[min(1, len(id)):])
		if len(id) < 2 || id[0] != 'm' || err != nil || n < 1 || n > c.Messages || id != MessageID(n) {
			return fmt.Errorf("--poison: no message %q: want an id from m1 to m%d", id, c.Messages)
		}
	}
	return nil
}

func (c Config) isWorker(name string) bool {
	for i := 1; i <= c.Consumers; i++ {
		if name == WorkerName(i) {
			return true
		}
	}
	return false
}

func (c Config) workers() string {
	if c.Consumers == 1 {
		return WorkerName(1)
	}
	return WorkerName(1) + " … " + WorkerName(c.Consumers)
}

// Params returns the scenario as the run event shows it.
func (c Config) Params() []trace.Param {
	p := []trace.Param{
		{Name: "seed", Value: strconv.FormatUint(c.Seed, 10)},
		{Name: "consumers", Value: strconv.Itoa(c.Consumers)},
		{Name: "messages", Value: strconv.Itoa(c.Messages)},
		{Name: "prefetch", Value: strconv.Itoa(c.Prefetch)},
		{Name: "ack", Value: c.Ack.String()},
		{Name: "work", Value: c.Work.String()},
		{Name: "arrival", Value: c.Arrival.String()},
		{Name: "visibility-timeout", Value: trace.FormatDuration(c.VisibilityTimeout)},
		{Name: "max-deliveries", Value: strconv.Itoa(c.MaxDeliveries)},
	}
	var slow, crashes []string
	for i := 1; i <= c.Consumers; i++ {
		if f, ok := c.Slow[WorkerName(i)]; ok {
			slow = append(slow, WorkerName(i)+"="+strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	for _, cr := range c.Crashes {
		crashes = append(crashes, cr.Actor+"@"+trace.FormatDuration(cr.At))
	}
	p = patterns.AppendList(p, "slow", slow)
	p = patterns.AppendList(p, "crash", crashes)
	if len(c.Crashes) > 0 && c.RestartAfter > 0 {
		p = append(p, trace.Param{Name: "restart-after", Value: trace.FormatDuration(c.RestartAfter)})
	}
	p = patterns.AppendList(p, "poison", c.Poison)
	if c.Until > 0 {
		p = append(p, trace.Param{Name: "until", Value: trace.FormatDuration(c.Until)})
	}
	return p
}
