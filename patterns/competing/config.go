// Package competing simulates the competing-consumers pattern: a producer
// sends PlaceOrder commands to the queue "orders" and a pool of workers
// compete for them, each message going to exactly one worker at a time.
package competing

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
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
	Crashes      []sim.Crash        // scheduled crashes
	CrashRate    float64            // chance a worker crashes during each delivery it works on
	RestartAfter time.Duration      // how long a crashed actor stays down; 0 = for good

	VisibilityTimeout time.Duration // 0 = none (RabbitMQ: back when the connection dies)
	MaxDeliveries     int           // 0 = unlimited
	Poison            []string      // ids of messages whose handler always fails
}

// The ceilings of the count flags.
const (
	MaxConsumers  = 1000       // --consumers
	MaxMessages   = 10_000_000 // --messages: at --arrival 0 the producer keeps a window, so memory stays small
	MaxPrefetch   = 1000       // --prefetch
	MaxDeliveries = 100        // --max-deliveries
)

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

// Validate reports the first thing wrong with c, naming the flag.
func (c Config) Validate() error {
	if err := cmp.Or(
		patterns.CheckRange("--consumers", c.Consumers, 1, MaxConsumers),
		patterns.CheckRange("--messages", c.Messages, 1, MaxMessages),
		patterns.CheckRange("--prefetch", c.Prefetch, 0, MaxPrefetch),
		patterns.CheckRange("--max-deliveries", c.MaxDeliveries, 0, MaxDeliveries),
	); err != nil {
		return err
	}
	switch {
	case c.CrashRate < 0 || c.CrashRate >= 1 || c.CrashRate != c.CrashRate:
		return fmt.Errorf("--crash-rate must be from 0 to below 1 (got %v): a worker that always crashes finishes nothing",
			c.CrashRate)
	case c.CrashRate > 0 && c.RestartAfter == 0:
		return fmt.Errorf("--crash-rate needs --restart-after above 0: workers that never restart leave the orders unhandled")
	}
	if err := patterns.CheckSlows(c.Slow, c.Work, c.isWorker, "consumer", c.workers()); err != nil {
		return err
	}
	isActor := func(name string) bool { return name == Producer || c.isWorker(name) }
	if err := patterns.CheckCrashes(c.Crashes, isActor, "actor", Producer+" or "+c.workers()); err != nil {
		return err
	}
	for _, id := range c.Poison {
		n, err := strconv.Atoi(id[min(1, len(id)):])
		if len(id) < 2 || id[0] != 'm' || err != nil || n < 1 || n > c.Messages || id != patterns.MessageID(n) {
			return fmt.Errorf("--poison: no message %q: want an id from m1 to m%d", id, c.Messages)
		}
	}
	return nil
}

func (c Config) isWorker(name string) bool {
	n, err := strconv.Atoi(strings.TrimPrefix(name, "worker-"))
	return err == nil && n >= 1 && n <= c.Consumers && name == patterns.WorkerName(n)
}

func (c Config) workers() string {
	if c.Consumers == 1 {
		return patterns.WorkerName(1)
	}
	return patterns.WorkerName(1) + " … " + patterns.WorkerName(c.Consumers)
}

// Params returns the scenario as the run event shows it.
func (c Config) Params() []trace.Param {
	p := patterns.NewParams(c.Common).Int("consumers", c.Consumers).Int("messages", c.Messages).
		Int("prefetch", c.Prefetch).Str("ack", c.Ack.String()).Dist("work", c.Work).Dist("arrival", c.Arrival).
		Dur("visibility-timeout", c.VisibilityTimeout).Int("max-deliveries", c.MaxDeliveries)
	var slow []string
	for i := 1; i <= c.Consumers; i++ {
		if f, ok := c.Slow[patterns.WorkerName(i)]; ok {
			slow = append(slow, patterns.WorkerName(i)+"="+strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	p.List("slow", slow).Crashes(c.Crashes)
	if c.CrashRate > 0 {
		p.Float("crash-rate", c.CrashRate)
	}
	if (len(c.Crashes) > 0 || c.CrashRate > 0) && c.RestartAfter > 0 {
		p.Dur("restart-after", c.RestartAfter)
	}
	return p.List("poison", c.Poison).Done()
}
