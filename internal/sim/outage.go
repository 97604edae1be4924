package sim

import "github.com/msgplay/msgplay/internal/trace"

// ScheduleOutage tells an outage of the actor named actor during win as
// fault events: at win.From "down until TO: " then failing (what fails
// meanwhile), at win.To "back up: " then back; the end counts as progress.
// What fails is the owner's to decide. The zero window schedules nothing.
func (w *World) ScheduleOutage(actor string, win Window, failing, back string) {
	if win == (Window{}) {
		return
	}
	w.planned = append(w.planned, plannedFault{actor + " down " + win.String(), win.From})
	w.At(win.From, nil, func() {
		w.Emit(trace.Event{Kind: trace.Fault, Actor: actor,
			Note: "down until " + trace.FormatDuration(win.To) + ": " + failing})
	})
	w.At(win.To, nil, func() {
		w.Emit(trace.Event{Kind: trace.Fault, Actor: actor, Note: "back up: " + back})
		w.Progress()
	})
}
