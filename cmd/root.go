package cmd

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/msgplay/msgplay/patterns"
)

// App is what every command shares: the streams, the arguments msgplay
// was run with and the global flags.
type App struct {
	IO    *IOStreams
	Args  []string // the arguments after "msgplay", to show how to run it again
	Color string   // auto, always or never
}

// Main runs msgplay with the process's arguments and streams and returns
// the exit code.
func Main() int { return Run(os.Args[1:], System()) }

// Run runs msgplay with args and ios and returns the exit code. Errors are
// printed to ios.Err as one line.
func Run(args []string, ios *IOStreams) (code int) {
	defer recoverPanic(ios, args, &code)
	gcFloor.Do(setGCFloor)
	root := NewRootCmd(ios, args)
	// Help and usage go through cobra's writer: remember its first error,
	// so `msgplay --help > /dev/full` fails like any other output.
	help := &stickyWriter{w: ios.Out}
	root.SetOut(help)
	root.SetArgs(joinStepMode(args))
	err := root.Execute()
	if err == nil && help.err != nil {
		err = &failure{code: ExitFailure, msg: "writing the output: " + help.err.Error()}
	}
	if err == nil {
		return ExitOK
	}
	var f *failure
	if errors.As(err, &f) {
		if f.msg != "" {
			fmt.Fprintln(ios.Err, "msgplay: "+f.msg)
		}
		return f.code
	}
	fmt.Fprintln(ios.Err, "msgplay: "+usageLine(err))
	return ExitUsage
}

// recoverPanic turns a panic into one line on ios.Err and ExitFailure: a
// bug in msgplay is not a usage error, and a script must not read it as
// one. Deferred by Run.
func recoverPanic(ios *IOStreams, args []string, code *int) {
	if p := recover(); p != nil {
		fmt.Fprintf(ios.Err, "msgplay: internal error: %s, please report with this command: msgplay %s\n",
			oneLine(fmt.Sprint(p)), strings.Join(args, " "))
		*code = ExitFailure
	}
}

// usageLine turns any error from parsing the command line into one line.
func usageLine(err error) string {
	var u *usageError
	if errors.As(err, &u) {
		return u.msg
	}
	msg := err.Error()
	first := oneLine(msg)
	if strings.HasPrefix(first, "unknown command") {
		// Cobra's own: unknown command "x" for "msgplay completion bash".
		if rest, path, ok := strings.Cut(first, ` for "`); ok && path != `msgplay"` {
			path = strings.TrimSuffix(path, `"`)
			return lead(path) + rest + ": see '" + path + " --help'"
		}
		first = strings.TrimSuffix(first, ` for "msgplay"`)
		if _, rest, ok := strings.Cut(msg, "Did you mean this?"); ok {
			if s := strings.Fields(rest); len(s) > 0 {
				first += " (did you mean " + s[0] + "?)"
			}
		}
		if name, ok := strings.CutPrefix(first, "unknown command "); ok {
			first += liveHint(strings.Trim(name, `"`))
		}
		return first + ": see 'msgplay list' or 'msgplay --help'"
	}
	return first
}

// NewRootCmd returns the msgplay command with every subcommand, working
// with ios; args are the arguments it will be run with (after "msgplay"),
// which a page written with --html shows as the way to run it again.
func NewRootCmd(ios *IOStreams, args []string) *cobra.Command {
	app := &App{IO: ios, Args: args, Color: "auto"}
	root := &cobra.Command{
		Use:   "msgplay",
		Short: "A playground for asynchronous messaging patterns",
		Long: `msgplay simulates messaging patterns — competing consumers, publish/subscribe,
sagas, the transactional outbox, ordering, load leveling, request-reply,
retries and redrive, the claim check, priority queues, CAP under a
partition — inside one process, on virtual time, and prints the life of
every message: sent, delivered, acked, redelivered, dead-lettered, lost.
One seed gives one run, byte for byte, on any machine. 'msgplay list' names them all.

A command (cmd, ▶) is a message that expects an outcome from one receiver;
an event (evt, ▷) announces a fact to whoever listens and expects nothing.`,
		Example: `  msgplay list
  msgplay competing
  msgplay competing --crash worker-2@30ms --seed 7`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.Err)
	root.SetFlagErrorFunc(flagError)
	root.PersistentFlags().Var(choice(&app.Color, "a color mode", "auto", "always", "never"),
		"color", "color the output: auto (when stdout is a terminal and NO_COLOR is unset), always or never")
	root.RunE = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef("unknown command %q: see 'msgplay list' or 'msgplay --help'", args[0])
		}
		return c.Help()
	}
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := root.Find(args)
			if err != nil || len(rest) > 0 {
				return usagef("no help topic %q: see 'msgplay list' or 'msgplay --help'", strings.Join(args, " "))
			}
			return target.Help()
		},
	})
	root.AddCommand(newListCmd(app), newCheckCmd(app), newCompareCmd(app), newExplainCmd(app))
	root.AddCommand(newTourCmd(app))
	for _, p := range patternList {
		root.AddCommand(p.command(app))
	}
	for _, mk := range liveCommands {
		root.AddCommand(mk(app))
	}
	refuseUnknownShells(root)
	return root
}

// refuseUnknownShells makes `msgplay completion SHELL` a usage error for a
// shell cobra's completion command does not know: without a Run of its
// own it printed its help and exited 0.
func refuseUnknownShells(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	comp, _, err := root.Find([]string{"completion"})
	if err != nil || comp == root {
		return
	}
	comp.Args = cobra.ArbitraryArgs
	comp.RunE = func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return c.Help()
		}
		var shells []string
		for _, s := range c.Commands() {
			shells = append(shells, s.Name())
		}
		return usagef("completion: no shell %q: want %s", args[0], patterns.OrList(shells))
	}
}

// noArgs rejects positional arguments with a usage error.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return extraArgs(c.CommandPath(), args[0])
	}
	return nil
}
