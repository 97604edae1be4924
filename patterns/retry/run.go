package retry

import (
	"math/rand/v2"
	"strconv"
	"time"

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
	shop    *patterns.Arrivals
}

// Run simulates the scenario, sending every event to out (which may be
// nil), and returns the report that closes the trace. c must be valid.
func (c Config) Run(common patterns.Common, out trace.Sink) *trace.Report {
	cfg := c
	cfg.Common = common
	checks := NewChecks()
	s := patterns.StartOwnChecks(Name, common, cfg.Params(), checks, out)
	w := s.World
	r := &run{cfg: cfg, s: s, w: w, work: w.Rand("work"), jitter: w.Rand("jitter")}
	r.shop = &patterns.Arrivals{Actor: w.Actor(Shop), Gap: cfg.Arrival, Rand: w.Rand("arrival"), N: cfg.Orders, Send: r.send}
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
	// A run waiting for the outage to end or the redrive to start is not
	// stuck: keep it from being stopped as idle meanwhile.
	for t := 30 * time.Second; t < max(cfg.Outage.To, cfg.RedriveAt); t += 30 * time.Second {
		w.At(t, nil, w.Progress)
	}
	s.Produce(r.shop)
	s.RunIdle(r.done)
	return s.Finish(patterns.Ending{OwnTables: true, Tables: checks.Tables(), Series: checks.Series(), Verdicts: checks.Verdicts()})
}

// done reports whether nothing is left to happen once the broker is idle
// (every order sent is settled; see Sim.RunIdle): every order sent, the
// outage over and the redrive, if any, done.
func (r *run) done() bool {
	return r.shop.Done() && (r.redrive == nil || r.redrive.done) && r.w.Now() >= r.cfg.Outage.To
}

// send places order n.
func (r *run) send(n int) {
	r.q.Send(Shop, &broker.Message{Msg: trace.Msg{ID: patterns.MessageID(n), Type: "PlaceOrder", Class: trace.Command,
		Key: patterns.OrderKey(n)}, Body: &order{n: n}})
}

// Params returns the scenario as the run event shows it: the flags that
// matter for the policy chosen.
func (c Config) Params() []trace.Param {
	p := patterns.NewParams(c.Common).Int("orders", c.Orders).Dist("arrival", c.Arrival).
		Int("workers", c.Workers).Dist("work", c.Work)
	if c.Outage.To > 0 {
		p.Str("outage", c.Outage.String())
	}
	if c.FailRate > 0 {
		p.Float("fail-rate", c.FailRate)
	}
	p.Dist("gateway-latency", c.GatewayLatency).Add(rate("gateway-capacity", c.GatewayCapacity, "unlimited")).
		Str("policy", c.Policy.String())
	if c.Policy != None {
		if c.RetryBy == ByWorker {
			p.Int("retries", c.Retries)
		}
		if c.Policy == Backoff {
			p.Str("backoff", trace.FormatDuration(c.Base)+".."+trace.FormatDuration(c.Cap)).Str("jitter", c.Jitter.String())
		}
		p.Str("retry-by", c.RetryBy.String())
	}
	if c.Breaker {
		p.Int("breaker-failures", c.BreakerFailures).Float("breaker-ratio", c.BreakerRatio).
			Dur("breaker-window", c.BreakerWindow).Dur("breaker-open", c.BreakerOpen)
	}
	p.Int("max-deliveries", c.MaxDeliveries)
	if c.RedriveAt > 0 {
		p.Dur("redrive-at", c.RedriveAt).Add(rate("redrive-rate", c.RedriveRate, "all at once"))
	}
	if c.Idempotent {
		p.Str("idempotent", "true")
	}
	p.List("poison", c.Poison)
	if c.Classify {
		p.Str("classify", "true")
	}
	return p.Done()
}

// rate is a parameter that is a rate per second, as its flag takes it: N/s,
// or 0 with a hint saying what 0 means.
func rate(name string, n int, zero string) trace.Param {
	if n == 0 {
		return trace.Param{Name: name, Value: "0", Hint: zero}
	}
	return trace.Param{Name: name, Value: strconv.Itoa(n) + "/s"}
}
