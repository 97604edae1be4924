package retry

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Name is the pattern's command name.
const Name = "retry"

// run is one simulation in progress.
type run struct {
	cfg     Config
	s       *patterns.Sim
	w       *sim.World
	q       *broker.Queue
	gw      *gateway
	breaker *breaker // nil without --breaker
	redrive *redrive // nil without --redrive-at
	work    *rand.Rand
	jitter  *rand.Rand
	shop    *sim.Actor
	sent    int
}

// Run simulates the scenario, sending every event to out (which may be
// nil), and returns the report that closes the trace. c must be valid.
func (c Config) Run(common patterns.Common, out trace.Sink) *trace.Report {
	cfg := c
	cfg.Common = common
	checks := NewChecks()
	s := patterns.Start(Name, common, cfg.Params(), nil)
	w := s.World
	w.Recorder().Add(checks)
	if out != nil {
		w.Recorder().Add(out)
	}
	r := &run{cfg: cfg, s: s, w: w, work: w.Rand("work"), jitter: w.Rand("jitter")}
	r.shop = w.Actor(Shop)
	r.q = s.Broker.Queue(Queue, broker.QueueOptions{MaxDeliveries: cfg.MaxDeliveries, DeadLetter: DLQ})
	dlq := r.q.DeadLetterQueue()
	r.gw = newGateway(r)
	if cfg.Breaker {
		r.breaker = newBreaker(r)
	}
	for i := 1; i <= cfg.Workers; i++ {
		wk := newWorker(r, i)
		r.q.Subscribe(wk.actor, broker.ConsumerOptions{Prefetch: 1, Ack: broker.ManualAck}, wk.receive)
	}
	if cfg.RedriveAt > 0 {
		r.redrive = newRedrive(r, dlq, r.q)
	}
	r.gw.outage()
	orders := &patterns.Arrivals{Actor: r.shop, Gap: cfg.Arrival, Rand: w.Rand("arrival"), N: cfg.Orders, Send: r.send}
	orders.Start(w)
	s.Run(r.done)
	return s.Finish(patterns.Ending{OwnTables: true, Tables: checks.Tables(), Series: checks.Series(), Verdicts: checks.Verdicts()})
}

// done reports whether nothing is left to happen: every order sent and
// settled, and the redrive, if any, over.
func (r *run) done() bool {
	return r.sent == r.cfg.Orders && r.s.Broker.Idle() && (r.redrive == nil || r.redrive.done)
}

// send sends order n.
func (r *run) send(n int) {
	r.sent = n
	r.q.Send(Shop, &broker.Message{Msg: trace.Msg{ID: OrderID(n), Type: "PlaceOrder", Class: trace.Command,
		Key: OrderKey(n)}, Body: &order{n: n}})
}

// Params returns the scenario as the run event shows it: the flags that
// matter for the policy chosen.
func (c Config) Params() []trace.Param {
	var p []trace.Param
	add := func(name, value string) { p = append(p, trace.Param{Name: name, Value: value}) }
	add("seed", strconv.FormatUint(c.Seed, 10))
	add("orders", strconv.Itoa(c.Orders))
	add("arrival", c.Arrival.String())
	add("workers", strconv.Itoa(c.Workers))
	add("work", c.Work.String())
	if c.Outage.To > 0 {
		add("outage", c.Outage.String())
	}
	if c.FailRate > 0 {
		add("fail-rate", strconv.FormatFloat(c.FailRate, 'g', -1, 64))
	}
	add("gateway-latency", c.GatewayLatency.String())
	add("gateway-capacity", rate(c.GatewayCapacity, "unlimited"))
	add("policy", c.Policy.String())
	if c.Policy != None {
		if c.RetryBy == ByWorker {
			add("retries", strconv.Itoa(c.Retries))
		}
		if c.Policy == Backoff {
			add("backoff", trace.FormatDuration(c.Base)+".."+trace.FormatDuration(c.Cap))
			add("jitter", c.Jitter.String())
		}
		add("retry-by", c.RetryBy.String())
	}
	if c.Breaker {
		add("breaker", strconv.Itoa(c.BreakerFailures)+" failures in "+trace.FormatDuration(c.BreakerWindow)+
			", open "+trace.FormatDuration(c.BreakerOpen))
	}
	add("max-deliveries", strconv.Itoa(c.MaxDeliveries))
	if c.RedriveAt > 0 {
		add("redrive-at", trace.FormatDuration(c.RedriveAt))
		add("redrive-rate", rate(c.RedriveRate, "all at once"))
	}
	if c.Idempotent {
		add("idempotent", "yes")
	}
	if len(c.Poison) > 0 {
		add("poison", strings.Join(c.Poison, ","))
	}
	if c.Classify {
		add("classify", "yes")
	}
	if c.Until > 0 {
		add("until", trace.FormatDuration(c.Until))
	}
	return p
}

// rate writes a rate per second, or zero as its word.
func rate(n int, zero string) string {
	if n == 0 {
		return zero
	}
	return strconv.Itoa(n) + "/s"
}
