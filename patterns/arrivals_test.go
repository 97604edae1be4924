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
