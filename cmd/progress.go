package cmd

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
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
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if done < total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	const width = 30
	filled := width * done / total
	left := ""
	if done > 0 && done < total {
		rest := time.Duration(float64(now.Sub(p.start)) / float64(done) * float64(total-done))
		left = " · " + rest.Round(100*time.Millisecond).String() + " left"
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d runs%s\x1b[K", strings.Repeat("█", filled), strings.Repeat("░", width-filled), done, total, left)
	p.drawn = true
}

// finish clears the bar.
func (p *progress) finish() {
	if p.w != nil && p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
