package cmd

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// patternDef is everything msgplay needs to know about a pattern to offer
// it as a command, sweep it with `check` and describe it with `explain`.
type patternDef struct {
	name     string
	aliases  []string
	summary  string // one line, for `msgplay list`
	about    string // the long help
	demos    []patterns.Demo
	variants []patterns.ArgsVariant

	// faults are the flags that turn faults on for a sweep: msgplay's own
	// tests hold every variant to its guarantees under them, and demand
	// that each broken variant gets caught.
	faults []string

	// flags registers the pattern's own flags on fs and returns the function
	// that, once fs is parsed, validates them and builds the runner. A
	// validation error is a usage error and names the flag.
	flags func(fs *pflag.FlagSet) func() (patterns.Runner, error)
}

// patternDefs are the patterns, in the order `msgplay list` shows them.
var patternDefs = []func() patternDef{
	competingDef,
	pubsubDef,
	sagaDef,
	outboxDef,
	loadLevelDef,
}

// newPatternCmd makes the command that runs one simulation of def.
func newPatternCmd(app *App, def patternDef) *cobra.Command {
	var run runOptions
	c := &cobra.Command{
		Use:     def.name,
		Aliases: def.aliases,
		Short:   def.summary,
		Long:    def.about,
		Example: examples(def.name, def.demos),
		Args:    noArgs,
	}
	build := def.flags(c.Flags())
	addRunFlags(c, &run)
	c.RunE = func(c *cobra.Command, args []string) error {
		runner, err := build()
		if err != nil {
			return usagef("%v", err)
		}
		return app.simulate(&run, func(out trace.Sink, halt func() string) *trace.Report {
			c := run.common()
			c.Halt = halt
			return runner(c, out)
		})
	}
	return c
}
