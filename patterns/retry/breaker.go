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
// counts their transient failures; K failures within the window open it,
// and for --breaker-open no call goes out — the workers hold their orders
// and take no new ones; then, half-open, one probe call goes through, and
// its answer closes the breaker or opens it again.
type breaker struct {
	r       *run
	state   breakerState
	fails   []time.Duration // the times of the last failures, oldest first, at most K
	probing bool
	parked  []*worker
	openAt  time.Duration

	halfOpenFn func()
}

func newBreaker(r *run) *breaker {
	b := &breaker{r: r, fails: make([]time.Duration, 0, r.cfg.BreakerFailures)}
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
	case b.state != closed || !o.transient():
	default:
		k := b.r.cfg.BreakerFailures
		if len(b.fails) == k {
			copy(b.fails, b.fails[1:])
			b.fails = b.fails[:k-1]
		}
		b.fails = append(b.fails, now)
		if len(b.fails) == k && now-b.fails[0] <= b.r.cfg.BreakerWindow {
			b.trip(fmt.Sprintf("%d failures within %s", k, trace.FormatDuration(b.r.cfg.BreakerWindow)))
		}
	}
}

// trip opens the breaker for --breaker-open.
func (b *breaker) trip(why string) {
	b.fails = b.fails[:0]
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
