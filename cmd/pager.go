package cmd

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"
)

// pager shows what is written to it a screen at a time, as less does:
// when a screen is full it asks for Enter (the next screen) or q (the
// end), and takes the prompt and the echoed line back once answered. The
// tour writes through it when it runs on a terminal. After q, or Ctrl-C,
// it drops what is written and says so with quit and interrupted.
type pager struct {
	w           io.Writer
	lines       <-chan string   // lines typed by the reader
	interrupt   <-chan struct{} // closed on Ctrl-C
	height      int             // lines per screen, the prompt's included
	used        int             // lines shown since the last prompt
	quit        bool            // the reader typed q
	interrupted bool            // the reader pressed Ctrl-C
}

// pagerPrompt asks for the next screen; pagerErase takes it and the line
// the terminal echoed back.
const (
	pagerPrompt = "── Enter: next screen · q then Enter: end the tour ──"
	pagerErase  = "\x1b[1A\x1b[2K\r"
)

// Write implements io.Writer: it writes p line by line, waiting for the
// reader whenever a screen is full.
func (p *pager) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 && !p.done() {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line = b[:i+1]
		}
		if _, err := p.w.Write(line); err != nil {
			return 0, err
		}
		b = b[len(line):]
		if line[len(line)-1] == '\n' {
			p.used++
			if p.used >= p.height-1 {
				p.wait()
			}
		}
	}
	return n, nil
}

// done reports whether the reader ended the tour.
func (p *pager) done() bool { return p.quit || p.interrupted }

// wait asks for the next screen and waits for the answer.
func (p *pager) wait() {
	io.WriteString(p.w, pagerPrompt)
	select {
	case line, ok := <-p.lines:
		io.WriteString(p.w, pagerErase)
		if ok && strings.EqualFold(strings.TrimSpace(line), "q") {
			p.quit = true
		}
	case <-p.interrupt:
		p.interrupted = true
	}
	p.used = 0
}

// fresh starts a new screen: the reader has just answered a prompt of
// the tour's own.
func (p *pager) fresh() { p.used = 0 }

// height is how many lines a screen of the terminal holds: its own size
// when stdout is one, else $LINES, else 35 (a projector's 100×35).
func (app *App) height() int {
	if f, ok := app.IO.Out.(*os.File); ok && app.IO.OutIsTerminal {
		if _, h, err := term.GetSize(int(f.Fd())); err == nil && h > 2 {
			return h
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(app.IO.Getenv("LINES"))); err == nil && n > 2 {
		return n
	}
	return 35
}
