package sim

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

const ms = time.Millisecond

func TestCallbacksRunInTimeThenSchedulingOrder(t *testing.T) {
	w := New(1)
	var got []string
	add := func(s string) func() { return func() { got = append(got, s) } }
	w.At(30*ms, nil, add("c"))
	w.At(10*ms, nil, add("a1"))
	w.At(20*ms, nil, add("b"))
	w.At(10*ms, nil, add("a2"))
	w.At(10*ms, nil, func() {
		got = append(got, "a3")
		w.After(0, nil, add("a4")) // same time, scheduled later: runs after a3
	})
	w.Run(nil)
	want := []string{"a1", "a2", "a3", "a4", "b", "c"}
	if len(got) != len(want) {
		t.Fatalf("ran %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ran %v, want %v", got, want)
		}
	}
	if w.Now() != 30*ms {
		t.Errorf("clock at %v after the last callback, want 30ms", w.Now())
	}
}

func TestAtInThePastRunsNow(t *testing.T) {
	w := New(1)
	var at time.Duration = -1
	w.At(50*ms, nil, func() { w.At(10*ms, nil, func() { at = w.Now() }) })
	w.Run(nil)
	if at != 50*ms {
		t.Errorf("a callback scheduled in the past ran at %v, want now (50ms)", at)
	}
}

func TestManyCallbacksComeOutSorted(t *testing.T) {
	w := New(7)
	r := w.Rand("test")
	last := time.Duration(-1)
	n := 0
	for i := 0; i < 5000; i++ {
		w.At(time.Duration(r.IntN(1000))*ms, nil, func() {
			if w.Now() < last {
				t.Fatalf("time went back from %v to %v", last, w.Now())
			}
			last = w.Now()
			n++
		})
	}
	w.Run(nil)
	if n != 5000 {
		t.Fatalf("ran %d callbacks, want 5000", n)
	}
}

func TestDoneStopsTheRun(t *testing.T) {
	w := New(1)
	count := 0
	var tick func()
	tick = func() { count++; w.After(ms, nil, tick) }
	w.At(0, nil, tick)
	w.Run(func() bool { return count == 5 })
	if count != 5 {
		t.Errorf("ran %d ticks, want the run to stop at 5", count)
	}
	if w.Stopped() != "" {
		t.Errorf("a run ended by done says it was stopped: %q", w.Stopped())
	}
}

func TestUntilCapsVirtualTime(t *testing.T) {
	w := New(1)
	w.SetUntil(25 * ms)
	var ran []time.Duration
	for _, at := range []time.Duration{10 * ms, 20 * ms, 30 * ms} {
		w.At(at, nil, func() { ran = append(ran, w.Now()) })
	}
	w.Run(nil)
	if len(ran) != 2 || w.Now() != 25*ms {
		t.Errorf("ran at %v, clock %v; want 10ms and 20ms, clock 25ms", ran, w.Now())
	}
	if w.Stopped() != "stopped at --until 25ms" {
		t.Errorf("Stopped() = %q", w.Stopped())
	}
}

func TestIdleGraceStopsARunThatCannotSettle(t *testing.T) {
	w := New(1)
	var tick func()
	tick = func() { w.After(time.Second, nil, tick) }
	w.At(5*time.Second, nil, func() { w.Progress(); tick() })
	w.Run(nil)
	if want := 5*time.Second + IdleGrace; w.Now() != want {
		t.Errorf("stopped at %v, want %v (the last progress plus the grace)", w.Now(), want)
	}
	if w.Stopped() == "" {
		t.Error("a run cut by the idle grace does not say so")
	}
}

