package cmd

import (
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Formats lists the values --format takes.
var Formats = []string{"text", "json"}

// runOptions are the flags every pattern command takes.
type runOptions struct {
	seed   uint64
	until  time.Duration
	format string
	quiet  bool
}

func addRunFlags(c *cobra.Command, o *runOptions) {
	o.seed, o.format = 1, "text"
	f := c.Flags()
	f.Uint64Var(&o.seed, "seed", o.seed, "seed of every random choice: the same seed gives the same run")
	f.Var(durationValue{&o.until}, "until", "stop at this virtual time (default: when every message is settled)")
	f.Var(&choiceValue{s: &o.format, what: "a format", choices: Formats}, "format",
		"output format: "+strings.Join(Formats, " or "))
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print only the header and the summary")
}

func (o *runOptions) common() patterns.Common {
	return patterns.Common{Seed: o.seed, Until: o.until}
}

// colorOn decides whether to draw colors: --color always or never wins;
// auto means a terminal, NO_COLOR unset and TERM not dumb.
func (app *App) colorOn() bool {
	switch app.Color {
	case "always":
		return true
	case "never":
		return false
	}
	io := app.IO
	return io.OutIsTerminal && io.Getenv("NO_COLOR") == "" && io.Getenv("TERM") != "dumb"
}

// flusher is a sink that buffers and must be flushed at the end.
type flusher interface {
	trace.Sink
	Flush() error
}

// simulate runs a pattern with the renderer the flags ask for and writes
// its output.
func (app *App) simulate(o *runOptions, run func(out trace.Sink) *trace.Report) error {
	var out flusher
	switch o.format {
	case "json":
		if o.quiet {
			out = &summaryOnly{flusher: trace.NewJSON(app.IO.Out)}
		} else {
			out = trace.NewJSON(app.IO.Out)
		}
	default:
		out = trace.NewText(app.IO.Out, trace.TextOptions{Color: app.colorOn(), Quiet: o.quiet})
	}
	run(out)
	if err := out.Flush(); err != nil {
		return &failure{code: ExitFailure, msg: "writing the output: " + err.Error()}
	}
	return nil
}

// summaryOnly passes on only the run and summary events.
type summaryOnly struct{ flusher }

func (s *summaryOnly) Event(e *trace.Event) {
	if e.Kind == trace.Run || e.Kind == trace.Summary {
		s.flusher.Event(e)
	}
}
