package trace

import (
	"math"
	"strings"
	"time"
)

// MinSpeed and MaxSpeed bound PaceOptions.Speed: a thousand times slower
// than real time to a thousand times faster. The Pacer holds any speed to
// this range, so a wait never overflows a time.Duration.
const (
	MinSpeed = 0.001
	MaxSpeed = 1000
)

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
// When the reader stops the run (q, or Ctrl-C), Stop reports why; the run
// asks it between steps and ends, and the Pacer lets nothing but the
// summary through in the meantime.
type Pacer struct {
	next        Sink
	flush       func() error
	opt         PaceOptions
	last        time.Duration
	stepped     bool   // input ended: go on without waiting
	stop        string // why the reader stopped the run, once they did
	interrupted bool   // stopped by Ctrl-C rather than q
}

// Stop returns why the reader stopped the run, or "" while it goes on.
func (p *Pacer) Stop() string { return p.stop }

// Interrupted reports whether the reader stopped the run with Ctrl-C.
func (p *Pacer) Interrupted() bool { return p.interrupted }

func (p *Pacer) halt(interrupted bool) {
	p.interrupted = interrupted
	if interrupted {
		p.stop = "interrupted at " + FormatDuration(p.last)
	} else {
		p.stop = "stopped with q at " + FormatDuration(p.last)
	}
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
	if p.stop != "" {
		return
	}
	if e.Kind != Run && p.opt.Speed > 0 && e.T > p.last {
		d := paceWait(e.T-p.last, p.opt.Speed)
		if !p.opt.Sleep(d, p.opt.Interrupt) {
			p.halt(true)
			return
		}
	}
	select {
	case <-p.opt.Interrupt:
		p.halt(true)
		return
	default:
	}
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
				p.halt(false)
			}
		case <-p.opt.Interrupt:
			p.halt(true)
		}
	}
}

// paceWait is the wall-clock wait for virtual time v at speed, with speed
// held to MinSpeed..MaxSpeed and the wait saturated at the longest
// time.Duration.
func paceWait(v time.Duration, speed float64) time.Duration {
	w := float64(v) / min(max(speed, MinSpeed), MaxSpeed)
	if w >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(w)
}
