package retry

import (
	"math/rand/v2"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// outcome is how the gateway answers one call.
type outcome uint8

const (
	charged     outcome = iota // the payment went through
	unavailable                // the gateway is down
	tooMany                    // over capacity: the call was refused
	serverError                // a random failure before charging
	declined                   // a permanent error: this payment never goes through
	noResponse                 // charged, but the response never came back
)

// outcomeTypes are the types of the response messages, which tell the
// outcome as data.
var outcomeTypes = [...]string{"Charged", "Unavailable", "TooManyRequests", "ServerError", "Declined", "NoResponse"}

// outcomeNotes are what the responses say: the status code, or what the
// worker saw instead of an answer.
var outcomeNotes = [...]string{"paid", "503", "429", "500", "402", "connection reset"}

// outcomeWhys teach what the outcomes that teach something mean.
var outcomeWhys = [...]string{
	tooMany: "The gateway refuses calls beyond its capacity, and the refused calls count: workers that " +
		"retry at once keep it past its capacity, so it keeps refusing — a retry storm.",
	noResponse: "The gateway charged the card, then the connection dropped before its answer came back. " +
		"The worker cannot tell this from a failed charge: a retry or a redrive charges again, " +
		"unless the gateway recognises the payment id.",
}

// describe returns the error a failed call ends with, as the dead letter
// and the retry notes quote it.
func (o outcome) describe() string {
	if o == noResponse {
		return "no response (connection reset)"
	}
	return outcomeNotes[o] + " " + outcomeTypes[o]
}

// transient reports whether a retry may succeed where the call failed.
func (o outcome) transient() bool { return o != charged && o != declined }

// failFast is how long the gateway takes to refuse a call when it is down
// or over capacity.
const failFast = 2 * time.Millisecond

// gateway is the payment gateway: it charges orders, with an outage, a
// failure rate, a latency and a capacity.
type gateway struct {
	r       *run
	latency *rand.Rand
	faults  *rand.Rand // nil without --fail-rate
	load    window     // calls that arrived in the last second, refused ones too
	charged []uint64   // bit n: order n was charged, for --idempotent
	poison  map[int]bool
}

func newGateway(r *run) *gateway {
	g := &gateway{r: r, latency: r.w.Rand("gateway-latency"), poison: map[int]bool{}}
	if r.cfg.FailRate > 0 {
		g.faults = r.w.Rand("faults:gateway")
	}
	if r.cfg.Idempotent {
		g.charged = make([]uint64, r.cfg.Orders/64+1)
	}
	for _, id := range r.cfg.Poison {
		g.poison[orderNumber(id)] = true
	}
	r.w.Actor(Gateway)
	return g
}

// down reports whether the gateway is inside its outage at t.
func (g *gateway) down(t time.Duration) bool {
	o := g.r.cfg.Outage
	return o.To > 0 && o.Contains(t)
}

// call takes a worker's call and schedules the answer.
func (g *gateway) call(wk *worker) {
	w, cfg := g.r.w, g.r.cfg
	now := w.Now()
	w.Progress()
	o := wk.order()
	w.Emit(trace.Event{Kind: trace.Call, Actor: wk.name, To: Gateway, Msg: wk.callMsg("Charge", trace.Command)})
	load := g.load.add(now)
	switch {
	case g.down(now):
		wk.answerIn(failFast, unavailable)
		return
	case cfg.GatewayCapacity > 0 && load > int64(cfg.GatewayCapacity):
		// Past its capacity the gateway refuses calls until its load of
		// the last second falls back under it; the refused calls count,
		// so callers that retry at once keep it overloaded.
		wk.answerIn(failFast, tooMany)
		return
	}
	lat := cfg.GatewayLatency.Sample(g.latency)
	switch {
	case g.poison[o.n]:
		wk.answerIn(lat, declined)
		return
	case g.faults != nil && g.faults.Float64() < cfg.FailRate:
		if g.faults.Float64() < 0.5 {
			wk.answerIn(lat, serverError)
			return
		}
		wk.chargeIn(lat/2, lat, noResponse)
		return
	}
	wk.chargeIn(lat/2, lat, charged)
}

// charge applies the payment of the worker's order, once per payment id
// when the gateway is idempotent.
func (g *gateway) charge(wk *worker) {
	o := wk.order()
	w := g.r.w
	msg := wk.callMsg("Charge", trace.Command)
	if g.charged != nil {
		word, bit := o.n/64, uint64(1)<<(o.n%64)
		if g.charged[word]&bit != 0 {
			w.Emit(trace.Event{Kind: trace.Skip, Actor: Gateway, To: wk.name, Msg: msg,
				Note: PaymentID(o.n) + " already charged: the first charge's result is returned",
				Why: "The gateway keeps the payment ids it has charged: a repeated request with the same " +
					"id gets the first answer again and charges nothing."})
			return
		}
		g.charged[word] |= bit
	}
	w.Emit(trace.Event{Kind: trace.Handle, Actor: Gateway, To: wk.name, Msg: msg, Note: "charged " + PaymentID(o.n)})
}

// outage schedules the fault events that open and close the outage.
func (g *gateway) outage() {
	g.r.w.ScheduleOutage(Gateway, g.r.cfg.Outage, "calls fail fast with 503", "calls succeed again")
}
