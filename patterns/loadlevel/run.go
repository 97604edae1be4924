package loadlevel

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Name is the pattern's command name.
const Name = "loadlevel"

// run is one simulation in progress.
type run struct {
	cfg  Config
	s    *patterns.Sim
	w    *sim.World
	q    *broker.Queue
	work *rand.Rand

	workers  []*worker // worker-1 … worker-N, by number
	serving  int       // workers taking orders
	starting int       // workers on their way up

	// the autoscaler
	scaler    *sim.Actor
	lastStep  time.Duration
	stepped   bool
	retrySet  bool
	atCeiling bool
	steps     []stepRow

	checkout *checkout
	slo      *WaitSLO // nil without --max-wait
	series   *series
	m        measure
	growing  bool          // the backlog passed the growth mark and has not emptied since
	growAt   time.Duration // when it did
}

type workerState uint8

const (
	off workerState = iota
	starting
	serving
	leaving
)

// worker is one worker's life: it may start, serve, leave and start again
// (the autoscaler reuses the lowest free number).
type worker struct {
	n       int
	name    string
	actor   *sim.Actor
	c       *broker.Consumer
	state   workerState
	gen     int           // bumped when a start is cancelled
	since   time.Duration // when it last began serving
	served  time.Duration // total time serving (or leaving)
	busy    time.Duration
	handled int64

	handler broker.Handler
	finish  func(any)
}

// stepRow is one scaling decision, for the summary.
type stepRow struct {
	at      time.Duration
	step    string
	workers string
	reason  string
}

// Run simulates the scenario with the common options c, sending every
// event to out (which may be nil), and returns the report that closes the
// trace; a sweep runs as Sweep does. cfg must be valid.
func (cfg Config) Run(c patterns.Common, out trace.Sink) *trace.Report {
	cfg.Common = c
	if cfg.SweepFrom > 0 {
		return Sweep(cfg, out)
	}
	r := &run{cfg: cfg, series: newSeries()}
	return r.start(out)
}

// runLean runs without a trace and without the generic statistics and
// delivery checks, for sweeps: only this pattern's own measurements are
// kept. It returns the virtual time the run ended and why it stopped early
// ("" when every order settled).
func (r *run) runLean() (end time.Duration, stopped string) {
	r.begin(patterns.StartLean(Name, r.cfg.Common))
	r.closeWorkers()
	return r.w.Now(), r.w.Stopped()
}

func (r *run) start(out trace.Sink) *trace.Report {
	if r.cfg.MaxWait > 0 {
		r.slo = NewWaitSLO()
		out = trace.Tee(r.slo, out)
	}
	r.begin(patterns.Start(Name, r.cfg.Common, r.cfg.Params(), out))
	return r.finish()
}

// begin sets the scenario up on s and runs it until every order settled.
func (r *run) begin(s *patterns.Sim) {
	r.s, r.w = s, s.World
	r.setup(s.Broker)
	s.RunIdle(func() bool { return r.checkout.finished() })
}

// setup declares the queue, makes the actors and plans the orders.
func (r *run) setup(b *broker.Broker) {
	cfg := r.cfg
	r.q = b.Queue(Queue, broker.QueueOptions{MaxLength: cfg.QueueLimit})
	r.work = r.w.Rand("work")
	r.checkout = &checkout{r: r, actor: r.w.Actor(Checkout)}

	first := cfg.Consumers
	pool := cfg.Consumers
	if a := cfg.Autoscale; a.On() {
		first, pool = a.Min, a.Max
		r.scaler = r.w.Actor(Autoscaler)
	}
	for i := 1; i <= pool; i++ {
		r.workers = append(r.workers, r.newWorker(i))
	}
	for i := 0; i < first; i++ {
		wk := r.workers[i]
		wk.state = serving
		wk.c = r.q.Subscribe(wk.actor, broker.ConsumerOptions{Prefetch: cfg.Prefetch}, wk.handler)
		r.serving++
	}
	r.checkout.plan()
	r.series.set(0, 0, r.serving)
}

func (r *run) newWorker(n int) *worker {
	wk := &worker{n: n, name: patterns.WorkerName(n)}
	wk.actor = r.w.Actor(wk.name)
	wk.handler = func(d *broker.Delivery) {
		r.m.started(r.w.Now() - d.Msg.SentAt)
		r.w.AfterCall(r.cfg.Work.Sample(r.work), wk.actor, wk.finish, d)
	}
	wk.finish = func(arg any) { r.done(wk, arg.(*broker.Delivery)) }
	return wk
}

