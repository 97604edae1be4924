// Package cmd wires msgplay's commands: it parses flags into a pattern's
// Config, runs the pattern and picks the renderer. It holds no simulation
// logic.
package cmd

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are the streams and environment a command works with, injected
// so tests can drive commands without a terminal.
type IOStreams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer

	// InIsTerminal reports whether In is a terminal: the tour pages its
	// runs a screen at a time only when both In and Out are.
	InIsTerminal bool
	// OutIsTerminal reports whether Out is a terminal; color is on in auto
	// mode only then.
	OutIsTerminal bool
	// ErrIsTerminal reports whether Err is a terminal; progress bars are
	// drawn only then.
	ErrIsTerminal bool
	// Getenv reads the environment (NO_COLOR, TERM).
	Getenv func(string) string
	// Interrupt, if not nil, stands for Ctrl-C: check stops when it is
	// closed. nil means the process's own interrupt signal.
	Interrupt <-chan struct{}
}

// System returns the process's own streams and environment.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InIsTerminal:  term.IsTerminal(int(os.Stdin.Fd())),
		OutIsTerminal: term.IsTerminal(int(os.Stdout.Fd())),
		ErrIsTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		Getenv:        os.Getenv,
	}
}

// stickyWriter passes writes on to w and keeps the first error, for
// writers whose callers drop errors (cobra's help).
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	s.err = err
	return n, err
}
