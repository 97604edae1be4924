//go:build live

package cmd

import (
	"errors"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// liveEnd is what ends a live run from outside other than Ctrl-C: the
// output's reader going away (`msgplay pubsub --live | head`), SIGTERM
// (kill, timeout, systemd) or SIGHUP (the terminal closed). Each would
// kill msgplay at once and leave the embedded server's store and the
// SQLite files behind; watched, it stops the run instead, so they are
// removed, and msgplay exits as the signal would have made it.
type liveEnd struct {
	once   sync.Once
	done   chan struct{}
	signal syscall.Signal
}

// watchEnds starts watching SIGTERM and SIGHUP, and makes a write to a
// closed pipe fail instead of killing msgplay; see liveEnd.watch.
func watchEnds() *liveEnd {
	e := &liveEnd{done: make(chan struct{})}
	// Ignored, SIGPIPE no longer kills: the write fails with EPIPE. Only
	// a failed write to the output counts (liveEnd.watch): a NATS socket
	// whose server died fails its own way, as a broker failure.
	signal.Ignore(syscall.SIGPIPE)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		sig := <-ch
		signal.Stop(ch) // a second one kills at once
		e.end(sig.(syscall.Signal))
	}()
	return e
}

func (e *liveEnd) end(sig syscall.Signal) {
	e.once.Do(func() {
		e.signal = sig
		close(e.done)
	})
}

// ended reports whether the run must stop.
func (e *liveEnd) ended() bool { return isClosed(e.done) }

// why says what ended the run, for the summary.
func (e *liveEnd) why() string {
	switch e.signal {
	case syscall.SIGPIPE:
		return "the output pipe closed"
	case syscall.SIGHUP:
		return "SIGHUP (the terminal closed)"
	}
	return "SIGTERM"
}

// code returns the exit code a shell shows for a process the signal
// killed: 128 plus its number.
func (e *liveEnd) code() int { return 128 + int(e.signal) }

// watch returns w, ending the run when a write to it fails because its
// reader went away.
func (e *liveEnd) watch(w io.Writer) io.Writer { return pipeWatch{w, e} }

type pipeWatch struct {
	w io.Writer
	e *liveEnd
}

func (p pipeWatch) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	if errors.Is(err, syscall.EPIPE) {
		p.e.end(syscall.SIGPIPE)
	}
	return n, err
}
