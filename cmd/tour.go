package cmd

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// tourOptions are the flags of `msgplay tour`.
type tourOptions struct {
	noPause bool
	seed    uint64
	format  string
}

// newTourCmd returns `msgplay tour`, a guided workshop: for every pattern,
// a scenario run the broken way and then the fixed way with the same seed,
// narrated, pausing between chapters.
func newTourCmd(app *App) *cobra.Command {
	o := tourOptions{seed: 1, format: "text"}
	c := &cobra.Command{
		Use:   "tour",
		Short: "a guided workshop: every pattern run the broken way, then the fixed way",
		Long: `tour walks through every pattern msgplay has. For each one it picks a
scenario where things go wrong, runs it the broken way, then the fixed way
with the same seed — so both meet the same faults — with explanations under
the events that teach something, and says which checks the fix repaired.
It pauses between runs: Enter goes on, q then Enter ends the tour.`,
		Example: "  msgplay tour\n  msgplay tour --no-pause",
		Args:    noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return app.tour(&o)
		},
	}
	f := c.Flags()
	f.BoolVar(&o.noPause, "no-pause", false, "do not wait for Enter between runs (for scripts)")
	f.Uint64Var(&o.seed, "seed", o.seed, "seed of every run of the tour")
	f.Var(&choiceValue{s: &o.format, what: "a tour format", choices: []string{"text", "lanes"}}, "format",
		"how runs are shown: text or lanes")
	return c
}

// chapter is one pattern of the tour: a scenario and the two variants.
type chapter struct {
	def           patternDef
	scenario      patterns.Demo
	broken, fixed patterns.ArgsVariant
}

func (app *App) tour(o *tourOptions) error {
	var lines <-chan string
	if !o.noPause {
		lines = readLines(app.IO.In)
	}
	var chapters []chapter
	var left []string
	for _, mk := range patternDefs {
		def := mk()
		if ch, ok := tourChapter(def, o.seed); ok {
			chapters = append(chapters, ch)
		} else {
			left = append(left, def.name)
		}
	}
	w := app.IO.Out
	fmt.Fprintf(w, "msgplay tour · %d patterns · seed %d\n", len(chapters), o.seed)
	fmt.Fprintln(w, "Each pattern runs twice with the same seed, so both runs meet the same faults:")
	fmt.Fprintln(w, "first the broken way, then the fixed way. » lines explain what just happened.")
	for i, ch := range chapters {
		fmt.Fprintf(w, "\n━━ %d of %d · %s: %s\n\n", i+1, len(chapters), ch.def.name, ch.def.summary)
		fmt.Fprintln(w, indent(ch.def.about, "  "))
		fmt.Fprintf(w, "\nThe scenario: %s.\n", ch.scenario.Title)
		if err := app.pause(o, lines, "the broken way"); err != nil {
			return err
		}
		before, err := app.tourRun(o, lines, ch, ch.broken, "The broken way")
		if err != nil {
			return err
		}
		if err := app.pause(o, lines, "the fixed way"); err != nil {
			return err
		}
		after, err := app.tourRun(o, lines, ch, ch.fixed, "The fixed way")
		if err != nil {
			return err
		}
		fmt.Fprintln(w)
		fmt.Fprint(w, compareChecks(before, after))
		if i < len(chapters)-1 {
			if err := app.pause(o, lines, "the next pattern"); err != nil {
				return err
			}
		}
	}
	fmt.Fprintln(w, "\nThat is the tour. Run any command again with --seed N, --format lanes, --step or --explain.")
	for _, name := range left {
		fmt.Fprintf(w, "%s has no broken variant to set against a fixed one: see msgplay %s --help.\n", name, name)
	}
	return nil
}

