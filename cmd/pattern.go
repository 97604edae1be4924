package cmd

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/claimcheck"
	"github.com/msgplay/msgplay/patterns/competing"
	"github.com/msgplay/msgplay/patterns/loadlevel"
	"github.com/msgplay/msgplay/patterns/ordering"
	"github.com/msgplay/msgplay/patterns/outbox"
	"github.com/msgplay/msgplay/patterns/partition"
	"github.com/msgplay/msgplay/patterns/priority"
	"github.com/msgplay/msgplay/patterns/pubsub"
	"github.com/msgplay/msgplay/patterns/requestreply"
	"github.com/msgplay/msgplay/patterns/retry"
	"github.com/msgplay/msgplay/patterns/saga"
)

// patternList holds the patterns, in the order `msgplay list` shows them:
// each a pattern's Definition and the function in its cmd file that binds
// its flags. Adding a pattern is one line here.
var patternList = []pattern{
	patternOf(competing.Definition, bindCompeting),
	patternOf(pubsub.Definition, bindPubsub),
	patternOf(saga.Definition, bindSaga),
	patternOf(outbox.Definition, bindOutbox),
	patternOf(ordering.Definition, bindOrdering),
	patternOf(loadlevel.Definition, bindLoadLevel),
	patternOf(requestreply.Definition, bindRequestReply),
	patternOf(retry.Definition, bindRetry),
	patternOf(claimcheck.Definition, bindClaimCheck),
	patternOf(priority.Definition, bindPriority),
	patternOf(partition.Definition, bindPartition),
}

// binder binds a pattern's flags on f to the fields of c, which holds the
// pattern's defaults; the flags' own defaults are read from c. It returns
// nil, or a function that checks, once f is parsed, what only the flags
// know (such as which flag was given) and may adjust c; it runs before
// Validate, after a variant is applied.
type binder[C patterns.Config] func(f *pflag.FlagSet, c *C) func() error

// pattern is a pattern with its Config type erased: what the root command,
// list, check, explain and the tour need of it.
type pattern struct {
	name, summary, about string
	aliases              []string
	demos                []patterns.Demo
	variants             []variantInfo
	tour                 *patterns.Chapter
	intro                []patterns.Intro
	hasFaults            bool
	live                 string // how it maps onto JetStream with --live (in the live build); "" for none

	// bind makes a scenario with the pattern's defaults and adds its flags,
	// bound to that scenario, to fs.
	bind func(fs *pflag.FlagSet) scenario
}

// variantInfo is what is said about a variant: its name, what it does and
// the checks it guarantees.
type variantInfo struct {
	name, about string
	guarantees  []string
}

// patternOf erases the Config type of def, whose flags bind binds.
func patternOf[C patterns.Config](def patterns.Def[C], bind binder[C]) pattern {
	p := pattern{name: def.Name, summary: def.Summary, about: def.About, aliases: def.Aliases,
		demos: def.Demos, tour: def.Tour, intro: def.Intro, hasFaults: def.Faults != nil, live: def.Live}
	for _, v := range def.Variants {
		p.variants = append(p.variants, variantInfo{v.Name, v.About, v.Guarantees})
	}
	p.bind = func(fs *pflag.FlagSet) scenario {
		s := &scenarioOf[C]{def: &def, cfg: def.Default(), flags: pflag.NewFlagSet(def.Name, pflag.ContinueOnError)}
		s.check = bind(s.flags, &s.cfg)
		fs.AddFlagSet(s.flags)
		return s
	}
	return p
}

// variantIndex returns the index of the variant called name, or -1.
func (p pattern) variantIndex(name string) int {
	for i, v := range p.variants {
		if v.name == name {
			return i
		}
	}
	return -1
}

// command returns the command that runs one simulation of p.
func (p pattern) command(app *App) *cobra.Command {
	var run runOptions
	c := &cobra.Command{
		Use:     p.name,
		Aliases: p.aliases,
		Short:   p.summary,
		Long:    p.about + "\n\n" + durationCeiling,
		Example: examples(p.name, p.demos),
		Args:    noArgs,
	}
	s := p.bind(c.Flags())
	addRunFlags(c, &run)
	c.RunE = func(c *cobra.Command, args []string) error {
		if err := s.ready(); err != nil {
			return usagef("%v", err)
		}
		runner := s.runner()
		return app.simulate(&run, func(out trace.Sink, halt func() string) *trace.Report {
			c := run.common()
			c.Halt, c.Intro = halt, p.intro
			return runner(c, out)
		})
	}
	if liveMode != nil {
		liveMode(app, p, c, s, &run)
	}
	return c
}

// durationCeiling ends every pattern's help: the one ceiling all its
// duration and time flags share.
var durationCeiling = "Every duration and virtual time a flag takes is at most " + sim.MaxTimeText + "."

// findPattern returns the pattern called name, or one of its aliases.
func findPattern(name string) (pattern, bool) {
	for _, p := range patternList {
		if p.name == name {
			return p, true
		}
		for _, a := range p.aliases {
			if a == name {
				return p, true
			}
		}
	}
	return pattern{}, false
}

// patternNames returns the names of the patterns, in the list's order.
func patternNames() []string {
	var names []string
	for _, p := range patternList {
		names = append(names, p.name)
	}
	return names
}