// done finishes an order: the effect, the ack, and what follows from the
// worker being free.
func (r *run) done(wk *worker, d *broker.Delivery) {
	wk.busy += d.Took()
	wk.handled++
	d.Handle("order placed")
	d.Ack()
	r.m.finished(r.w.Now() - d.Msg.SentAt)
	if wk.state == leaving && !wk.c.Busy() {
		r.left(wk, "finished its last order; left")
	}
	r.changed()
}

// changed follows a change of the backlog or of the workers: the chart,
// the growth notes and the autoscaler.
func (r *run) changed() {
	backlog := r.q.Ready()
	r.series.set(r.w.Now(), backlog, r.serving)
	switch {
	case !r.growing && backlog >= r.growMark():
		r.growing, r.growAt = true, r.w.Now()
		r.w.Emit(trace.Event{Kind: trace.Note, Actor: Queue,
			Note: fmt.Sprintf("backlog %d and growing: arrivals outpace %s",
				backlog, patterns.Count(r.serving, "worker")),
			Why: "The queue takes every order the checkout sends and holds what the workers cannot " +
				"take yet: the checkout never waits, the workers never overload; the price is the " +
				"time orders wait, and it keeps growing as long as arrivals outpace the workers."})
	case r.growing && backlog == 0:
		r.growing = false
		r.w.Emit(trace.Event{Kind: trace.Note, Actor: Queue,
			Note: "backlog drained " + trace.ShortDuration(r.w.Now()-r.growAt) + " after it began to grow"})
	}
	if r.scaler != nil {
		r.scale()
	}
}

// growMark is the backlog at which the queue says it is growing: twice
// the workers, and at least ten orders.
func (r *run) growMark() int { return max(10, 2*r.serving) }

// scale asks the policy what to do now and does it.
func (r *run) scale() {
	a := r.cfg.Autoscale
	st := a.Decide(ScaleState{Now: r.w.Now(), Backlog: r.q.Ready(), Workers: r.serving + r.starting,
		LastStep: r.lastStep, Stepped: r.stepped})
	switch {
	case st.Delta > 0:
		r.scaleOut(st.Reason)
	case st.Delta < 0:
		r.scaleIn(st.Reason)
	case st.RetryAt > 0 && !r.retrySet:
		r.retrySet = true
		r.w.At(st.RetryAt, nil, func() { r.retrySet = false; r.scale() })
	case st.Ceiling && !r.atCeiling:
		r.atCeiling = true
		r.w.Emit(trace.Event{Kind: trace.Note, Actor: Autoscaler, Note: "at the ceiling: " + st.Reason,
			Why: fmt.Sprintf("--autoscale caps the pool at %d workers, so the backlog now drains only as fast "+
				"as they work; a higher ceiling, or a lower threshold, would have started them sooner.", a.Max)})
		r.steps = append(r.steps, stepRow{r.w.Now(), "at max", strconv.Itoa(r.serving + r.starting), st.Reason})
	}
}

func (r *run) step() {
	r.stepped, r.lastStep, r.atCeiling = true, r.w.Now(), false
}

// scaleOut starts the lowest-numbered free worker; it serves after the
// start-up delay.
func (r *run) scaleOut(reason string) {
	var wk *worker
	for _, x := range r.workers {
		if x.state == off {
			wk = x
			break
		}
	}
	if wk == nil { // every number is starting, serving or still leaving
		return
	}
	r.step()
	a := r.cfg.Autoscale
	before := r.serving + r.starting
	wk.state = starting
	r.starting++
	wk.gen++
	gen := wk.gen
	r.w.Emit(trace.Event{Kind: trace.Note, Actor: Autoscaler, To: wk.name,
		Note: fmt.Sprintf("scale out %d → %d: %s; %s starts, ready in %s", before, before+1, reason, wk.name,
			trace.FormatDuration(a.Delay)),
		Why: fmt.Sprintf("The backlog reached --scale-up-at %d, so the autoscaler adds a worker. It takes "+
			"--scale-delay %s to start, and the queue keeps absorbing orders meanwhile: scaling follows "+
			"the load, it never leads it.", a.UpAt, trace.FormatDuration(a.Delay))})
	r.steps = append(r.steps, stepRow{r.w.Now(), "+" + wk.name, fmt.Sprintf("%d → %d", before, before+1), reason})
	r.w.After(a.Delay, nil, func() {
		if wk.gen == gen && wk.state == starting {
			r.ready(wk)
		}
	})
	r.scale()
}

