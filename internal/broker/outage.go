package broker

import (
	"errors"
	"slices"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// ErrUnreachable is what a send or publish returns while the broker is down.
var ErrUnreachable = errors.New("broker unreachable")

// FaultActor is the actor the broker's own fault events name.
const FaultActor = "broker"

// Outage makes the broker unreachable during win, for any pattern: from
// win.From until win.To every send and publish fails with ErrUnreachable,
// told as a fault event about the message, and nothing is queued. What is
// already queued stays, and is delivered as before. A fault event by
// FaultActor marks the start and the end of the outage. The zero window is
// no outage. Call it while setting up, before the run starts.
func (b *Broker) Outage(win sim.Window) {
	if win == (sim.Window{}) {
		return
	}
	b.w.Actor(FaultActor)
	b.outages = append(b.outages, win)
	b.w.ScheduleOutage(FaultActor, win, "every publish fails", "publishes succeed again")
}

// Down reports whether the broker is unreachable now: a client that asks
// first can wait instead of failing.
func (b *Broker) Down() bool {
	now := b.w.Now()
	return slices.ContainsFunc(b.outages, func(win sim.Window) bool { return win.Contains(now) })
}

// OutagesOver reports whether every outage has ended, so a run that waits
// for the broker to come back knows when it may end.
func (b *Broker) OutagesOver() bool {
	now := b.w.Now()
	return !slices.ContainsFunc(b.outages, func(win sim.Window) bool { return now < win.To })
}

// refuse fails a send or publish of m from from to to while the broker is
// down, telling it as a fault event, and returns nil when it is up.
func (b *Broker) refuse(from, to string, m *Message) error {
	if len(b.outages) == 0 || !b.Down() {
		return nil
	}
	b.w.Emit(trace.Event{Kind: trace.Fault, Actor: from, To: to, Msg: m.Msg,
		Note: "not sent: broker unreachable",
		Why:  "The broker is down: the client gets an error and the message is not taken. Whether it is lost depends on the sender: it must keep it and try again."})
	return ErrUnreachable
}
