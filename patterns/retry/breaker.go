package retry

import (
	"fmt"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

type breakerState uint8

const (
	closed breakerState = iota
	open
	halfOpen
)

// breaker is one circuit breaker in front of the gateway, shared by the
// workers as one service's client is: closed, it lets calls through and
// counts their answers over --breaker-window; at least --breaker-failures
// transient failures making at least --breaker-ratio of the calls open it
// (as Polly's FailureRatio with a MinimumThroughput: a few failures among
// many calls are noise, not an outage), and for --breaker-open no call
// goes out — the workers hold their orders and take no new ones; then,
// half-open, one probe call goes through, and its answer closes the
// breaker or opens it again.
type breaker struct {
	r       *run
	state   breakerState
	calls   window // answers counted while closed
	fails   window // transient failures among them
	probing bool
	parked  []*worker
	openAt  time.Duration

	halfOpenFn func()
}

func newBreaker(r *run) *breaker {
	slot := r.cfg.BreakerWindow / 10
	b := &breaker{r: r, calls: window{width: slot}, fails: window{width: slot}}
	b.halfOpenFn = b.toHalfOpen
	r.w.Actor(Circuit)
	return b
}

// allow reports whether wk may call now; when not, wk waits until the
// breaker lets it.
func (b *breaker) allow(wk *worker) bool {
	switch {
	case b.state == closed:
		return true
	case b.state == halfOpen && !b.probing:
		b.probing, wk.probe = true, true
		return true
	}
	b.parked = append(b.parked, wk)
	w := b.r.w
	note := "breaker half-open: waits for the probe's answer"
	if b.state == open {
		note = "breaker open: waits until " + trace.FormatDuration(b.openAt+b.r.cfg.BreakerOpen)
	}
	w.Emit(trace.Event{Kind: trace.Note, Actor: wk.name, Msg: wk.d.TraceMsg(), Note: note})
	return false
}

func (b *breaker) stateName() string { return [...]string{"closed", "open", "half-open"}[b.state] }

// record counts the answer to wk's call.
func (b *breaker) record(wk *worker, o outcome) {
	probe := wk.probe
	wk.probe = false
	now := b.r.w.Now()
	switch {
	case probe && o.transient():
		b.probing = false
		b.trip("the probe failed (" + o.describe() + ")")
	case probe:
		b.probing = false
		b.set(closed, "the probe succeeded, calls flow again")
		b.wake(len(b.parked))
	case b.state != closed:
	case !o.transient():
		b.calls.add(now)
	default:
		cfg := b.r.cfg
		calls, fails := b.calls.add(now), b.fails.add(now)
		if fails >= int64(cfg.BreakerFailures) && float64(fails) >= cfg.BreakerRatio*float64(calls) {
			b.trip(fmt.Sprintf("%d of %d calls failed within %s", fails, calls, trace.FormatDuration(cfg.BreakerWindow)))
		}
	}
}

// trip opens the breaker for --breaker-open.
func (b *breaker) trip(why string) {
	b.calls, b.fails = window{width: b.calls.width}, window{width: b.fails.width}
	b.openAt = b.r.w.Now()
	b.set(open, why+"; no call for "+trace.FormatDuration(b.r.cfg.BreakerOpen))
	b.r.w.After(b.r.cfg.BreakerOpen, nil, b.halfOpenFn)
}

func (b *breaker) toHalfOpen() {
	b.set(halfOpen, "one probe call may go through")
	b.wake(1)
}

// wake lets the first n parked workers try again, in the order they came.
func (b *breaker) wake(n int) {
	w := b.r.w
	n = min(n, len(b.parked))
	for _, wk := range b.parked[:n] {
		w.After(0, wk.actor, wk.attemptFn)
	}
	b.parked = append(b.parked[:0], b.parked[n:]...)
}

func (b *breaker) set(s breakerState, why string) {
	from := b.stateName()
	b.state = s
	w := b.r.w
	w.Progress()
	e := trace.Event{Kind: trace.Breaker, Actor: Circuit, To: Gateway, Note: from + " → " + b.stateName() + ": " + why}
	if s == open && from == "closed" {
		e.Why = "A circuit breaker stops calling a service that keeps failing: the workers hold their " +
			"orders instead of spending retries, and the gateway gets room to recover. After a pause, " +
			"one probe call tests it."
	}
	w.Emit(e)
}