func TestCrashDropsPendingCallbacksEvenAfterRestart(t *testing.T) {
	var events []trace.Event
	w := New(1, trace.SinkFunc(func(e *trace.Event) { events = append(events, *e) }))
	a := w.Actor("worker-1")
	ran := map[string]bool{}
	w.At(10*ms, a, func() { ran["before"] = true })
	w.At(50*ms, a, func() { ran["pending at crash"] = true })
	a.CrashAt(20*ms, 10*ms)
	a.OnRestart(func() { w.After(10*ms, a, func() { ran["after restart"] = true }) })
	w.Run(nil)
	if !ran["before"] || ran["pending at crash"] || !ran["after restart"] {
		t.Errorf("ran %v: want the callback before the crash and the one scheduled after the restart, "+
			"never the one pending at the crash", ran)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind.String()+"@"+trace.FormatDuration(e.T))
	}
	if len(kinds) != 2 || kinds[0] != "crash@20ms" || kinds[1] != "restart@30ms" {
		t.Errorf("events %v, want crash@20ms restart@30ms", kinds)
	}
}

func TestCrashedActorSchedulesNothing(t *testing.T) {
	w := New(1)
	a := w.Actor("a")
	a.Crash("test")
	ran := false
	w.At(0, a, func() { ran = true })
	a.Restart("test")
	w.Run(nil)
	if ran {
		t.Error("a callback scheduled while its actor was down ran after the restart")
	}
}

func TestCrashHooksAndDescribe(t *testing.T) {
	var note string
	w := New(1, trace.SinkFunc(func(e *trace.Event) {
		if e.Kind == trace.Crash {
			note = e.Note
		}
	}))
	a := w.Actor("a")
	a.Describe(func() string { return "held m1" })
	a.Describe(func() string { return "" })
	a.Describe(func() string { return "tx 3 open" })
	crashed, restarted := 0, 0
	a.OnCrash(func() { crashed++ })
	a.OnRestart(func() { restarted++ })
	a.Crash("power cut")
	a.Crash("again") // already down: nothing
	a.Restart("")
	a.Restart("") // already up: nothing
	if crashed != 1 || restarted != 1 {
		t.Errorf("hooks ran %d and %d times, want once each", crashed, restarted)
	}
	if note != "power cut; held m1; tx 3 open" {
		t.Errorf("crash note %q", note)
	}
}

func TestStreamsAreSeededAndIndependent(t *testing.T) {
	draw := func(seed uint64, touchOther bool) []uint64 {
		w := New(seed)
		if touchOther {
			o := w.Rand("other")
			for i := 0; i < 10; i++ {
				o.Uint64()
			}
		}
		r := w.Rand("faults")
		return []uint64{r.Uint64(), r.Uint64(), r.Uint64()}
	}
	a, b, c := draw(1, false), draw(1, true), draw(2, false)
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("drawing from one stream shifted another")
		}
	}
	if a[0] == c[0] && a[1] == c[1] {
		t.Error("two seeds gave the same stream")
	}
	w := New(1)
	if w.Rand("x") != w.Rand("x") {
		t.Error("Rand returned two streams for one name")
	}
}

func BenchmarkKernel(b *testing.B) {
	w := New(1)
	r := w.Rand("bench")
	var tick func()
	tick = func() { w.After(time.Duration(1+r.IntN(1000))*time.Microsecond, nil, tick) }
	for i := 0; i < 64; i++ { // 64 timers in flight, as a busy simulation has
		w.At(0, nil, tick)
	}
	n := 0
	b.ResetTimer()
	w.Run(func() bool { n++; return n > b.N })
}

// Crash hooks of actors crashed together run only once all are down, so
// what one hook hands on cannot reach another actor of the set.
func TestCrashTogetherDownsAllBeforeAnyHook(t *testing.T) {
	w := New(1)
	a, b := w.Actor("a"), w.Actor("b")
	var seen []string
	for _, x := range []*Actor{a, b} {
		x.OnCrash(func() { seen = append(seen, fmt.Sprintf("%s hook: a up %v, b up %v", x.Name, a.Up(), b.Up())) })
	}
	CrashTogether([]*Actor{a, b}, "offline")
	want := []string{"a hook: a up false, b up false", "b hook: a up false, b up false"}
	if !slices.Equal(seen, want) {
		t.Errorf("hooks saw %q, want %q", seen, want)
	}
}

