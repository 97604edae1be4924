package trace

import (
	"io"
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
	// Step waits for a line from Lines after each event (StepEvery) or
	// after each interesting one (StepInteresting); "q" ends the run.
	Step StepMode
	// Prompt, when set, is where the Pacer asks for Enter while it waits
	// for a step (a terminal's stderr); the prompt is erased once answered,
	// with the line the terminal echoed.
	Prompt io.Writer
	// Lines delivers the lines typed by the reader; closed at end of input.
	Lines <-chan string
	// Interrupt is closed when the reader presses Ctrl-C.
	Interrupt <-chan struct{}
	// Sleep waits for d or until stop is closed, and reports whether it
	// waited the whole time; nil means a timer.
	Sleep func(d time.Duration, stop <-chan struct{}) bool
}

// StepMode says after which events a Pacer waits for Enter.
type StepMode uint8

// The step modes.
const (
	NoStep          StepMode = iota
	StepEvery                // after every event
	StepInteresting          // after a crash, drop, timeout, dead letter, compensation, fault or skip
)

// Interesting reports whether e is one --step interesting stops at: where
// something went wrong or was undone.
func Interesting(e *Event) bool {
	switch e.Kind {
	case Crash, Drop, Timeout, DeadLetter, Compensate, Fault, Skip:
		return true
	}
	return false
}

// stepPrompt asks for Enter; promptErase takes it and the echoed line back.
const (
	stepPrompt  = "[Enter: next · q then Enter: stop here] "
	promptErase = "\x1b[1A\x1b[2K\r"
)

// Pacer is a sink that shows a run at a person's pace: it passes each event
// on to a renderer, flushes it, then waits — the virtual time to the next
// event divided by Speed, or for Enter with Step. It waits outside the
// simulation, which stays deterministic: only the wall clock is slowed.
// When the reader stops the run (q, or Ctrl-C), Stop reports why; the run
// asks it between steps and ends there. Until the run has asked, the Pacer
// shows what the step under way emits, without waiting; after that it lets
// nothing but the summary through. So the summary, which counts every
// event emitted, counts exactly the events shown.
type Pacer struct {
	next        Sink
	flush       func() error
	opt         PaceOptions
	last        time.Duration
	stepped     bool   // input ended: go on without waiting
	stop        string // why the reader stopped the run, once they did
	halted      bool   // the run has been told to stop
	interrupted bool   // stopped by Ctrl-C rather than q
}

// Stop returns why the reader stopped the run, or "" while it goes on.
// The run asks it between steps; once it returned a reason the Pacer shows
// nothing more but the summary.
func (p *Pacer) Stop() string {
	if p.stop != "" {
		p.halted = true
	}
	return p.stop
}

// Stopping reports whether the reader asked to stop, whether or not the
// run has been told yet.
func (p *Pacer) Stopping() bool { return p.stop != "" }

// Interrupted reports whether the reader stopped the run with Ctrl-C.
func (p *Pacer) Interrupted() bool { return p.interrupted }

func (p *Pacer) halt(interrupted bool) {
	p.interrupted = interrupted
	if interrupted {
		p.stop = "interrupted at " + FormatDuration(p.last)
	} else {
		p.stop = "stopped early with q at " + FormatDuration(p.last)
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
	if p.halted {
		return
	}
	if p.stop != "" { // the step under way ends without waiting
		p.next.Event(e)
		p.flush()
		return
	}
	if e.Kind != Run {
		// Ctrl-C while waiting ends the run after the step under way,
		// which has begun: e and the rest of the step are still shown.
		waited := p.opt.Speed <= 0 || e.T <= p.last || p.opt.Sleep(paceWait(e.T-p.last, p.opt.Speed), p.opt.Interrupt)
		p.last = e.T
		select {
		case <-p.opt.Interrupt:
			waited = false
		default:
		}
		if !waited {
			p.halt(true)
			p.next.Event(e)
			p.flush()
			return
		}
	}
	p.next.Event(e)
	p.flush()
	if e.Kind != Run && p.waitsAfter(e) && !p.stepped {
		p.waitStep()
	}
}

// waitsAfter reports whether the step mode waits for Enter after e.
func (p *Pacer) waitsAfter(e *Event) bool {
	switch p.opt.Step {
	case StepEvery:
		return true
	case StepInteresting:
		return Interesting(e)
	}
	return false
}

// waitStep waits for a line or Ctrl-C, prompting for it when it may.
func (p *Pacer) waitStep() {
	if p.opt.Prompt != nil {
		io.WriteString(p.opt.Prompt, stepPrompt)
	}
	select {
	case line, ok := <-p.opt.Lines:
		if !ok {
			p.stepped = true
			if p.opt.Prompt != nil {
				io.WriteString(p.opt.Prompt, "\r\x1b[2K")
			}
			return
		}
		if p.opt.Prompt != nil {
			io.WriteString(p.opt.Prompt, promptErase)
		}
		if strings.EqualFold(strings.TrimSpace(line), "q") {
			p.halt(false)
		}
	case <-p.opt.Interrupt:
		p.halt(true)
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
