package ordering

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Name is the pattern's command name.
const Name = "ordering"

// record is one event of an order as it travels: its message, which order
// it belongs to and where in that order's sequence it comes.
type record struct {
	trace.Msg
	order      int // 1-based
	seq        int // 1-based position in the order's events
	fails      int // failed attempts so far
	deliveries int // deliveries so far (the log and sessions count them here)
	poison     bool
}

// eventTypes are an order's events in the order they happen; a cancelled
// order's last event is OrderCancelled instead.
var eventTypes = [MaxEventsPerOrder]string{"OrderPlaced", "OrderPaid", "OrderShipped", "OrderDelivered"}

// Cancelled is the type of an order's last event when it is cancelled.
const Cancelled = "OrderCancelled"

// run is one simulation in progress: what every mode shares.
type run struct {
	cfg    Config
	s      *patterns.Sim
	w      *sim.World
	work   *rand.Rand
	proj   *projection
	checks *Checks
	poison map[string]bool
}

// Run simulates the scenario with the common options c, sending every
// event to out (which may be nil), and returns the report that closes the
// trace. The receiver must be valid.
func (cfg Config) Run(c patterns.Common, out trace.Sink) *trace.Report {
	cfg.Common = c
	checks := NewChecks(cfg.MaxLag)
	s := patterns.StartOwnChecks(Name, c, cfg.Params(), checks, out)
	r := &run{cfg: cfg, s: s, w: s.World, work: s.World.Rand("work"), proj: newProjection(cfg.Orders), checks: checks,
		poison: map[string]bool{}}
	for _, id := range cfg.Poison {
		r.poison[id] = true
	}
	p := newProducer(r)
	var m mode
	switch cfg.Mode {
	case Partitions:
		m = newLog(r)
	case Sessions:
		m = newSessionQueue(r)
	default:
		m = newQueueMode(r)
	}
	p.out = m.send
	w := s.World
	w.ScheduleCrashes(cfg.Crashes, cfg.RestartAfter)
	p.orders.Start(w)
	s.Run(func() bool { return p.finished() && m.idle() })
	e := m.ending()
	e.Tables = append(e.Tables, checks.LagTable(w.Now()))
	e.Verdicts = append(e.Verdicts, checks.Verdicts(w.Now(), w.Stopped())...)
	return s.Finish(e)
}

// mode is one way of carrying the events to the projection.
type mode interface {
	send(r *record) // the order service puts an event on its way
	idle() bool     // nothing is left to deliver or handle
	ending() patterns.Ending
}

// slowness returns how many times slower the named consumer works.
func (r *run) slowness(name string) float64 {
	if f, ok := r.cfg.Slow[name]; ok {
		return f
	}
	return 1
}

// workTime draws the time the named consumer takes over one event.
func (r *run) workTime(name string) time.Duration {
	return sim.Scale(r.cfg.Work.Sample(r.work), r.slowness(name))
}

// fails reports whether handling rec fails this time, counting the failure.
func (r *run) fails(rec *record) bool {
	if !rec.poison || rec.fails >= r.cfg.PoisonFails {
		return false
	}
	rec.fails++
	return true
}

// failNote says how a failed attempt went.
func (r *run) failNote(rec *record) string {
	return "handler failed (" + strconv.Itoa(rec.fails) + " of " + strconv.Itoa(r.cfg.PoisonFails) + " failures)"
}

// consumers returns the names of the consumers present from the start.
func (r *run) consumers() []string {
	names := make([]string, r.cfg.Consumers)
	for i := range names {
		names[i] = ConsumerName(i + 1)
	}
	return names
}

// producer is the order service: orders arrive one arrival gap apart, and
// each sends its events one gap apart. Only the orders still sending are
// held, so memory does not grow with --orders.
type producer struct {
	r        *run
	actor    *sim.Actor
	orders   patterns.Arrivals
	gaps     *rand.Rand
	picks    *rand.Rand
	out      func(*record)
	sent     int
	active   int // orders with events still to send
	stepNext func(any)
}

// orderRun is an order whose events are still being sent.
type orderRun struct {
	n, next   int
	key       string
	cancelled bool
}

func newProducer(r *run) *producer {
	w := r.w
	p := &producer{r: r, actor: w.Actor(Producer), gaps: w.Rand("gap"), picks: w.Rand("orders")}
	p.orders = patterns.Arrivals{Actor: p.actor, Gap: r.cfg.Arrival, Rand: w.Rand("arrival"), N: r.cfg.Orders,
		Send: p.start, Restarts: r.cfg.RestartAfter > 0}
	p.stepNext = p.step
	p.actor.OnCrash(func() { p.active = 0 })
	return p
}

func (p *producer) start(n int) {
	cfg := &p.r.cfg
	o := &orderRun{n: n, key: patterns.OrderKey(n)}
	// Both draws are made for every order, so one choice never shifts the other.
	cancel, hot := p.picks.Float64(), p.picks.Float64()
	o.cancelled = cfg.EventsPerOrder > 1 && cancel < cfg.CancelRate
	if hot < cfg.Skew {
		o.key = HotKey
	}
	p.active++
	p.step(o)
}

// step sends the next event of o and plans the one after.
func (p *producer) step(arg any) {
	o := arg.(*orderRun)
	cfg := &p.r.cfg
	o.next++
	p.sent++
	typ := eventTypes[o.next-1]
	last := o.next == cfg.EventsPerOrder
	if last && o.cancelled {
		typ = Cancelled
	}
	id := patterns.MessageID(p.sent)
	p.out(&record{Msg: trace.Msg{ID: id, Type: typ, Class: trace.EventMsg, Key: o.key},
		order: o.n, seq: o.next, poison: p.r.poison[id]})
	if last {
		p.active--
		return
	}
	p.r.w.AfterCall(cfg.Gap.Sample(p.gaps), p.actor, p.stepNext, o)
}

// finished reports whether the order service will send nothing more.
func (p *producer) finished() bool {
	return p.orders.Done() && (p.active == 0 || !p.actor.Up())
}
