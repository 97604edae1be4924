package patterns

import (
	"math/rand/v2"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
)

// Arrivals sends things one arrival gap apart on behalf of an actor: the
// orders a shop places, the messages a producer sends. It schedules one
// send at a time, so memory does not grow with how many there are. A crash
// of the actor loses the send it had planned; a restart resumes sending
// after a fresh gap.
//
// Fill in the fields, then call Start where the pattern would schedule its
// first send: the order of scheduling is part of a deterministic trace.
type Arrivals struct {
	Actor *sim.Actor // who sends; nil for the world itself, which never crashes
	Gap   sim.Dist   // the time between two sends
	Rand  *rand.Rand // the stream gaps are drawn from
	N     int        // how many to send; with Until, 0 means as many as fit
	Send  func(i int)

	// Until, when above 0, ends the arrivals: nothing is sent at or after it.
	Until time.Duration
	// GapFirst draws a gap before the first send too, as for a stream that
	// was already running; otherwise the first is sent at once.
	GapFirst bool
	// Restarts says that a crashed Actor comes back, so a crash is not the
	// end of the arrivals.
	Restarts bool

	w    *sim.World
	sent int
	over bool
	next func() // a.send, made once so scheduling it allocates nothing
}

// Start plans the first send in w and makes the arrivals resume when their
// actor restarts.
func (a *Arrivals) Start(w *sim.World) {
	a.w = w
	a.next = a.send
	if a.Actor != nil {
		a.Actor.OnRestart(a.schedule)
	}
	a.schedule()
}

// Sent returns how many were sent so far.
func (a *Arrivals) Sent() int { return a.sent }

// Done reports whether nothing more will be sent: all sent, Until reached,
// or the actor crashed and does not restart.
func (a *Arrivals) Done() bool {
	return a.over || (a.Actor != nil && !a.Actor.Up() && !a.Restarts)
}

// schedule plans the next send, if any is left.
func (a *Arrivals) schedule() {
	if (a.Until == 0 || a.N > 0) && a.sent >= a.N {
		a.over = true
		return
	}
	gap := time.Duration(0)
	if a.sent > 0 || a.GapFirst {
		gap = a.Gap.Sample(a.Rand)
	}
	if a.Until > 0 && a.w.Now()+gap >= a.Until {
		a.over = true
		return
	}
	a.w.After(gap, a.Actor, a.next)
}

func (a *Arrivals) send() {
	a.sent++
	a.Send(a.sent)
	a.schedule()
}
