package patterns

import (
	"cmp"
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
// At a gap of 0 (all at once) with InFlight set, the arrivals keep a
// window, as a publisher waiting for its confirms does: while InFlight
// reports Window or more, the next send waits until something settles,
// so memory follows what is in flight, not how many there are. A run that
// never has Window things in flight sends exactly as without it.
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

	// InFlight, when set, tells how many of the things sent are not yet
	// settled; at a gap of 0 the arrivals hold their next send while it is
	// Window or more. Sim.Produce sets it to the broker's unsettled
	// messages and wakes the arrivals when one settles.
	InFlight func() int
	// Window is how many may be in flight at a gap of 0; 0 means
	// DefaultWindow.
	Window int

	w       *sim.World
	gap     sim.Sampler // Gap from Rand
	window  bool        // Gap is 0 and InFlight is set: the window holds sends back
	sent    int
	over    bool
	held    bool   // the window was full at the last send: waiting for a settle
	looking bool   // a look at the window is scheduled
	next    func() // a.send, made once so scheduling it allocates nothing
}

// DefaultWindow is how many things arrivals at a gap of 0 keep in flight
// at most: enough that every demo and golden trace, a few dozen messages,
// runs as if all were sent at once; few enough that a million messages
// hold a few megabytes, not gigabytes.
const DefaultWindow = 1024

// Start plans the first send in w and makes the arrivals resume when their
// actor restarts.
func (a *Arrivals) Start(w *sim.World) {
	a.w = w
	a.gap = w.Sampler(a.Gap, a.Rand)
	a.window = a.InFlight != nil && a.Gap.Mean() == 0
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
	a.held = false
	if (a.Until == 0 || a.N > 0) && a.sent >= a.N {
		a.over = true
		return
	}
	gap := time.Duration(0)
	if a.sent > 0 || a.GapFirst {
		gap = a.gap.Sample()
	}
	if a.Until > 0 && a.w.Now()+gap >= a.Until {
		a.over = true
		return
	}
	a.w.After(gap, a.Actor, a.next)
}

func (a *Arrivals) send() {
	if a.full() {
		a.held = true
		return
	}
	a.sent++
	a.Send(a.sent)
	a.schedule()
}

// full reports whether the window holds the next send back.
func (a *Arrivals) full() bool {
	if !a.window {
		return false
	}
	return a.InFlight() >= cmp.Or(a.Window, DefaultWindow)
}

// Settled tells held arrivals that something settled: they look at the
// window again once the step that settled it is over (the broker counts
// a message settled only after it has said so).
func (a *Arrivals) Settled() {
	if a.held && !a.looking {
		a.looking = true
		a.w.After(0, nil, a.look)
	}
}

// look sends the held send if the window has room again.
func (a *Arrivals) look() {
	a.looking = false
	switch {
	case !a.held || a.Done() || a.full() || a.Actor != nil && !a.Actor.Up():
		// still held; a restart plans the next send itself
	case a.Until > 0 && a.w.Now() >= a.Until:
		a.over = true
	default:
		a.held = false
		a.send()
	}
}
