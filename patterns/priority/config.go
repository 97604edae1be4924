// Package priority simulates a priority queue: express and standard orders
// share a pool of workers, and bursts of orders exceed what the workers
// can do. It shows one FIFO queue making express orders wait behind
// standard ones, a broker priority queue (RabbitMQ's x-max-priority) letting
// express overtake but starving standard orders under sustained express
// load — and not overtaking what a worker has already prefetched — and one
// queue per priority with weighted consumers (Azure's Priority Queue
// pattern) keeping both promises.
package priority

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

// Mode is how the orders reach the workers.
type Mode string

// The modes.
const (
	// FIFO: one queue, first in first out, whatever the priority.
	FIFO Mode = "fifo"
	// Priority: one broker priority queue; express goes first among the
	// ready messages.
	Priority Mode = "priority"
	// Separate: one queue per priority; each worker takes from both, with
	// weights.
	Separate Mode = "separate-queues"
)

// Modes lists the values of --mode, in the order help shows them.
var Modes = []Mode{FIFO, Priority, Separate}

// The ceilings of the count flags. Every duration, and every sample of a
// distribution, is at most sim.MaxTime.
const (
	MaxOrders    = 1_000_000 // --orders, and the orders of all bursts together
	MaxConsumers = 64
	MaxPrefetch  = 1000
	MaxWeight    = 100
	MaxBursts    = 100
)

// The message types and the names of actors and queues.
const (
	Express       = "PlaceExpressOrder"
	Standard      = "PlaceOrder"
	Shop          = "shop"
	QueueName     = "orders"
	ExpressQueue  = "orders.express"
	StandardQueue = "orders.standard"
)

// Config is one priority scenario.
type Config struct {
	patterns.Common

	Mode         Mode
	Orders       int      // orders sent one arrival gap apart
	ExpressShare float64  // chance an order is express
	Arrival      sim.Dist // time between two orders
	Bursts       []Burst  // extra orders sent all at once
	Work         sim.Dist // a worker's time for one order
	Consumers    int      // workers worker-1 … worker-N
	Prefetch     int      // most unacked deliveries a worker holds per queue

	// Weights, in separate-queues mode: a worker takes up to Weights[0]
	// express orders in a row while standard ones wait, then up to
	// Weights[1] standard ones while express ones wait.
	Weights [2]int

	ExpressSLO      time.Duration // express send → ack must stay within it (p99)
	MaxStandardWait time.Duration // no standard order may wait longer than this to be done

	Crashes      []sim.Crash   // scheduled crashes of workers
	RestartAfter time.Duration // how long a crashed worker stays down; 0 = for good

	bug bug // a planted bug, for the tests of the checks
}

// bug is a mistake the tests plant to prove the checks catch it.
type bug uint8

const (
	noBug          bug = iota
	bugLoseOne         // m3 is dropped, then acked, never handled
	bugSlowExpress     // every express order takes ten times its work
	bugStrict          // separate queues: a worker takes express while any waits, ignoring the weights
)

// Burst is N extra orders the shop sends at once at time At: express or
// standard as Kind says, or each by --express-share when Kind is empty.
type Burst struct {
	N    int
	At   time.Duration
	Kind string // "", "express" or "standard"
}

// The kinds of a burst.
const (
	ExpressKind  = "express"
	StandardKind = "standard"
)

// String returns the burst as its flag is written, such as 200@1s or
// 100@0s:express.
func (b Burst) String() string {
	s := strconv.Itoa(b.N) + "@" + trace.FormatDuration(b.At)
	if b.Kind != "" {
		s += ":" + b.Kind
	}
	return s
}

// Default returns the scenario `msgplay priority` runs with no flags.
func Default() Config {
	return Config{
		Common:          patterns.Common{Seed: 1},
		Mode:            FIFO,
		Orders:          12,
		ExpressShare:    0.25,
		Arrival:         sim.Const(10 * time.Millisecond),
		Bursts:          []Burst{{N: 8, At: 20 * time.Millisecond}},
		Work:            sim.Uniform(15*time.Millisecond, 25*time.Millisecond),
		Consumers:       2,
		Prefetch:        1,
		Weights:         [2]int{4, 1},
		ExpressSLO:      100 * time.Millisecond,
		MaxStandardWait: time.Second,
	}
}

