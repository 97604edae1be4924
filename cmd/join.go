//go:build live

package cmd

import (
	"fmt"
	"os"
	"regexp"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/live"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/competing"
	"github.com/msgplay/msgplay/patterns/pubsub"
)

// joiners run one more worker of a pattern's live run, by pattern name.
var joiners = map[string]func(cfg any, c patterns.Common, name string, out trace.Sink) *trace.Report{
	competing.Name: func(cfg any, c patterns.Common, name string, out trace.Sink) *trace.Report {
		return cfg.(competing.Config).Join(c, name, out)
	},
	// One more instance of the subscriber name: the actor is name#PID,
	// unlike the presenter's instances and any other join process's.
	pubsub.Name: func(cfg any, c patterns.Common, name string, out trace.Sink) *trace.Report {
		return cfg.(pubsub.Config).Join(c, name, name+"#"+strconv.Itoa(os.Getpid()), out)
	},
}

// presenterName matches the names of a presenter's own actors.
var presenterName = regexp.MustCompile(`^(producer|worker-[0-9]+)$`)

// newJoinCmd returns `msgplay join PATTERN`: one more worker in a live run
// going on elsewhere.
func newJoinCmd(app *App) *cobra.Command {
	var o liveOptions
	var run runOptions
	var name string
	c := &cobra.Command{
		Use:   "join PATTERN",
		Short: "Join a live run as one more worker or subscriber",
		Long: `join adds this process to a live run going on at --broker: competing, as one
more worker called --name; pubsub, as one more instance, called NAME#PID, of
the subscriber --name, sharing its subscription. The presenter's trace shows
its deliveries and acks. It takes the run's own flags (work time, ack mode,
prefetch, poison, filters …) from the broker, waiting up to ` + live.JoinWait.String() + ` for the
run to begin, and ends when the run does. Killing it (Ctrl-C, kill -9) is a
real crash: what it held unacked is delivered again to another worker or
instance after the run's AckWait.

Patterns that can be joined: competing, pubsub.`,
		Example: `  msgplay join competing --broker nats://192.168.1.20:4222 --token T --name ada
  msgplay join pubsub --broker nats://192.168.1.20:4222 --token T --name email`,
	}
	addRunFlags(c, &run)
	f := c.Flags()
	f.StringVar(&name, "name", "", "the worker's `NAME` in the run, as ada; pubsub: the subscriber's, as email")
	addLiveFlags(f, &o)
	f.Lookup("time-scale").Hidden = true // the run's own scale applies
	c.Args = func(c *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usagef("join takes one pattern (competing or pubsub), as msgplay join competing --broker URL --name NAME")
		}
		return nil
	}
	c.RunE = func(c *cobra.Command, args []string) error {
		join, ok := joiners[args[0]]
		p, found := findPattern(args[0])
		switch {
		case !ok || !found:
			return usagef("join %s: only competing and pubsub can be joined", args[0])
		case o.broker == "":
			return usagef("join needs --broker nats://HOST:PORT: the run to join")
		case name == "":
			return usagef("join needs --name NAME: what the run calls this worker")
		case presenterName.MatchString(name) || len(name) > 32:
			return usagef("--name %q: pick another, at most 32 characters (producer and worker-N are the presenter's)", name)
		case c.Flags().Changed("time-scale"):
			return usagef("--time-scale: a join process takes the run's own")
		case run.paced():
			return usagef("join runs on the wall clock: --speed and --step do not apply")
		}
		b, err := live.Open(live.Options{URL: o.broker, Token: o.token, Join: name})
		if err != nil {
			return liveError(err)
		}
		defer b.Close()
		given, _, err := b.RunArgs(p.name)
		if err != nil {
			return &failure{code: ExitFailure, msg: err.Error()}
		}
		fs := pflag.NewFlagSet(p.name, pflag.ContinueOnError)
		s := p.bind(fs)
		if err := fs.Parse(given); err != nil {
			return &failure{code: ExitFailure, msg: fmt.Sprintf("the run's flags %q: %v", given, err)}
		}
		if err := s.ready(); err != nil {
			return &failure{code: ExitFailure, msg: fmt.Sprintf("the run's flags %q: %v", given, err)}
		}
		cfg := s.config()
		if j, ok := cfg.(interface{ CanJoin(string) error }); ok {
			if err := j.CanJoin(name); err != nil {
				return usagef("%v", err)
			}
		}
		return app.runLive(&run, b, func(c patterns.Common, out trace.Sink) *trace.Report {
			return join(cfg, c, name, out)
		})
	}
	return c
}
