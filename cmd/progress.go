package cmd

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// progress draws a bar with an estimate of the time left on stderr, when
// stderr is a terminal; otherwise it draws nothing. It reads the wall clock,
// which is fine: it never reaches stdout or a simulation.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	last  time.Time
	drawn bool
}

func newProgress(ios *IOStreams) *progress {
	if !ios.ErrIsTerminal {
		return &progress{}
	}
	return &progress{w: ios.Err, start: time.Now()}
}

// update redraws the bar at most ten times a second.
func (p *progress) update(done, total int) {
	p.draw(done >= total, func(now time.Time) string {
		const width = 30
		filled := width * done / total
		left := ""
		if done > 0 && done < total {
			rest := time.Duration(float64(now.Sub(p.start)) / float64(done) * float64(total-done))
			left = " · " + rest.Round(100*time.Millisecond).String() + " left"
		}
		return fmt.Sprintf("[%s%s] %d/%d runs%s", strings.Repeat("█", filled), strings.Repeat("░", width-filled), done, total, left)
	})
}

// draw replaces the line with what line returns, at most ten times a
// second unless now is set.
func (p *progress) draw(now bool, line func(now time.Time) string) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t := time.Now()
	if !now && t.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = t
	fmt.Fprintf(p.w, "\r%s\x1b[K", line(t))
	p.drawn = true
}

// finish clears the bar.
func (p *progress) finish() {
	if p.w != nil && p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// runBudget is how long a run goes on, in wall-clock time, before it shows
// its progress: a run shorter than this shows nothing. Tests lower it.
var runBudget = 2 * time.Second

// progressEvery is how many events pass between two looks at the wall
// clock: a counter is all a run pays per event.
const progressEvery = 1 << 14

// runProgress is a sink that shows on stderr, once a run has taken
// runBudget, how far it has come in virtual time (of --until, when set)
// and how many messages have settled. It draws nothing when stderr is not
// a terminal, so pipes and golden files never see it.
type runProgress struct {
	bar     *progress
	until   time.Duration
	events  int
	settled int64
	now     time.Duration
}

// newRunProgress returns the sink, or nil when nothing is to be drawn.
func newRunProgress(ios *IOStreams, until time.Duration) *runProgress {
	if !ios.ErrIsTerminal {
		return nil
	}
	return &runProgress{bar: newProgress(ios), until: until}
}

// Event counts the event and, every progressEvery events past the budget,
// redraws the line.
func (r *runProgress) Event(e *trace.Event) {
	switch e.Kind {
	case trace.Ack, trace.DeadLetter, trace.Drop:
		r.settled++
	}
	r.events++
	if r.events%progressEvery != 0 {
		return
	}
	r.now = e.T
	if time.Since(r.bar.start) < runBudget {
		return
	}
	r.bar.draw(false, func(time.Time) string {
		at := "virtual time " + trace.FormatDuration(r.now)
		if r.until > 0 {
			at += " of --until " + trace.FormatDuration(r.until)
		}
		return "running… " + at + " · " + strconv.FormatInt(r.settled, 10) + " messages settled"
	})
}

// finish clears the line, if one was drawn.
func (r *runProgress) finish() {
	if r != nil {
		r.bar.finish()
	}
}
