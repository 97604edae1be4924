//go:build live

package cmd

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/live"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

func init() {
	liveMode = addLive
	liveCommands = append(liveCommands, newServeCmd, newJoinCmd)
}

// MaxTimeScale is the highest --time-scale: a step of a millisecond may
// take 17 minutes, slower than any room needs.
const MaxTimeScale = 1e6

// liveOptions are the flags of a live run.
type liveOptions struct {
	on     bool
	broker string
	token  string
	scale  float64
}

// addLiveFlags adds the broker flags to f; join takes them too.
func addLiveFlags(f *pflag.FlagSet, o *liveOptions) {
	o.scale = 1
	f.StringVar(&o.broker, "broker", "", "the broker's `URL`, nats://HOST:PORT (default: an embedded server with no port)")
	f.StringVar(&o.token, "token", "", "the token the broker asks for (msgplay serve prints it)")
	f.Var(scaleValue{&o.scale}, "time-scale",
		"make every duration take `X` times longer on the wall clock, 0.001 to 1000000 (10: a 50ms step takes 500ms)")
}

// scaleValue is --time-scale.
type scaleValue struct{ f *float64 }

func (v scaleValue) String() string { return strconv.FormatFloat(*v.f, 'g', -1, 64) }
func (v scaleValue) Type() string   { return "X" }
func (v scaleValue) Set(s string) error {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(f >= 0.001 && f <= MaxTimeScale) {
		return fmt.Errorf("%q is not a time scale: want a factor from 0.001 to %g, such as 10", s, MaxTimeScale)
	}
	*v.f = f
	return nil
}

// livePatterns returns the names of the patterns that run live.
func livePatterns() string {
	var names []string
	for _, p := range patternList {
		if p.live != "" {
			names = append(names, p.name)
		}
	}
	return patterns.OrList(names)
}

// addLive adds --live and the broker flags to the command of pattern p and
// wraps its run: with --live the scenario runs on NATS JetStream.
func addLive(app *App, p pattern, c *cobra.Command, s scenario, run *runOptions) {
	var o liveOptions
	own := map[string]bool{} // the pattern's own flags, which a join process takes over
	c.Flags().VisitAll(func(f *pflag.Flag) { own[f.Name] = true })
	for _, name := range []string{"seed", "until", "format", "quiet", "explain", "html", "max-events", "only",
		"follow", "speed", "step", "help"} {
		delete(own, name)
	}
	c.Flags().BoolVar(&o.on, "live", false,
		"run on a real broker, NATS JetStream, on the wall clock (patterns: "+livePatterns()+")")
	addLiveFlags(c.Flags(), &o)
	simulate := c.RunE
	c.RunE = func(c *cobra.Command, args []string) error {
		f := c.Flags()
		if !o.on {
			for _, name := range []string{"broker", "token", "time-scale"} {
				if f.Changed(name) {
					return usagef("--%s needs --live", name)
				}
			}
			return simulate(c, args)
		}
		if p.live == "" {
			return usagef("--live: %s has no live mode; the patterns that run live: %s", p.name, livePatterns())
		}
		if run.paced() {
			return usagef("--live runs on the wall clock: --speed and --step do not apply (use --time-scale)")
		}
		if err := s.ready(); err != nil {
			return usagef("%v", err)
		}
		if err := liveReady(s.config()); err != nil {
			return usagef("%v", err)
		}
		var given []string
		f.Visit(func(fl *pflag.Flag) {
			if own[fl.Name] && fl.Name != "crash" {
				given = append(given, "--"+fl.Name+"="+fl.Value.String())
			}
		})
		b, err := live.Open(live.Options{URL: o.broker, Token: o.token, TimeScale: o.scale, Args: given})
		if err != nil {
			return liveError(err)
		}
		defer b.Close()
		return app.runLive(run, b, s.runner())
	}
}

// liveReady refuses what a live broker cannot do: a pattern's config
// says so with LiveReady.
func liveReady(cfg any) error {
	if c, ok := cfg.(interface{ LiveReady() error }); ok {
		return c.LiveReady()
	}
	return nil
}

// liveError turns an error opening the broker into a usage error (a bad
// URL, exit 2) or a connection failure (exit 1).
func liveError(err error) error {
	if errors.Is(err, live.ErrUsage) {
		return usagef("%s", strings.TrimPrefix(err.Error(), live.ErrUsage.Error()+": "))
	}
	return &failure{code: ExitFailure, msg: err.Error()}
}

// runLive runs a live scenario with the output the run flags ask for.
// Ctrl-C stops it with the summary so far and exit 130; a broker failure
// stops it at once, with the summary so far, and exits 1. A closed output
// pipe, SIGTERM or SIGHUP stops it at once and exits as the signal would
// have (141, 143, 129), silently, but only after the caller has closed
// the broker and removed the embedded server's and SQLite's files.
func (app *App) runLive(run *runOptions, b *live.Broker, runner patterns.Runner) error {
	run.live = true
	stop, ends := app.interrupt(), watchEnds()
	w := app.IO.Out
	if run.out != nil {
		w = run.out
	}
	run.out = ends.watch(w)
	halt := func() string {
		switch {
		case isClosed(stop):
			return "interrupted (Ctrl-C)"
		case ends.ended():
			return "stopped: " + ends.why()
		case b.Err() != nil:
			// What the broker failed to do will not happen: waiting for it
			// would only wait for the idle limit.
			return "stopped: the live broker failed"
		}
		return ""
	}
	err := app.simulate(run, func(out trace.Sink, _ func() string) *trace.Report {
		c := run.common()
		c.Halt, c.Live = halt, b
		return runner(c, out)
	})
	if ends.ended() {
		return &failure{code: ends.code()}
	}
	if err != nil {
		return err
	}
	if err := b.Err(); err != nil {
		return &failure{code: ExitFailure, msg: err.Error()}
	}
	if isClosed(stop) {
		return &failure{code: ExitInterrupted}
	}
	return nil
}