// tourChapter picks the variants and the scenario of a pattern: the first
// demo (that sets none of the variants' own flags and is not a summary-only
// one) where the broken variant fails a check. A pattern with no broken
// variant (one that guarantees nothing), or none of whose demos shows the
// broken variant failing, has no chapter: it would teach nothing, or the
// opposite.
func tourChapter(def patternDef, seed uint64) (chapter, bool) {
	ch := chapter{def: def}
	found := false
	for _, v := range def.variants {
		if len(v.Guarantees) == 0 {
			ch.broken, found = v, true
			break
		}
	}
	if !found {
		return chapter{}, false
	}
	found = false
	for _, v := range def.variants {
		if len(v.Guarantees) > 0 {
			ch.fixed, found = v, true
			break
		}
	}
	if !found {
		return chapter{}, false
	}
	own := map[string]bool{}
	for _, v := range def.variants {
		for _, a := range v.Args {
			if strings.HasPrefix(a, "--") {
				own[a] = true
			}
		}
	}
	var candidates []patterns.Demo
	for _, d := range def.demos {
		if !slices.ContainsFunc(d.Args, func(a string) bool { return own[a] || a == "--quiet" }) {
			candidates = append(candidates, d)
		}
	}
	for _, d := range candidates {
		run, err := buildRun(def, append(slices.Clone(d.Args), ch.broken.Args...))
		if err != nil {
			continue
		}
		if r := run(patterns.Common{Seed: seed}, nil); r != nil && slices.ContainsFunc(r.Checks, func(v trace.Verdict) bool { return !v.OK }) {
			ch.scenario = d
			return ch, true
		}
	}
	return chapter{}, false
}

// buildRun parses a pattern's flags as its command would and returns the
// runner.
func buildRun(def patternDef, args []string) (patterns.Runner, error) {
	fs := pflag.NewFlagSet(def.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	build := def.flags(fs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return build()
}

// tourRun runs one variant of a chapter's scenario, with narration.
func (app *App) tourRun(o *tourOptions, lines <-chan string, ch chapter, v patterns.ArgsVariant, title string) (*trace.Report, error) {
	args := append(slices.Clone(ch.scenario.Args), v.Args...)
	run, err := buildRun(ch.def, args)
	if err != nil {
		return nil, &failure{code: ExitFailure, msg: "tour: " + ch.def.name + ": " + err.Error()}
	}
	w := app.IO.Out
	fmt.Fprintf(w, "\n%s — %s: %s\n", title, v.Name, v.About)
	if len(v.Guarantees) > 0 {
		fmt.Fprintf(w, "It promises: %s.\n", strings.Join(v.Guarantees, ", "))
	}
	line := shellLine(append([]string{ch.def.name}, args...), o.seed) + " --explain"
	if o.format != "text" {
		line += " --format " + o.format
	}
	fmt.Fprintf(w, "$ %s\n\n", line)
	ro := &runOptions{seed: o.seed, format: o.format, explain: true, cmdline: line, lines: lines}
	var report *trace.Report
	err = app.simulate(ro, func(out trace.Sink, halt func() string) *trace.Report {
		c := ro.common()
		c.Halt = halt
		report = run(c, out)
		return report
	})
	return report, err
}

// compareChecks says, check by check, what the fix changed.
func compareChecks(before, after *trace.Report) string {
	if before == nil || after == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("What the fix changed:\n")
	for _, v := range after.Checks {
		mark := func(ok bool) string {
			if ok {
				return "✔"
			}
			return "✗"
		}
		was := "—"
		if bv, ok := before.Verdict(v.Name); ok {
			was = mark(bv.OK)
		}
		b.WriteString("  " + was + " → " + mark(v.OK) + "  " + v.Title + "\n")
	}
	return b.String()
}

// pause waits for Enter before what comes next; q then Enter, or Ctrl-C,
// ends the tour.
func (app *App) pause(o *tourOptions, lines <-chan string, next string) error {
	if o.noPause {
		return nil
	}
	fmt.Fprintf(app.IO.Out, "\n[Enter: %s · q then Enter: end the tour] ", next)
	select {
	case line, ok := <-lines:
		if ok && strings.EqualFold(strings.TrimSpace(line), "q") {
			fmt.Fprintln(app.IO.Out, "\nThe tour ends here.")
			return &failure{code: ExitOK}
		}
	case <-interrupts():
		app.cleanTerminal()
		return &failure{code: ExitInterrupted}
	}
	return nil
}

func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