// total returns how many orders the shop sends, bursts included.
func (c Config) total() int {
	n := c.Orders
	for _, b := range c.Bursts {
		n += b.N
	}
	return n
}

// Validate reports the first thing wrong with c, naming the flag.
func (c Config) Validate() error {
	if err := cmp.Or(
		patterns.CheckRange("--orders", c.Orders, 0, MaxOrders),
		patterns.CheckRange("--consumers", c.Consumers, 1, MaxConsumers),
		patterns.CheckRange("--prefetch", c.Prefetch, 1, MaxPrefetch),
	); err != nil {
		return err
	}
	switch {
	case !slices.Contains(Modes, c.Mode):
		return fmt.Errorf("--mode: %q is not a mode: want fifo, priority or separate-queues", c.Mode)
	case len(c.Bursts) > MaxBursts:
		return fmt.Errorf("--burst may be given at most %d times (got %d)", MaxBursts, len(c.Bursts))
	case !(c.ExpressShare >= 0 && c.ExpressShare <= 1):
		return fmt.Errorf("--express-share must be from 0 to 1 (got %v)", c.ExpressShare)
	case c.Weights[0] < 1 || c.Weights[0] > MaxWeight || c.Weights[1] < 1 || c.Weights[1] > MaxWeight:
		return fmt.Errorf("--weights: each weight must be from 1 to %d (got express=%d,standard=%d)",
			MaxWeight, c.Weights[0], c.Weights[1])
	case c.ExpressSLO <= 0:
		return fmt.Errorf("--express-slo must be above 0")
	case c.MaxStandardWait <= 0:
		return fmt.Errorf("--max-standard-wait must be above 0")
	}
	n := c.Orders
	for _, b := range c.Bursts {
		if b.N < 1 || b.N > MaxOrders {
			return fmt.Errorf("--burst %s: N must be from 1 to %d", b, MaxOrders)
		}
		if b.Kind != "" && b.Kind != ExpressKind && b.Kind != StandardKind {
			return fmt.Errorf("--burst %s: %q is not a kind of order: want express or standard", b, b.Kind)
		}
		n += b.N
	}
	if n > MaxOrders {
		return fmt.Errorf("--orders and --burst send %d orders together: at most %d", n, MaxOrders)
	}
	for _, cr := range c.Crashes {
		if k, err := strconv.Atoi(cr.Actor[min(len(cr.Actor), len("worker-")):]); err != nil ||
			k < 1 || k > c.Consumers || patterns.WorkerName(k) != cr.Actor {
			return fmt.Errorf("--crash: no worker %q: want worker-1 … %s", cr.Actor, patterns.WorkerName(c.Consumers))
		}
	}
	return nil
}

// Params returns the scenario as the run event shows it. The checks read
// express-slo and max-standard-wait from it.
func (c Config) Params() []trace.Param {
	p := patterns.NewParams(c.Common).Str("mode", string(c.Mode)).Int("orders", c.Orders).
		Float("express-share", c.ExpressShare).Dist("arrival", c.Arrival).List("burst", patterns.Strings(c.Bursts)).
		Int("consumers", c.Consumers).Dist("work", c.Work).Int("prefetch", c.Prefetch)
	switch c.Mode {
	case Priority:
		p.Add(trace.Param{Name: "x-max-priority", Value: "1", Hint: "express 1, standard 0"})
	case Separate:
		p.Str("weights", c.weights())
	}
	p.Dur("express-slo", c.ExpressSLO).Dur("max-standard-wait", c.MaxStandardWait).Crashes(c.Crashes)
	if len(c.Crashes) > 0 && c.RestartAfter > 0 {
		p.Dur("restart-after", c.RestartAfter)
	}
	return p.Done()
}

func (c Config) weights() string {
	return "express=" + strconv.Itoa(c.Weights[0]) + ",standard=" + strconv.Itoa(c.Weights[1])
}
