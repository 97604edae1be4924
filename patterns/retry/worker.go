package retry

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

// order is what a PlaceOrder message carries: its number, and the calls
// made for it so far, across deliveries and redrives.
type order struct {
	n     int
	calls int
}

// worker takes one order at a time from the queue and charges it through
// the gateway, retrying as the policy says. It keeps its state between
// calls in itself, so a call allocates nothing.
type worker struct {
	r      *run
	name   string
	actor  *sim.Actor
	d      *broker.Delivery
	tries  int     // calls made in this delivery
	result outcome // the answer the pending response carries
	probe  bool    // this worker's call is the breaker's probe

	attemptFn, chargeFn, answerFn func()
}

func newWorker(r *run, i int) *worker {
	wk := &worker{r: r, name: patterns.WorkerName(i)}
	wk.actor = r.w.Actor(wk.name)
	wk.attemptFn, wk.chargeFn, wk.answerFn = wk.attempt, wk.charge, wk.answer
	return wk
}

func (wk *worker) order() *order { return wk.d.Msg.Body.(*order) }

// callMsg returns the message of the worker's current call, numbered by
// the calls made for the order.
func (wk *worker) callMsg(typ string, class trace.Class) trace.Msg {
	m := wk.d.Msg.Msg
	return trace.Msg{ID: m.ID, Type: typ, Class: class, Key: m.Key, Attempt: wk.order().calls}
}

// receive starts work on a delivery.
func (wk *worker) receive(d *broker.Delivery) {
	wk.d, wk.tries = d, 0
	wk.r.w.After(wk.r.cfg.Work.Sample(wk.r.work), wk.actor, wk.attemptFn)
}

// attempt calls the gateway, unless the breaker holds the call back.
func (wk *worker) attempt() {
	if br := wk.r.breaker; br != nil && !br.allow(wk) {
		return
	}
	wk.tries++
	wk.order().calls++
	wk.r.gw.call(wk)
}

// answerIn schedules the gateway's answer after d.
func (wk *worker) answerIn(d time.Duration, o outcome) {
	wk.result = o
	wk.r.w.After(d, nil, wk.answerFn)
}

// chargeIn schedules the charge after at, then the answer after lat.
func (wk *worker) chargeIn(at, lat time.Duration, o outcome) {
	wk.result = o
	w := wk.r.w
	w.After(at, nil, wk.chargeFn)
	w.After(lat, nil, wk.answerFn)
}

// charge applies the payment halfway through the call, unless the gateway
// went down meanwhile.
func (wk *worker) charge() {
	if wk.r.gw.down(wk.r.w.Now()) {
		wk.result = noResponse
		return
	}
	wk.r.gw.charge(wk)
}

// answer delivers the gateway's response to the worker and acts on it.
func (wk *worker) answer() {
	r := wk.r
	o := wk.result
	if o == charged && r.gw.down(r.w.Now()) {
		o = noResponse // the gateway went down before it could answer
	}
	r.w.Emit(trace.Event{Kind: trace.Response, Actor: Gateway, To: wk.name,
		Msg: wk.callMsg(outcomeTypes[o], trace.Reply), Note: outcomeNotes[o], Why: outcomeWhys[o]})
	if br := r.breaker; br != nil {
		br.record(wk, o)
	}
	wk.decide(o)
}

// decide settles the delivery after a response: ack a payment, dead-letter
// a failure the policy does not retry, or retry.
func (wk *worker) decide(o outcome) {
	cfg, d := wk.r.cfg, wk.d
	err := o.describe()
	switch {
	case o == charged:
		d.Ack()
	case o == declined && cfg.Classify:
		d.Nack(false, "permanent error, not retried: "+err)
	case cfg.Policy == None:
		d.Nack(false, "no retry policy: "+err)
	case cfg.RetryBy == ByWorker && wk.tries <= cfg.Retries:
		wait := wk.r.backoff(wk.tries)
		wk.r.w.Emit(trace.Event{Kind: trace.Note, Actor: wk.name, Msg: d.TraceMsg(),
			Note: fmt.Sprintf("retry %d of %d in %s", wk.tries, cfg.Retries, trace.ShortDuration(wait))})
		wk.r.w.After(wait, wk.actor, wk.attemptFn)
	case d.Attempt() >= cfg.MaxDeliveries:
		d.Nack(false, fmt.Sprintf("%d deliveries failed, last error: %s", d.Attempt(), err))
	case cfg.RetryBy == ByWorker:
		d.Nack(true, strconv.Itoa(wk.tries)+" calls failed, last error: "+err)
	default:
		d.NackAfter(wk.r.backoff(d.Attempt()), err)
	}
}

// backoff returns the wait before retry k (from 1): none for immediate
// retries, else min(base·2^(k-1), max), jittered.
func (r *run) backoff(k int) time.Duration {
	cfg := r.cfg
	if cfg.Policy != Backoff {
		return 0
	}
	d := cfg.Cap
	if k <= 40 {
		d = min(cfg.Base<<(k-1), cfg.Cap)
		if d <= 0 { // overflowed
			d = cfg.Cap
		}
	}
	return jitter(cfg.Jitter, d, r.jitter)
}

// jitter spreads a wait d: full draws from [0, d], equal from [d/2, d],
// none keeps d. Waits are whole microseconds.
func jitter(j Jitter, d time.Duration, rnd *rand.Rand) time.Duration {
	us := int64(d / time.Microsecond)
	switch j {
	case FullJitter:
		us = rnd.Int64N(us + 1)
	case EqualJitter:
		us = us/2 + rnd.Int64N(us-us/2+1)
	}
	return time.Duration(us) * time.Microsecond
}
