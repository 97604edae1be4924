package sim

import (
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// realtime is what a world on the wall clock keeps: when it started, how
// much slower than the wall clock its time runs, and the inbox through which
// other goroutines hand it work.
type realtime struct {
	start   time.Time
	scale   float64
	inbox   chan func()
	closed  chan struct{}
	timer   *time.Timer
	running bool // Run has begun: start is set
}

// RealTime puts w on the wall clock, for a live run: a callback scheduled
// at time t runs once t×scale of wall time has passed since this call, and
// Now reads the wall clock divided by scale (so with scale 10 a 50ms step
// takes 500ms, and the trace still says 50ms). Callbacks still run one at
// a time on the goroutine that calls Run, so actor code stays
// single-threaded; what comes from elsewhere (a broker's deliveries) enters
// through Inject. Call it before anything is scheduled. scale must be above
// 0. Nothing in the simulation calls it: a simulated run never touches the
// wall clock.
func (w *World) RealTime(scale float64) {
	w.rt = &realtime{start: time.Now(), scale: scale, inbox: make(chan func(), 1024),
		closed: make(chan struct{}), timer: time.NewTimer(time.Hour)}
	w.rt.timer.Stop()
}

// IsRealTime reports whether w runs on the wall clock (see RealTime).
func (w *World) IsRealTime() bool { return w.rt != nil }

// TimeScale returns how many times slower than the wall clock a real-time
// world's time runs; 1 for a simulated world.
func (w *World) TimeScale() float64 {
	if w.rt == nil {
		return 1
	}
	return w.rt.scale
}

// Inject hands fn, from any goroutine, to the loop of a real-time world:
// it runs there between two callbacks, at the time it is taken. It blocks
// while 1024 wait, and drops fn once Close was called. Inject on a
// simulated world panics: nothing outside a simulation may reach into it.
func (w *World) Inject(fn func()) {
	select {
	case w.rt.inbox <- fn:
	case <-w.rt.closed:
	}
}

// Close tells a real-time world that its run is over: later Injects are
// dropped instead of waiting for a loop that no longer runs. It does
// nothing to a simulated world.
func (w *World) Close() {
	if w.rt != nil {
		select {
		case <-w.rt.closed:
		default:
			close(w.rt.closed)
		}
	}
}

// elapsed returns the world time the wall clock has reached, to a tenth
// of a millisecond.
func (rt *realtime) elapsed() time.Duration {
	d := time.Duration(float64(time.Since(rt.start)) / rt.scale)
	return min(d.Truncate(100*time.Microsecond), MaxTime) // 53.1ms, not 53.047719ms
}

// runReal is Run on the wall clock: it waits for the next callback's time
// or for injected work, whichever comes first, and asks done, the halt
// function and the time limits at least every 50ms of wall time.
func (w *World) runReal(done func() bool) {
	rt := w.rt
	if !rt.running {
		// Time starts with the run, not with the setting up, which may
		// have waited for a broker.
		rt.running, rt.start = true, time.Now()
	}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if w.over(done) {
			return
		}
		now := max(rt.elapsed(), w.now)
		switch {
		case w.until > 0 && now >= w.until:
			w.now = w.until
			w.stopped = "stopped at --until " + trace.FormatDuration(w.until)
			return
		case w.until == 0 && now > Add(w.progress, IdleGrace):
			w.now = now
			w.stopped = "stopped: no message sent or settled in " + trace.FormatDuration(IdleGrace)
			return
		}
		if len(w.queue) > 0 && w.queue[0].at <= now {
			w.fire(now, w.pop().slot)
			continue
		}
		var wake <-chan time.Time
		if len(w.queue) > 0 {
			rt.timer.Reset(time.Duration(float64(w.queue[0].at-now) * rt.scale))
			wake = rt.timer.C
		}
		select {
		case fn := <-rt.inbox:
			w.now = max(rt.elapsed(), w.now)
			fn()
		case <-wake:
		case <-tick.C:
		}
	}
}
