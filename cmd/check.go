package cmd

import (
	"fmt"
	"io"
	"math"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// maxSeeds bounds --seeds, so a typo cannot start a week-long sweep.
const maxSeeds = 10_000_000

// checkOptions are the flags of `msgplay check` itself; the rest of the
// command line belongs to the pattern.
type checkOptions struct {
	seeds     int
	firstSeed uint64
	variants  []string
	format    string
	jobs      int
	until     time.Duration
	help      bool
}

// checkFlagNames are the flags check keeps for itself: they are left out of
// the commands that reproduce a failure.
var checkFlagNames = map[string]bool{"seeds": true, "first-seed": true, "variants": true, "format": true, "jobs": true}

func (o *checkOptions) register(fs *pflag.FlagSet) {
	o.seeds = 100
	fs.Var(count(&o.seeds, 1, maxSeeds), "seeds", fmt.Sprintf("how many seeds to run each variant with, at most %d", maxSeeds))
	fs.Uint64Var(&o.firstSeed, "first-seed", 1, "the first seed; the sweep runs seeds S … S+N-1")
	fs.Var(names(&o.variants, "NAME"), "variants", "the variants to run, as dual-write,outbox (default all)")
	fs.Var(choice(&o.format, "a format", "text", "json"), "format", "output format: text or json")
	fs.Var(count(&o.jobs, 0, check.MaxJobs), "jobs", fmt.Sprintf("runs at once, at most %d (0 = one per CPU); the results do not depend on it",
		check.MaxJobs))
	fs.Var(durationValue{d: &o.until}, "until", "stop each run at this virtual time")
	fs.BoolVarP(&o.help, "help", "h", false, "help for check")
}

func newCheckCmd(app *App) *cobra.Command {
	c := &cobra.Command{
		Use:   "check PATTERN [pattern flags] [--seeds N] [--first-seed S] [--variants a,b]",
		Short: "sweep many seeds and hold each variant of a pattern to its guarantees",
		Long: `check runs every variant of a pattern — the broken one and the fixed one — once
per seed, with the pattern's own flags (crash rates, outages, duplicates …),
and counts in how many runs each check was violated, with a 95% interval and
the first failing seeds. Each run is exactly the single run with that seed,
so every failure comes with the command that reproduces it.

A broken variant that breaks is the lesson. check exits 1 only when a
variant breaks a check it claims to guarantee; 'msgplay explain PATTERN'
lists the claims. The pattern's own flags are listed by
'msgplay check PATTERN --help'. Every duration and virtual time a flag takes
is at most ` + sim.MaxTimeText + ".",
		Example: `  msgplay check competing --crash worker-2@30ms --messages 6 --seeds 200
  msgplay check competing --crash worker-2@30ms --messages 6 --variants manual-ack --seeds 1000 --format json`,
		DisableFlagParsing: true,
		RunE: func(c *cobra.Command, args []string) error {
			return app.runCheck(c, args)
		},
	}
	// check parses its flags itself, after the pattern's name; these are
	// bound only for its help to list them.
	var shown checkOptions
	shown.register(c.Flags())
	return c
}

// runCheck parses `check PATTERN flags…`, sweeps and reports.
func (app *App) runCheck(c *cobra.Command, args []string) error {
	p, userArgs, ok, err := patternArg(c, args)
	if !ok {
		return err
	}
	path := "msgplay check " + p.name
	for _, a := range userArgs {
		if a == "--seed" || strings.HasPrefix(a, "--seed=") {
			return usagef("%s--seed picks one run; a sweep takes --first-seed S and --seeds N", lead(path))
		}
	}

	var opt checkOptions
	fs, given := checkFlagSet(path, p, &opt)
	if err := fs.Parse(userArgs); err != nil {
		return flagErrorAt(path, fs, err)
	}
	if opt.help {
		return app.patternHelp(path, "check", p, fs)
	}
	if fs.NArg() > 0 {
		return moreArgs(path, fs.Arg(0))
	}
	switch {
	case opt.seeds < 1 || opt.seeds > maxSeeds:
		return usagef("--seeds must be from 1 to %d (got %d)", maxSeeds, opt.seeds)
	case opt.firstSeed > math.MaxUint64-uint64(opt.seeds)+1:
		return usagef("--first-seed %d with --seeds %d goes past the largest seed, %d", opt.firstSeed, opt.seeds, uint64(math.MaxUint64))
	case opt.jobs < 0 || opt.jobs > check.MaxJobs:
		return usagef("--jobs must be from 0 (one per CPU) to %d (got %d)", check.MaxJobs, opt.jobs)
	case len(p.variants) == 0:
		return usagef("check: %s declares no variants to check", p.name)
	}
	chosen, err := chooseVariants(p, opt.variants)
	if err != nil {
		return err
	}

	// The flags given and, when no pattern flag is, the faults the pattern
	// sweeps with; each variant runs them, then its own flags, exactly as
	// the command that reproduces one of its runs.
	kept := patternArgs(userArgs)
	var offer []string // the pattern's faults, when the user's flags replaced them
	if !given.given() {
		kept = append(kept, given.faults()...)
	} else if p.hasFaults {
		var ignore checkOptions
		_, fresh := checkFlagSet(path, p, &ignore)
		offer = fresh.faults()
	}
	var cases []check.Case
	var ran []ranVariant
	var skipped []string
	for _, i := range chosen {
		v := p.variants[i]
		var ignore checkOptions
		vfs, sc := checkFlagSet(path, p, &ignore)
		if err := vfs.Parse(kept); err != nil {
			return flagErrorAt(path, vfs, err)
		}
		vargs := sc.apply(i)
		if err := sc.ready(); err != nil {
			// A flag that makes sense for one variant may not for another
			// (no orchestrator to crash in choreography): skip that variant,
			// unless it was asked for by name.
			if len(opt.variants) > 0 {
				return usagef("%v (in variant %s)", err, v.name)
			}
			skipped = append(skipped, v.name+": "+err.Error())
			continue
		}
		runner := sc.runner()
		until := opt.until
		ran = append(ran, ranVariant{name: v.name, args: vargs})
		cases = append(cases, check.Case{Variant: v.name, Guarantees: v.guarantees, Run: func(seed uint64) *trace.Report {
			return runner(patterns.Common{Seed: seed, Until: until}, nil)
		}})
	}
	if len(cases) == 0 {
		return usagef("check: no variant of %s accepts these flags: %s", p.name, strings.Join(skipped, "; "))
	}

	// Thousands of short runs allocate fast while the live heap stays
	// small, so the collector would run almost without pause and, on two
	// cores, fight the runs for the CPU. A larger step between collections
	// makes a sweep close to twice as fast on 2 cores as on 1 (measured:
	// 3.0 s against 5.4 s for the outbox sweep in the README).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	bar := newProgress(app.IO)
	stop := app.interrupt()
	results := check.SweepUntil(cases, opt.firstSeed, opt.seeds, opt.jobs, bar.update, stop)
	bar.finish()
	interrupted := isClosed(stop)

	rep := checkReport{pattern: p.name, args: kept, variants: ran, results: results,
		first: opt.firstSeed, seeds: opt.seeds, skipped: skipped, interrupted: interrupted, faults: offer}
	if opt.format == "json" {
		err = rep.writeJSON(app.IO.Out)
	} else {
		err = rep.writeText(app.IO.Out)
	}
	if err != nil {
		return &failure{code: ExitFailure, msg: "writing the output: " + err.Error()}
	}
	if interrupted {
		return &failure{code: ExitInterrupted} // the table says what broke so far
	}
	if broken := rep.broken(); broken != "" {
		return &failure{code: ExitFailure, msg: broken}
	}
	return nil
}

// checkFlagSet returns a flag set holding check's flags and the pattern's,
// and the scenario the pattern's flags are bound to.
func checkFlagSet(path string, p pattern, opt *checkOptions) (*pflag.FlagSet, scenario) {
	fs := pflag.NewFlagSet(path, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	opt.format = "text"
	opt.register(fs)
	return fs, p.bind(fs)
}

// chooseVariants returns the indexes of the variants named, or of all.
func chooseVariants(p pattern, names []string) ([]int, error) {
	var chosen []int
	if len(names) == 0 {
		for i := range p.variants {
			chosen = append(chosen, i)
		}
		return chosen, nil
	}
	for _, n := range names {
		i := p.variantIndex(n)
		if i < 0 {
			var all []string
			for _, v := range p.variants {
				all = append(all, v.name)
			}
			return nil, usagef("--variants: %s has no variant %q: want %s", p.name, n, patterns.OrList(all))
		}
		chosen = append(chosen, i)
	}
	return chosen, nil
}

// patternArgs drops check's own flags (and their values) from args, leaving
// what a single run of the pattern takes.
func patternArgs(args []string) []string { return ownArgsDropped(args, checkFlagNames) }
