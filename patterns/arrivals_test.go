package patterns

import (
	"slices"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
)

const ms = time.Millisecond

// arrivals runs a world with a producer sending 10ms apart and returns
// when each send happened.
func arrivals(t *testing.T, a Arrivals, setup func(w *sim.World, p *sim.Actor)) ([]time.Duration, *Arrivals) {
	t.Helper()
	w := sim.New(1)
	var at []time.Duration
	a.Actor = w.Actor("producer")
	a.Gap, a.Rand = sim.Const(10*ms), w.Rand("arrival")
	a.Send = func(i int) {
		if i != len(at)+1 {
			t.Errorf("send %d after %d sends: want them numbered from 1", i, len(at))
		}
		at = append(at, w.Now())
	}
	if setup != nil {
		setup(w, a.Actor)
	}
	a.Start(w)
	w.Run(a.Done)
	return at, &a
}

func TestArrivalsSendNOneGapApart(t *testing.T) {
	at, a := arrivals(t, Arrivals{N: 3}, nil)
	if !slices.Equal(at, []time.Duration{0, 10 * ms, 20 * ms}) || a.Sent() != 3 || !a.Done() {
		t.Errorf("sent at %v (%d, done %v): want 0, 10ms, 20ms", at, a.Sent(), a.Done())
	}
	at, _ = arrivals(t, Arrivals{N: 0}, nil)
	if len(at) != 0 {
		t.Errorf("N 0 sent %v", at)
	}
}

func TestArrivalsStreamUntil(t *testing.T) {
	at, _ := arrivals(t, Arrivals{Until: 35 * ms, GapFirst: true}, nil)
	if !slices.Equal(at, []time.Duration{10 * ms, 20 * ms, 30 * ms}) {
		t.Errorf("a stream until 35ms sent at %v: want a gap first, then nothing at or after 35ms", at)
	}
}

func TestArrivalsCrashAndRestart(t *testing.T) {
	crash := func(restart time.Duration) func(w *sim.World, p *sim.Actor) {
		return func(w *sim.World, p *sim.Actor) { p.CrashAt(15*ms, restart) }
	}
	at, a := arrivals(t, Arrivals{N: 4}, crash(0))
	if !slices.Equal(at, []time.Duration{0, 10 * ms}) || !a.Done() {
		t.Errorf("down for good at 15ms: sent at %v, done %v; want 0, 10ms and done", at, a.Done())
	}
	at, _ = arrivals(t, Arrivals{N: 4, Restarts: true}, crash(30*ms))
	if !slices.Equal(at, []time.Duration{0, 10 * ms, 55 * ms, 65 * ms}) {
		t.Errorf("restarted at 45ms: sent at %v; want 0, 10ms, then a fresh gap: 55ms, 65ms", at)
	}
}

// At a gap of 0 a million messages were once all in flight at once (645
// MB): the window holds each send past Window until something settles.
func TestArrivalsAtGapZeroKeepAWindow(t *testing.T) {
	w := sim.New(1)
	inFlight, most, sent := 0, 0, 0
	a := &Arrivals{Gap: sim.Const(0), N: 10, Window: 3, InFlight: func() int { return inFlight }}
	a.Send = func(int) {
		sent++
		inFlight++
		most = max(most, inFlight)
		w.After(10*ms, nil, func() { inFlight--; a.Settled() }) // settles 10ms after it was sent
	}
	a.Start(w)
	w.Run(a.Done)
	if sent != 10 || most != 3 || w.Now() != 30*ms {
		t.Errorf("sent %d, at most %d in flight, last at %v: want 10 sent, never more than 3 in flight, the last at 30ms",
			sent, most, w.Now())
	}
}

// The window holds only sends at a gap of 0: a stream one gap apart is a
// rate, and arrivals without InFlight keep none.
func TestArrivalsWindowOnlyAtGapZero(t *testing.T) {
	full := func() int { return 1 << 20 }
	at, _ := arrivals(t, Arrivals{N: 3, Window: 1, InFlight: full}, nil)
	if len(at) != 3 {
		t.Errorf("a stream 10ms apart sent %d of 3 behind a full window", len(at))
	}
	w := sim.New(1)
	a := &Arrivals{Gap: sim.Const(0), N: 5000, Send: func(int) {}}
	a.Start(w)
	w.Run(a.Done)
	if a.Sent() != 5000 {
		t.Errorf("arrivals without InFlight sent %d of 5000", a.Sent())
	}
}
