// Package sim is the deterministic kernel of msgplay: a single-threaded
// discrete-event engine on a virtual clock, with seeded random streams,
// duration distributions and actors that crash and restart.
//
// Nothing here reads the wall clock or starts a goroutine. Callbacks run in
// the order of their time and, at equal times, of their scheduling, so one
// seed always gives one run.
package sim

import (
	"cmp"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// IdleGrace is how long a run without --until goes on after the last sign of
// progress (a message sent or settled) before it is stopped as one that
// cannot settle.
const IdleGrace = 60 * time.Second

// MaxTime is the ceiling of virtual time: no run goes past it. Durations
// beyond it are refused as flag values, and anything the kernel computes
// (samples, slowed work, timers) saturates at it, so time never overflows
// or goes backwards. A run whose next callback lies at or past MaxTime
// stops there.
const MaxTime = 10000 * time.Hour

// MaxTimeText is MaxTime as help texts and errors write it.
var MaxTimeText = strconv.FormatInt(int64(MaxTime/time.Hour), 10) + "h"

// Add returns t+d for a time t in [0, MaxTime] and a duration d, saturated
// at MaxTime (and at 0 for a negative d larger than t).
func Add(t, d time.Duration) time.Duration {
	switch {
	case d > MaxTime-t:
		return MaxTime
	case d < -t:
		return 0
	}
	return t + d
}

// World is one simulation: its clock, its pending callbacks, its random
// streams, its actors and the recorder its events go to.
type World struct {
	now     time.Duration
	seq     uint64
	queue   []entry // a binary heap ordered by (at, seq)
	taken   bool    // the root's callback is running: the next push replaces it, in its slot (see Run)
	tslot   int32   // the running root's slot, while taken
	slots   []event // the callbacks, where the heap's entries point
	free    []int32 // slots free for reuse
	seed    uint64
	streams map[string]*rand.Rand
	sources map[*rand.Rand]*rand.PCG // each stream's source, for Sampler
	actors  map[string]*Actor
	order   []*Actor
	rec     *trace.Recorder

	until    time.Duration // the --until cap; 0 means none
	progress time.Duration // time of the last sign of progress
	last     time.Duration // the latest time a callback may run at: see limit
	stopped  string
	halt     func() string // asked before each callback; a reason ends the run
	gate     *int          // Run asks done only while *gate is 0; see Gate
	open     int           // what gate points at when no gate is set: always 0

	rt *realtime // set for a live run on the wall clock; see RealTime

	planned []plannedFault // faults asked for, to tell which the run outlived
}

// entry is what the heap orders. It holds no pointers, so moving entries
// about costs the garbage collector nothing; the callback waits in a slot.
type entry struct {
	at   time.Duration
	seq  uint64
	slot int32
}

// event is a callback waiting in a slot: f(), or fn(arg), on behalf of
// actor as it was at epoch. Either way a fired callback is one indirect
// call.
type event struct {
	actor *Actor // nil for the world's own callbacks, which always run
	epoch uint32
	f     func()
	fn    func(any)
	arg   any
}

// New returns a World at time zero whose randomness comes from seed and whose
// events go to sinks.
func New(seed uint64, sinks ...trace.Sink) *World {
	w := &World{seed: seed, streams: map[string]*rand.Rand{}, sources: map[*rand.Rand]*rand.PCG{},
		actors: map[string]*Actor{}}
	w.rec = trace.NewRecorder(&w.now, sinks...)
	w.gate = &w.open
	w.limit()
	return w
}

// Now returns the virtual time since the start of the run.
func (w *World) Now() time.Duration { return w.now }

// Seed returns the seed the world was made with.
func (w *World) Seed() uint64 { return w.seed }

// Emit records e at the current virtual time.
func (w *World) Emit(e trace.Event) { w.rec.Emit(e) }

// NextEvent numbers the next event, of kind k, and returns it for the
// caller to fill in and pass to Record, or nil when no sink wants k: Emit
// without the copies, and without making what nobody reads. See
// trace.Recorder.Next.
func (w *World) NextEvent(k trace.Kind) *trace.Event { return w.rec.Next(k) }

// Record records e, which NextEvent returned, at the current virtual time.
func (w *World) Record(e *trace.Event) { w.rec.Record(e) }

// Recorder returns the recorder the world's events go through.
func (w *World) Recorder() *trace.Recorder { return w.rec }

// SetUntil caps the run at virtual time t; 0 removes the cap.
func (w *World) SetUntil(t time.Duration) {
	w.until = t
	w.limit()
}

// SetHalt gives the world a function it asks before each callback: when
// it returns a reason, the run ends there and Stopped reports the reason.
// A person stopping a paced run uses it; nil removes it.
func (w *World) SetHalt(fn func() string) { w.halt = fn }

// Gate tells the world that its run cannot be over while *busy is above
// 0, so Run asks its done function only while *busy is 0: the simulated
// broker's count of messages unsettled and deliveries in hand (see
// broker.Broker.Busy) spares a run whose end needs an idle broker a call
// of done before every callback. The world only reads *busy. nil removes
// the gate.
func (w *World) Gate(busy *int) {
	w.gate = cmp.Or(busy, &w.open)
}

// Progress tells the world that the run moved forward (a message was sent).
// Without --until, a run is stopped IdleGrace after the last progress.
func (w *World) Progress() { w.progress = w.now }

// limit works out the latest time a callback may run at: --until when
// set, else IdleGrace after the last progress, and in any case before
// MaxTime. Run compares each callback's time with it first, and works it
// out again only when the callback lies past it: progress since then may
// have moved it later (it never moves it earlier), which Progress, called
// twice a message, leaves to this one test.
func (w *World) limit() {
	w.last = MaxTime - 1
	if w.until > 0 {
		w.last = min(w.until, w.last)
	} else {
		w.last = min(Add(w.progress, IdleGrace), w.last)
	}
}

// Stopped says why the run was cut short, or "" when it ran to its end.
func (w *World) Stopped() string { return w.stopped }

// Rand returns the random stream called name. Streams are independent of
// each other: drawing from one never shifts another, so faults drawn from
// "faults" stay the same when the work times change.
func (w *World) Rand(name string) *rand.Rand {
	if r, ok := w.streams[name]; ok {
		return r
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	src := rand.NewPCG(w.seed, h.Sum64())
	r := rand.New(src)
	w.streams[name] = r
	w.sources[r] = src
	return r
}

// At schedules fn at virtual time t (or now, if t has passed) on behalf of
// actor a. If a crashes before then, fn never runs. A nil actor stands for
// the world itself, whose callbacks always run.
func (w *World) At(t time.Duration, a *Actor, fn func()) {
	w.push(min(max(t, w.now), MaxTime), a, event{f: fn})
}

// After schedules fn d after now on behalf of actor a; see At.
func (w *World) After(d time.Duration, a *Actor, fn func()) {
	w.push(w.later(d), a, event{f: fn})
}

// AfterCall schedules fn(arg) d after now on behalf of actor a; see At.
// Unlike a fresh closure, a long-lived fn and a pointer arg cost no
// allocation, which matters on paths taken once per message.
func (w *World) AfterCall(d time.Duration, a *Actor, fn func(any), arg any) {
	w.push(w.later(d), a, event{fn: fn, arg: arg})
}

// later returns the time d after now, saturated at MaxTime: now for a d
// of 0 or less. It is max(Add(w.now, d), w.now) with one test the less.
func (w *World) later(d time.Duration) time.Duration {
	switch {
	case d <= 0:
		return w.now
	case d > MaxTime-w.now:
		return MaxTime
	}
	return w.now + d
}

// Run executes callbacks in order until done reports true, nothing is left
// to do, or the time limit passes: --until when set, else IdleGrace after
// the last progress, and in any case MaxTime. A nil done never reports
// true. A run that runs out of callbacks before done reports true is
// stopped too: Stopped says so, since something never settled.
func (w *World) Run(done func() bool) {
	if w.rt != nil {
		w.runReal(done)
		return
	}
	defer func() {
		if w.stopped == "" && len(w.queue) == 0 && done != nil && !w.ended(done) {
			w.stopped = "stopped: nothing left to do"
		}
	}()
	for len(w.queue) > 0 {
		if w.ended(done) || (w.halt != nil && w.halted()) {
			return
		}
		top := w.queue[0]
		if top.at > w.last && w.past(top.at) {
			return
		}
		// The callback runs while its entry still holds the root: most
		// schedule one more, and the first push takes the root's place
		// with one sift down, where a pop and a push would take two.
		w.taken, w.tslot = true, top.slot
		if ev := &w.slots[top.slot]; ev.due() { // fire, written out: it is past the inliner's budget
			w.now = top.at
			if ev.f != nil {
				ev.f()
			} else {
				ev.fn(ev.arg)
			}
		}
		if w.taken {
			w.taken = false
			w.free = append(w.free, top.slot)
			w.pop()
		}
	}
}

// ended reports whether done says the run is over, asking it only while
// the gate is open (see Gate). A nil done never says so.
func (w *World) ended(done func() bool) bool {
	return *w.gate == 0 && done != nil && done()
}

// past reports whether a callback at next lies past the time limit, once
// worked out again (see limit), and if so ends the run there.
func (w *World) past(next time.Duration) bool {
	w.limit()
	if next <= w.last {
		return false
	}
	w.stopAt(next)
	return true
}

// stopAt ends a run whose next callback, at next, lies past the limit,
// saying which limit it met.
func (w *World) stopAt(next time.Duration) {
	switch {
	case w.until > 0 && next > w.until:
		w.now = w.until
		w.stopped = "stopped at --until " + trace.FormatDuration(w.until)
	case w.until == 0 && next > Add(w.progress, IdleGrace):
		w.now = Add(w.progress, IdleGrace)
		w.stopped = "stopped: no message sent or settled in " + trace.FormatDuration(IdleGrace)
	default:
		w.now = MaxTime
		w.stopped = "stopped at the ceiling of virtual time, " + MaxTimeText
	}
}

// halted asks the halt function whether the run ends here, and notes its
// reason when it does.
func (w *World) halted() bool {
	if why := w.halt(); why != "" {
		w.stopped = why
		return true
	}
	return false
}

// over reports whether the run ends before its next step: done reports
// true, or the halt function gives a reason, which Stopped then reports.
func (w *World) over(done func() bool) bool {
	return w.ended(done) || (w.halt != nil && w.halted())
}

// fire frees the slot of a callback taken off the heap and runs the
// callback at time at, unless it is no longer due (see event.due): then it
// is dropped, and neither runs nor moves the clock. The slot is not
// cleared: the next callback put there overwrites it.
func (w *World) fire(at time.Duration, slot int32) {
	ev := w.slots[slot]
	w.free = append(w.free, slot)
	if !ev.due() {
		return
	}
	w.now = at
	if ev.f != nil {
		ev.f()
		return
	}
	ev.fn(ev.arg)
}

// due reports whether the callback ev still runs: a crashed actor's
// callbacks are dropped, even after its restart. Small enough to be
// inlined where callbacks fire. A callback reads its function from the
// event before it runs, so it may reuse the event's slot.
func (ev *event) due() bool {
	return ev.actor == nil || (ev.actor.up && ev.actor.epoch == ev.epoch)
}

// push schedules the callback ev at time at, from now to MaxTime, on
// behalf of a: nothing, if a is down.
func (w *World) push(at time.Duration, a *Actor, ev event) {
	if a != nil {
		if !a.up {
			return
		}
		ev.actor, ev.epoch = a, a.epoch
	}
	w.seq++
	if w.taken {
		w.taken = false
		w.slots[w.tslot] = ev
		w.siftDown(entry{at: at, seq: w.seq, slot: w.tslot})
		return
	}
	var slot int32
	if n := len(w.free); n > 0 {
		slot = w.free[n-1]
		w.free = w.free[:n-1]
		w.slots[slot] = ev
	} else {
		slot = int32(len(w.slots))
		w.slots = append(w.slots, ev)
	}
	e := entry{at: at, seq: w.seq, slot: slot}
	// Sift up: move parents down into the hole until the new entry fits.
	q := append(w.queue, e)
	i := uint(len(q) - 1) // unsigned: halving is a shift
	for i > 0 {
		p := (i - 1) / 2
		if !e.before(&q[p]) {
			break
		}
		q[i] = q[p]
		i = p
	}
	q[i] = e
	w.queue = q
}

// pop takes the earliest entry off the heap; its slot is still held (see
// fire).
func (w *World) pop() entry {
	q := w.queue
	top := q[0]
	n := len(q) - 1
	last := q[n]
	w.queue = q[:n]
	if n > 0 {
		w.siftDown(last)
	}
	return top
}

// siftDown puts e in the root's place, whose entry is gone, moving the
// earlier child up into the hole until e fits there.
func (w *World) siftDown(e entry) {
	q := w.queue
	n := uint(len(q))
	var i uint // unsigned, so the compiler sees that 2i+1 < n is in bounds
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		c := &q[l]
		if r := l + 1; r < n && q[r].before(c) {
			l, c = r, &q[r]
		}
		if !c.before(&e) {
			break
		}
		q[i] = *c
		i = l
	}
	q[i] = e
}

func (e *entry) before(o *entry) bool {
	return e.at < o.at || (e.at == o.at && e.seq < o.seq)
}