// ready puts a started worker to work.
func (r *run) ready(wk *worker) {
	r.starting--
	r.serving++
	wk.state = serving
	wk.since = r.w.Now()
	r.w.Emit(trace.Event{Kind: trace.Note, Actor: wk.name,
		Note: fmt.Sprintf("ready after %s start-up: %s serving",
			trace.FormatDuration(r.cfg.Autoscale.Delay), patterns.Count(r.serving, "worker"))})
	wk.c = r.q.Subscribe(wk.actor, broker.ConsumerOptions{Prefetch: r.cfg.Prefetch}, wk.handler)
	r.changed()
}

// scaleIn cancels the newest start still under way, or else removes the
// highest-numbered serving worker gracefully.
func (r *run) scaleIn(reason string) {
	var wk *worker
	for i := len(r.workers) - 1; i >= 0 && wk == nil; i-- {
		if r.workers[i].state == starting {
			wk = r.workers[i]
		}
	}
	for i := len(r.workers) - 1; i >= 0 && wk == nil; i-- {
		if r.workers[i].state == serving {
			wk = r.workers[i]
		}
	}
	if wk == nil {
		return
	}
	r.step()
	a := r.cfg.Autoscale
	before := r.serving + r.starting
	r.steps = append(r.steps, stepRow{r.w.Now(), "-" + wk.name, fmt.Sprintf("%d → %d", before, before-1), reason})
	why := fmt.Sprintf("The backlog fell to --scale-down-at %d or below, so the autoscaler removes a "+
		"worker, gracefully: it takes no new order, finishes the one it has, and gives back any it had "+
		"not begun, so scaling in loses and repeats nothing.", a.DownAt)
	if wk.state == starting {
		wk.state = off
		wk.gen++
		r.starting--
		r.w.Emit(trace.Event{Kind: trace.Note, Actor: Autoscaler, To: wk.name, Why: why,
			Note: fmt.Sprintf("scale in %d → %d: %s; %s was still starting: cancelled", before, before-1, reason, wk.name)})
		r.scale()
		return
	}
	wk.state = leaving
	r.serving--
	r.w.Emit(trace.Event{Kind: trace.Note, Actor: Autoscaler, To: wk.name, Why: why,
		Note: fmt.Sprintf("scale in %d → %d: %s; %s takes no more orders", before, before-1, reason, wk.name)})
	wk.c.Remove("scaling in")
	if !wk.c.Busy() {
		r.left(wk, "idle; left at once")
	}
	r.changed()
}

// left ends a leaving worker's service.
func (r *run) left(wk *worker, note string) {
	wk.state = off
	wk.served += r.w.Now() - wk.since
	r.w.Emit(trace.Event{Kind: trace.Note, Actor: wk.name, Note: note})
}

// checkout sends the steady stream of orders and the bursts.
type checkout struct {
	r      *run
	actor  *sim.Actor
	steady *patterns.Arrivals // the steady orders: a stream already running when the run starts
	sent   int                // all orders sent
	bursts int                // bursts not yet sent
}

// plan schedules every burst and the first steady order.
func (c *checkout) plan() {
	cfg := c.r.cfg
	c.bursts = len(cfg.Bursts)
	for _, b := range cfg.Bursts {
		c.r.w.At(b.At, c.actor, func() { c.burst(b) })
	}
	n := cfg.Messages
	if cfg.Duration > 0 {
		n = 0 // as many as arrive in the duration
	}
	c.steady = &patterns.Arrivals{Actor: c.actor, Gap: cfg.Arrival, Rand: c.r.w.Rand("arrival"),
		N: n, Until: cfg.Duration, GapFirst: true, Send: c.sendSteady}
	c.steady.Start(c.r.w)
}

func (c *checkout) sendSteady(int) {
	c.send()
	c.r.changed()
}

func (c *checkout) burst(b Burst) {
	c.bursts--
	c.r.w.Emit(trace.Event{Kind: trace.Note, Actor: Checkout,
		Note: fmt.Sprintf("flash sale: %d extra orders at once", b.N)})
	for i := 0; i < b.N; i++ {
		c.send()
		c.r.changed()
	}
}

func (c *checkout) send() {
	c.sent++
	c.r.q.Send(Checkout, &broker.Message{Msg: trace.Msg{
		ID: patterns.MessageID(c.sent), Type: "PlaceOrder", Class: trace.Command, Key: patterns.OrderKey(c.sent),
	}})
}

// finished reports whether the checkout will send nothing more.
func (c *checkout) finished() bool { return c.steady.Done() && c.bursts == 0 }
