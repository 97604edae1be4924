package trace

import (
	"strings"
	"time"
)

// Halt is the value a Pacer panics with to end a run early: the reader
// typed q, or pressed Ctrl-C. The command that started the run recovers it
// and prints the summary so far. It never crosses a package boundary
// unrecovered.
type Halt struct {
	Interrupted bool          // Ctrl-C, rather than q
	At          time.Duration // virtual time of the last event shown
}

// Error says why the run ended early.
func (h *Halt) Error() string {
	if h.Interrupted {
		return "interrupted at " + FormatDuration(h.At)
	}
	return "stopped with q at " + FormatDuration(h.At)
}

// PaceOptions set how a Pacer paces.
type PaceOptions struct {
	// Speed replays virtual time against the wall clock at this factor:
	// 1 is real time, 0.1 ten times slower. 0 means no replay.
	Speed float64
	// Step waits for a line from Lines after each event; "q" ends the run.
	Step bool
	// Lines delivers the lines typed by the reader; closed at end of input.
	Lines <-chan string
	// Interrupt is closed when the reader presses Ctrl-C.
	Interrupt <-chan struct{}
	// Sleep waits for d or until stop is closed, and reports whether it
	// waited the whole time; nil means a timer.
	Sleep func(d time.Duration, stop <-chan struct{}) bool
}

// Pacer is a sink that shows a run at a person's pace: it passes each event
// on to a renderer, flushes it, then waits — the virtual time to the next
// event divided by Speed, or for Enter with Step. It waits outside the
// simulation, which stays deterministic: only the wall clock is slowed.
// When the reader stops the run (q, or Ctrl-C) it panics with a *Halt.
type Pacer struct {
	next    Sink
	flush   func() error
	opt     PaceOptions
	last    time.Duration
	stepped bool // input ended: go on without waiting
}

// NewPacer returns a Pacer passing events on to next and calling flush
// after each so the reader sees it at once.
func NewPacer(next Sink, flush func() error, opt PaceOptions) *Pacer {
	if opt.Sleep == nil {
		opt.Sleep = sleep
	}
	return &Pacer{next: next, flush: flush, opt: opt}
}

func sleep(d time.Duration, stop <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-stop:
		return false
	}
}

// Event implements Sink.
func (p *Pacer) Event(e *Event) {
	if e.Kind == Summary {
		p.next.Event(e)
		return
	}
	if e.Kind != Run && p.opt.Speed > 0 && e.T > p.last {
		d := time.Duration(float64(e.T-p.last) / p.opt.Speed)
		if !p.opt.Sleep(d, p.opt.Interrupt) {
			panic(&Halt{Interrupted: true, At: p.last})
		}
	}
	p.interrupted()
	if e.Kind != Run {
		p.last = e.T
	}
	p.next.Event(e)
	p.flush()
	if e.Kind != Run && p.opt.Step && !p.stepped {
		select {
		case line, ok := <-p.opt.Lines:
			if !ok {
				p.stepped = true
				return
			}
			if strings.EqualFold(strings.TrimSpace(line), "q") {
				panic(&Halt{At: p.last})
			}
		case <-p.opt.Interrupt:
			panic(&Halt{Interrupted: true, At: p.last})
		}
	}
}

// interrupted panics with a Halt if Ctrl-C was pressed.
func (p *Pacer) interrupted() {
	select {
	case <-p.opt.Interrupt:
		panic(&Halt{Interrupted: true, At: p.last})
	default:
	}
}
