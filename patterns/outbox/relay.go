package outbox

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// relay polls the outbox, publishes the oldest rows in order, then marks
// them sent (deletes them) in a transaction of its own. An injected crash
// (--relay-crash-rate, drawn once per batch) falls between the publishes
// and the mark, so the whole batch goes out again. With --relay-workers
// above 1 it shares a batch's rows among that many threads, each
// publishing its rows one after another, each publish taking a work
// sample: a row can go out before an older one, and an order's update
// before its creation.
type relay struct {
	r       *run
	a       *sim.Actor
	conn    DB
	work    *rand.Rand
	threads *rand.Rand // the threads' publish times, with --relay-workers above 1
	crashes *rand.Rand // faults:relay-crash, one draw per batch published
	msg     broker.Message

	rows    []string // the rows of the current poll
	sent    []string // rows published and not yet marked sent
	blocked bool     // the broker refused the last poll's publish

	tickFn, markFn, crashFn, publishedFn func()
	publishFn                            func(any)
}

func newRelay(r *run) *relay {
	w := r.w
	rl := &relay{r: r, a: w.Actor(Relay), work: w.Rand("work:" + Relay)}
	rl.conn = r.svc.db.Connect(rl.a)
	if r.cfg.RelayCrashRate > 0 {
		rl.crashes = w.Rand("faults:relay-crash")
	}
	if r.cfg.RelayWorkers > 1 {
		rl.threads = w.Rand("work:" + Relay + "-threads")
	}
	rl.tickFn, rl.markFn, rl.crashFn, rl.publishedFn = rl.tick, rl.mark, rl.crash, rl.published
	rl.publishFn = func(key any) { rl.publish(key.(string)) }
	rl.a.Describe(rl.describe)
	rl.a.OnCrash(func() { rl.sent = rl.sent[:0] })
	rl.a.OnRestart(func() { w.After(0, rl.a, rl.tickFn) })
	w.After(r.cfg.PollInterval, rl.a, rl.tickFn)
	return rl
}

// tick polls the outbox once.
func (rl *relay) tick() {
	r := rl.r
	w := r.w
	rl.rows = rl.conn.Unpublished(r.cfg.Batch, rl.rows[:0])
	if len(rl.rows) == 0 {
		w.After(r.cfg.PollInterval, rl.a, rl.tickFn)
		return
	}
	if r.b.Down() {
		if !rl.blocked {
			rl.blocked = true
			w.Emit(trace.Event{Kind: trace.Note, Actor: Relay,
				Note: "broker unreachable: " + rowCount(r.rows) + " wait in the outbox", Why: whyWaiting})
		}
		w.After(r.cfg.PollInterval, rl.a, rl.tickFn)
		return
	}
	rl.blocked = false
	if n := r.cfg.RelayWorkers; n > 1 {
		var busy [MaxRelayWorkers]time.Duration // when each thread is done with its rows so far
		for i, key := range rl.rows {
			busy[i%n] += r.cfg.Work.Sample(rl.threads)
			w.AfterCall(busy[i%n], rl.a, rl.publishFn, key)
		}
		w.After(slices.Max(busy[:n]), rl.a, rl.publishedFn)
		return
	}
	for _, key := range rl.rows {
		rl.publish(key)
	}
	rl.published()
}

// publish publishes the event of one outbox row.
func (rl *relay) publish(key string) {
	r := rl.r
	id := strings.TrimPrefix(key, outboxPrefix)
	n, ok := r.event(id)
	if !ok {
		return
	}
	msg := eventMsg(n, id, patterns.OrderKey((n+1)/2))
	if r.told.Get(n).published > 0 {
		r.w.Emit(trace.Event{Kind: trace.Note, Actor: Relay, Msg: msg,
			Note: "published before, never marked sent: out again", Why: whyRepublish})
	}
	rl.msg = broker.Message{Msg: msg}
	r.topic.Publish(Relay, &rl.msg)
	r.told.Update(n, published)
	rl.sent = append(rl.sent, key)
}

// published ends the publishing of a batch: after a step the relay marks
// it sent, unless an injected crash falls first.
func (rl *relay) published() {
	r := rl.r
	w := r.w
	step := r.cfg.Work.Sample(rl.work)
	if rl.crashes != nil && rl.crashes.Float64() < r.cfg.RelayCrashRate {
		w.After(half(step), nil, rl.crashFn)
	}
	w.After(step, rl.a, rl.markFn)
}

// mark deletes the published rows, then polls again: at once when the
// batch was full, else after the poll interval.
func (rl *relay) mark() {
	r := rl.r
	tx := rl.conn.Begin(trace.Msg{})
	for _, key := range rl.sent {
		tx.MarkSent(key)
	}
	if tx.Commit() == nil {
		r.rows -= len(rl.sent)
	}
	full := len(rl.sent) == r.cfg.Batch
	rl.sent = rl.sent[:0]
	if full {
		r.w.After(0, rl.a, rl.tickFn)
	} else {
		r.w.After(r.cfg.PollInterval, rl.a, rl.tickFn)
	}
}

func (rl *relay) crash() {
	rl.a.Crash("injected crash (--relay-crash-rate)")
	rl.r.restartLater(rl.a)
}

// describe tells what the relay had published but not marked sent.
func (rl *relay) describe() string {
	if len(rl.sent) == 0 {
		return ""
	}
	ids := make([]string, 0, min(len(rl.sent), 4))
	for i, key := range rl.sent {
		if i == 3 {
			ids = append(ids, "and "+strconv.Itoa(len(rl.sent)-3)+" more")
			break
		}
		ids = append(ids, strings.TrimPrefix(key, outboxPrefix))
	}
	return strings.Join(ids, ", ") + " published, not marked sent"
}

// rowCount writes "1 row" or "3 rows".
func rowCount(n int) string {
	if n == 1 {
		return "1 row"
	}
	return strconv.Itoa(n) + " rows"
}
