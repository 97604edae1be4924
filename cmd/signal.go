package cmd

import (
	"os"
	"os/signal"
	"sync"
)

var (
	interruptOnce sync.Once
	interrupted   chan struct{}
)

// interrupts returns a channel closed when the user presses Ctrl-C. From
// the first call on, Ctrl-C no longer kills msgplay at once: paced runs and
// the tour watch the channel, print the summary so far and exit 130.
func interrupts() <-chan struct{} {
	interruptOnce.Do(func() {
		interrupted = make(chan struct{})
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, os.Interrupt)
		go func() {
			<-ch
			close(interrupted)
			signal.Stop(ch) // a second Ctrl-C kills at once
		}()
	})
	return interrupted
}

// cleanTerminal ends the line the terminal echoed ^C on and resets colors,
// so the prompt comes back clean.
func (app *App) cleanTerminal() {
	if app.colorOn() {
		app.IO.Out.Write([]byte("\x1b[0m"))
	}
	app.IO.Out.Write([]byte("\n"))
}

// interrupt returns the channel closed on Ctrl-C: the streams' own, for
// tests, or the process's.
func (app *App) interrupt() <-chan struct{} {
	if app.IO.Interrupt != nil {
		return app.IO.Interrupt
	}
	return interrupts()
}

// isClosed reports whether ch is closed.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
