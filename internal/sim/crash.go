package sim

import (
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// Crash is a scheduled crash: the actor named Actor goes down at the virtual
// time At. It is what every pattern's --crash NAME@TIME flag holds.
type Crash struct {
	Actor string
	At    time.Duration
}

// String returns the crash as its flag is written, such as worker-2@150ms.
func (c Crash) String() string { return c.Actor + "@" + trace.FormatDuration(c.At) }

// ScheduleCrashes schedules each crash on the actor it names; a crashed
// actor restarts after restartAfter (0 = it stays down). Crashes naming no
// actor of the world are skipped: a pattern's Validate refuses them first.
func (w *World) ScheduleCrashes(crashes []Crash, restartAfter time.Duration) {
	for _, c := range crashes {
		if a, ok := w.Lookup(c.Actor); ok {
			a.CrashAt(c.At, restartAfter)
			w.planned = append(w.planned, plannedFault{"crash " + c.String(), c.At})
		}
	}
}

// plannedFault is a fault a user asked for, as its flag is written, and the
// virtual time it starts.
type plannedFault struct {
	flag string
	at   time.Duration
}

// Unhappened says, one line each, which faults scheduled with
// ScheduleCrashes or ScheduleOutage start after now, the end of the run:
// "crash relay@120ms never happened: the run ended at 115ms". A reader who
// asked for a fault must not believe the run met it.
func (w *World) Unhappened() []string {
	var out []string
	for _, f := range w.planned {
		if f.at > w.now {
			out = append(out, f.flag+" never happened: the run ended at "+trace.FormatDuration(w.now))
		}
	}
	return out
}
