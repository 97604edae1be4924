package sim

import (
	"testing"
	"time"
)

func TestRealTimeRunsCallbacksOnTheWallClockScaled(t *testing.T) {
	start := time.Now()
	w := New(1)
	w.RealTime(2) // 20ms of world time take 40ms of wall time
	var at []time.Duration
	w.After(20*time.Millisecond, nil, func() { at = append(at, w.Now()) })
	w.After(10*time.Millisecond, nil, func() { at = append(at, w.Now()) })
	w.Run(func() bool { return len(at) == 2 })
	if len(at) != 2 || at[0] < 10*time.Millisecond || at[1] < 20*time.Millisecond || at[1] < at[0] {
		t.Fatalf("callbacks ran at %v, want ≥10ms then ≥20ms", at)
	}
	if wall := time.Since(start); wall < 40*time.Millisecond {
		t.Fatalf("the run took %v of wall time, want ≥40ms at scale 2", wall)
	}
}

func TestRealTimeInjectRunsOnTheLoopAndCrashDropsWork(t *testing.T) {
	w := New(1)
	w.RealTime(1)
	a := w.Actor("worker")
	got := 0
	w.After(time.Hour, a, func() { t.Error("a crashed actor's callback ran") })
	go func() {
		time.Sleep(5 * time.Millisecond)
		w.Inject(func() { got++; a.Crash("") })
		w.Inject(func() { got++ })
	}()
	w.Run(func() bool { return got == 2 })
	if got != 2 {
		t.Fatalf("%d injected functions ran, want 2", got)
	}
	w.Close()
	w.Inject(func() { t.Error("ran after Close") }) // must neither block nor run
}

func TestRealTimeStopsAtUntil(t *testing.T) {
	w := New(1)
	w.RealTime(1)
	w.SetUntil(30 * time.Millisecond)
	w.After(time.Hour, nil, func() {})
	w.Run(nil)
	if w.Stopped() == "" || w.Now() != 30*time.Millisecond {
		t.Fatalf("stopped %q at %v, want stopped at --until 30ms", w.Stopped(), w.Now())
	}
}