// A callback dropped by a crash neither runs nor moves the clock, and a run
// that runs dry before it is done says it stopped. Once the JSON summary
// said settled, with messages in flight, at the dropped callback's time.
func TestRunningDryBeforeDoneIsAStop(t *testing.T) {
	w := New(1)
	a := w.Actor("worker")
	w.After(10*ms, a, func() { t.Error("a crashed actor's callback ran") })
	w.After(5*ms, nil, func() { a.Crash("") })
	w.Run(func() bool { return false })
	if w.Now() != 5*ms {
		t.Errorf("the run ended at %v, want 5ms: the last callback that ran", w.Now())
	}
	if w.Stopped() == "" {
		t.Error("a run that ran dry before it was done reports no stop")
	}
}

// Callbacks that schedule none, one or several more, at times equal to
// others', before and after them, come out in (time, scheduling) order
// whatever the heap's size: the first push of a callback takes its root.
func TestCallbacksSchedulingCallbacksComeOutInOrder(t *testing.T) {
	w := New(3)
	r := w.Rand("test")
	type key struct {
		at  time.Duration
		seq int
	}
	var ran []key
	seq := 0
	var plan func(d time.Duration, depth int)
	plan = func(d time.Duration, depth int) {
		seq++
		k := key{w.Now() + d, seq}
		w.After(d, nil, func() {
			ran = append(ran, k)
			if depth < 6 {
				for range r.IntN(3) { // 0, 1 or 2 more
					plan(time.Duration(r.IntN(4))*ms, depth+1)
				}
			}
		})
	}
	for range 300 {
		plan(time.Duration(r.IntN(20))*ms, 0)
	}
	w.Run(nil)
	if len(ran) < 1000 {
		t.Fatalf("only %d callbacks ran", len(ran))
	}
	if !slices.IsSortedFunc(ran, func(a, b key) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		return a.seq - b.seq
	}) {
		t.Fatal("callbacks ran out of (time, scheduling) order")
	}
}

// Progress moves the idle limit on however far the run goes: a run that
// makes progress every 50s, past many first limits, is stopped only the
// grace after its last progress.
func TestProgressKeepsMovingTheIdleLimit(t *testing.T) {
	w := New(1)
	n := 0
	var tick func()
	tick = func() {
		if n++; n <= 10 {
			w.Progress()
		}
		w.After(50*time.Second, nil, tick)
	}
	w.At(0, nil, tick)
	w.Run(nil)
	if want := 450*time.Second + IdleGrace; w.Now() != want {
		t.Errorf("stopped at %v, want %v (the tenth progress plus the grace)", w.Now(), want)
	}
	if n != 11 {
		t.Errorf("ran %d ticks, want 11: the last at 500s, inside the grace", n)
	}
}

// With a gate, done is asked only while the gate's count is 0, and the run
// ends at the first callback where it is 0 and done says so.
func TestGateAsksDoneOnlyWhileOpen(t *testing.T) {
	w := New(1)
	busy, ticks, asked := 1, 0, 0
	w.Gate(&busy)
	var tick func()
	tick = func() {
		ticks++
		if ticks == 3 || ticks == 6 {
			busy = 0
		} else {
			busy = 1
		}
		w.After(ms, nil, tick)
	}
	w.At(0, nil, tick)
	w.Run(func() bool { asked++; return ticks >= 5 })
	if ticks != 6 || asked != 2 {
		t.Errorf("ran %d ticks and asked done %d times, want 6 and 2 (after ticks 3 and 6)", ticks, asked)
	}
	if w.Stopped() != "" {
		t.Errorf("a run ended by done says it was stopped: %q", w.Stopped())
	}
}

// A run that runs dry while its gate is closed is not done: it stops, and
// says so, without asking done.
func TestRunningDryWhileGatedIsAStop(t *testing.T) {
	w := New(1)
	busy := 1
	w.Gate(&busy)
	w.After(ms, nil, func() {})
	w.Run(func() bool { t.Error("done asked while the gate is closed"); return true })
	if w.Stopped() != "stopped: nothing left to do" {
		t.Errorf("Stopped() = %q", w.Stopped())
	}
	w.Gate(nil)
	w.After(ms, nil, func() {})
	asked := false
	w.Run(func() bool { asked = true; return true })
	if !asked {
		t.Error("done was not asked once the gate was removed")
	}
}
