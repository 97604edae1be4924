package requestreply

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
const Name = "request-reply"

// run is one simulation: what the requesters and the responders share.
type run struct {
	cfg   Config
	s     *patterns.Sim
	w     *sim.World
	b     *broker.Broker
	svcs  [2]*service
	reqs  []*requester
	calls *Calls // the checks

	work, drops *rand.Rand

	issued int // calls started
	open   int // calls some requester still waits for
}

// end is how a call finished, remembered for a while.
type end struct {
	answered bool
	at       time.Duration
}

// remember bounds how many finished calls are kept for the notes on late
// replies: memory follows what is in flight, not the length of the run.
const remember = 1024

// Run simulates the scenario, sending every event to out (which may be
// nil), and returns the report that closes the trace. The receiver must be
// valid.
func (c Config) Run(common patterns.Common, out trace.Sink) *trace.Report {
	c.Common = common
	return newRun(c, out).finish()
}

// newRun sets the scenario up and runs it to its end.
func newRun(c Config, out trace.Sink) *run {
	calls := NewCalls()
	s := patterns.Start(Name, c.Common, c.Params(), trace.Tee(calls, out))
	r := &run{cfg: c, s: s, w: s.World, b: s.Broker, calls: calls,
		work: s.World.Rand("work"), drops: s.World.Rand("faults:drop-reply")}
	for i := 1; i <= c.Requesters; i++ {
		r.reqs = append(r.reqs, newRequester(r, c.RequesterName(i)))
	}
	for i := range r.svcs {
		r.svcs[i] = newService(r, i)
	}
	r.w.ScheduleCrashes(c.Crashes, c.RestartAfter)
	arrivals := &patterns.Arrivals{Gap: c.Arrival, Rand: s.World.Rand("arrival"), N: c.Requests, Send: r.start}
	s.Produce(arrivals)
	s.RunIdle(func() bool { return r.issued == c.Requests && r.open == 0 })
	return r
}

// finish emits the summary and returns the report.
func (r *run) finish() *trace.Report {
	return r.s.Finish(patterns.Ending{OwnTables: true, Tables: r.calls.Tables(),
		Verdicts: r.calls.Verdicts(r.w.Stopped())})
}

// start makes the next call from the checkout instance serving its order,
// or the next one up when that one is down.
func (r *run) start(n int) {
	r.issued = n
	first := (n - 1) / 2 % len(r.reqs)
	for k := range r.reqs {
		if q := r.reqs[(first+k)%len(r.reqs)]; q.a.Up() {
			q.call(n)
			return
		}
	}
	r.w.Emit(trace.Event{Kind: trace.Note, Actor: r.reqs[first].a.Name,
		Note: OrderKey(n) + ": no checkout instance is up, so " + RequestID(n) + " is never asked"})
}

// waiter returns the requester waiting for the call corr, if any.
func (r *run) waiter(corr string) *requester {
	for _, q := range r.reqs {
		if _, ok := q.calls[corr]; ok {
			return q
		}
	}
	return nil
}

// ring is a FIFO of strings that reuses its space.
type ring struct {
	buf     []string
	head, n int
}

func (q *ring) push(s string) {
	if q.n == len(q.buf) {
		buf := make([]string, max(2*len(q.buf), 16))
		for i := 0; i < q.n; i++ {
			buf[i] = q.buf[(q.head+i)%len(q.buf)]
		}
		q.buf, q.head = buf, 0
	}
	q.buf[(q.head+q.n)%len(q.buf)] = s
	q.n++
}

func (q *ring) pop() string {
	s := q.buf[q.head]
	q.buf[q.head] = ""
	q.head = (q.head + 1) % len(q.buf)
	q.n--
	return s
}

// since writes how long ago t was, as "12ms ago".
func (r *run) since(t time.Duration) string {
	return trace.ShortDuration(r.w.Now()-t) + " ago"
}

// tryID returns the message id of a call's try: r3 for the first, r3.2 for
// the second.
func tryID(corr string, try int) string {
	if try == 1 {
		return corr
	}
	return corr + "." + strconv.Itoa(try)
}
