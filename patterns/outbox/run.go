package outbox

import (
	"math/rand/v2"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Name is the pattern's command name.
const Name = "outbox"

// The teaching sentences of the events that explain something.
const (
	whyZombie = "The order is committed but its event never left: the database and the broker " +
		"cannot share a transaction, and nothing remembers to publish it again, so no one " +
		"downstream ever hears of this order. It is a zombie record."
	whyGhost = "The event went out before the order was committed, and the commit never happened: " +
		"downstream acts on an order that does not exist. It is a ghost message."
	whyRepublish = "The relay published this row before but never marked it sent (it crashed, or the " +
		"update failed), so the row was still in the outbox and went out again: an outbox " +
		"delivers at least once, and the consumer must absorb repeats."
	whyAbsorbed = "The inbox holds the ids of handled events, written in the same transaction as the " +
		"stock change, so a repeat is recognised and not applied twice."
	whyApplied = "Nothing records which events were handled, so the inventory cannot tell a repeat " +
		"from a new event: the stock is reserved twice for one order. Use --inbox."
	whyWaiting = "The rows were committed with their orders, so nothing is lost while the broker is " +
		"down: the relay keeps polling and publishes them, oldest first, once it is back."
)

// Run simulates the scenario with the common options c, sending every
// event to out (which may be nil), and returns the report that closes the
// trace. cfg must be valid.
func (cfg Config) Run(c patterns.Common, out trace.Sink) *trace.Report {
	cfg.Common = c
	chk := NewChecks(OrderService, Inventory)
	s := patterns.Start(Name, cfg.Common, cfg.Params(), trace.Tee(chk, out))
	r := newRun(cfg, s)
	s.RunIdle(r.done)
	chk.Finish(s.World.Now())
	tables, verdicts := chk.Report()
	rep := s.Finish(patterns.Ending{Tables: tables, Verdicts: verdicts})
	return rep
}

// run is one simulation: the actors, their stores and what the narrator
// knows (which events were published or handled before, for the notes).
type run struct {
	cfg   Config
	live  patterns.Live // the live broker, or nil
	w     *sim.World
	b     *broker.Broker // the simulated broker: its outages (--broker-down, refused with --live)
	port  broker.Port    // the broker the actors use: the simulated one, or the live one
	topic broker.TopicPort

	svc   *service
	relay *relay
	inv   *inventory

	arrived int                     // orders arrived
	rows    int                     // outbox rows committed and not yet marked sent
	crashes *rand.Rand              // faults:crash, one draw per event in every variant
	events  int                     // events arrived, numbered from 1
	told    check.Fading[narration] // what happened to each event, by number
}

// narration is what the narrator knows of one event: how often it was
// published and applied (counting on from 255 to 0 again). Once every
// event of a page was published and applied once, the page is forgotten.
type narration struct{ published, handled uint8 }

// published counts one more publication of an event.
func published(t *narration) { t.published++ }

// order is one write of an order: the change to its row and the event that
// announces it. Order n is written twice, as events 2n-1 (OrderCreated)
// and 2n (OrderUpdated), so its key has an order that can be broken. It
// lives while the order service has it; the run keeps only a byte or two
// per event after (its narration), so memory follows what is in flight.
type order struct {
	n         int // the event number
	msg       trace.Msg
	crash     bool // the service crashes between its two writes for this one
	committed bool
	sent      bool // published by the order service itself
}

// state returns the value the write gives the order's row: "created" or
// "updated".
func (o *order) state() string {
	if o.n%2 == 1 {
		return "created"
	}
	return "updated"
}

func newRun(cfg Config, s *patterns.Sim) *run {
	w := s.World
	r := &run{cfg: cfg, live: cfg.Live, w: w, b: s.Broker, port: s.Port()}
	r.told.Done = narration{published: 1, handled: 1}
	if cfg.CrashRate > 0 {
		r.crashes = w.Rand("faults:crash")
	}
	r.svc = newService(r)
	if cfg.Variant == Outbox {
		r.relay = newRelay(r)
	}
	r.inv = newInventory(r)
	r.b.Outage(cfg.BrokerDown)
	w.ScheduleCrashes(cfg.Crashes, cfg.RestartAfter)
	orders := &patterns.Arrivals{Gap: cfg.Arrival, Rand: w.Rand("arrival"), N: cfg.Orders, Send: r.arrive}
	orders.Start(w)
	return r
}

// arrive takes order n: its creation, then its update, each a write of
// its own.
func (r *run) arrive(n int) {
	r.arrived = n
	for range EventTypes {
		r.events++
		r.svc.arrive(r.events)
	}
	r.w.Progress()
}

// done reports whether everything that can happen has once the broker is
// idle (see Sim.RunIdle): every order taken, every outbox row published
// and any outage over.
func (r *run) done() bool {
	return r.arrived == r.cfg.Orders && r.svc.idle() && r.rows == 0 && r.b.OutagesOver()
}

// openDB opens a database of the run: SQLite when the live broker has
// databases, else the simulated store.
func (r *run) openDB(owner *sim.Actor, name string, failRate float64) DB {
	if dbs, ok := r.live.(Databases); ok {
		return dbs.OpenDB(r.w, owner, name, failRate)
	}
	return newSimDB(r.w, owner, name, failRate)
}

// restartLater restarts a, crashed by an injected fault, after the
// configured time.
func (r *run) restartLater(a *sim.Actor) {
	d := r.cfg.RestartAfter
	r.w.After(d, nil, func() { a.Restart("after " + trace.FormatDuration(d) + " down") })
}

// half returns half a work sample: when an injected crash falls between
// two steps.
func half(d time.Duration) time.Duration { return (d / 2).Round(time.Microsecond) }

// eventMsg returns the message of event e, whose id and order key are
// given.
func eventMsg(e int, id, key string) trace.Msg {
	return trace.Msg{ID: id, Type: EventTypes[(e-1)%2], Class: trace.EventMsg, Key: key}
}

// event returns the number of an event id such as "e12" of this run.
func (r *run) event(id string) (int, bool) {
	n, ok := eventNumber(id)
	return n, ok && n <= r.events
}
