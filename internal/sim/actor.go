package sim

import (
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// Actor is anything in a simulation that can crash: a producer, a consumer,
// a service, a relay. A crashed actor receives nothing, and the callbacks it
// scheduled before the crash never run, even after a restart.
type Actor struct {
	Name string

	world     *World
	describe  []func() string
	up        bool
	epoch     uint32
	onCrash   []func()
	onRestart []func()
}

// Actor returns the actor called name, creating it (up) on first use.
func (w *World) Actor(name string) *Actor {
	if a, ok := w.actors[name]; ok {
		return a
	}
	a := &Actor{Name: name, world: w, up: true}
	w.actors[name] = a
	w.order = append(w.order, a)
	return a
}

// Lookup returns the actor called name, and false when there is none.
func (w *World) Lookup(name string) (*Actor, bool) {
	a, ok := w.actors[name]
	return a, ok
}

// Actors returns the names of all actors, in the order they were made.
func (w *World) Actors() []string {
	names := make([]string, len(w.order))
	for i, a := range w.order {
		names[i] = a.Name
	}
	return names
}

// Up reports whether the actor is running.
func (a *Actor) Up() bool { return a.up }

// Describe registers fn to tell, in a few words, what the actor held when it
// crashed; the words become the note of the crash event.
func (a *Actor) Describe(fn func() string) { a.describe = append(a.describe, fn) }

// OnCrash registers fn to run right after the actor crashes.
func (a *Actor) OnCrash(fn func()) { a.onCrash = append(a.onCrash, fn) }

// OnRestart registers fn to run right after the actor restarts.
func (a *Actor) OnRestart(fn func()) { a.onRestart = append(a.onRestart, fn) }

// Crash stops the actor now: its pending callbacks are dropped, a crash event
// is emitted and the crash hooks run. Crashing a crashed actor does nothing.
func (a *Actor) Crash(why string) { CrashTogether([]*Actor{a}, why) }

// CrashTogether stops the actors at one instant, as a process with several
// instances stopping: all go down and emit their crash events before any
// crash hook runs, so nothing one crash gives back can land on another
// actor of the set. Actors already down are skipped.
func CrashTogether(actors []*Actor, why string) {
	var down []*Actor
	for _, a := range actors {
		if !a.up {
			continue
		}
		note := why
		for _, describe := range a.describe {
			if d := describe(); d != "" {
				if note != "" {
					note += "; "
				}
				note += d
			}
		}
		a.up = false
		a.epoch++
		a.world.Emit(trace.Event{Kind: trace.Crash, Actor: a.Name, Note: note})
		down = append(down, a)
	}
	for _, a := range down {
		for _, fn := range a.onCrash {
			fn()
		}
	}
}

// Restart starts a crashed actor again with a clean slate: a restart event
// is emitted and the restart hooks run. Restarting a running actor does
// nothing.
func (a *Actor) Restart(why string) {
	if a.up {
		return
	}
	a.up = true
	a.world.Emit(trace.Event{Kind: trace.Restart, Actor: a.Name, Note: why})
	for _, fn := range a.onRestart {
		fn()
	}
}

// CrashAt schedules a crash of the actor at time t and, when restartAfter is
// positive, its restart that long after.
func (a *Actor) CrashAt(t, restartAfter time.Duration) {
	w := a.world
	w.At(t, nil, func() {
		if a.up {
			a.CrashFor(restartAfter, "")
		}
	})
}

// CrashFor crashes the actor now, saying why, and, when restartAfter is
// positive, restarts it that long after. Crashing a crashed actor does
// nothing.
func (a *Actor) CrashFor(restartAfter time.Duration, why string) {
	if !a.up {
		return
	}
	a.Crash(why)
	if restartAfter > 0 {
		a.world.After(restartAfter, nil, func() {
			a.Restart("after " + trace.FormatDuration(restartAfter) + " down")
		})
	}
}
