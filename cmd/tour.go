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
	html    string
	brief   bool
	step    string
	speed   float64
}

// newTourCmd returns `msgplay tour`, a guided workshop: for every pattern,
// a short scenario run the broken way and then the fixed way with the same
// seed, narrated, pausing between runs and paging each run a screen at a
// time on a terminal.
func newTourCmd(app *App) *cobra.Command {
	o := tourOptions{seed: 1, format: "text"}
	c := &cobra.Command{
		Use:   "tour",
		Short: "a guided workshop: every pattern run the broken way, then the fixed way",
		Long: `tour walks through every pattern msgplay has. For each one it picks a
short scenario where things go wrong, runs it the broken way, then the fixed
way with the same seed — so both meet the same faults — with explanations
under the events that teach something, and says which checks the fix
repaired. It pauses between runs (Enter goes on, q then Enter ends the tour)
and, on a terminal, shows each run a screen at a time. --brief, --step and
--speed work as they do for every pattern command.`,
		Example: "  msgplay tour\n  msgplay tour --brief --no-pause\n  msgplay tour --no-pause\n  msgplay tour --html tour.html",
		Args:    noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if o.html != "" {
				return app.tourHTML(&o)
			}
			return app.tour(&o)
		},
	}
	f := c.Flags()
	f.BoolVar(&o.noPause, "no-pause", false, "do not wait for Enter between runs or screens (for scripts)")
	f.Uint64Var(&o.seed, "seed", o.seed, "seed of every run of the tour")
	f.Var(choice(&o.format, "a tour format", "text", "lanes"), "format",
		"how runs are shown: text or lanes")
	f.Var(fileValue{&o.html}, "html", "write every chapter as a compare page into one HTML `FILE` instead, without pauses")
	f.BoolVar(&o.brief, "brief", false, "show only the events that carry each run's story")
	f.Var(stepValue{&o.step}, "step", stepUsage)
	f.Lookup("step").NoOptDefVal = "all"
	f.Var(speedValue{&o.speed}, "speed", speedUsage)
	return c
}

// chapter is one pattern of the tour: its scenario and its two variants.
type chapter struct {
	p             pattern
	broken, fixed int // indexes of the variants
}

// tourRun is what every run of a tour shares: the options, the lines the
// reader types and where the runs are written.
type tourRun struct {
	*tourOptions
	lines <-chan string
	w     io.Writer
	pager *pager // nil when the runs are not paged
}

// tourChapters returns the chapters of the tour, and the names of the
// patterns that have none.
func tourChapters() (chapters []chapter, left []string) {
	for _, p := range patternList {
		if p.tour == nil {
			left = append(left, p.name)
			continue
		}
		chapters = append(chapters, chapter{p: p, broken: p.variantIndex(p.tour.Broken), fixed: p.variantIndex(p.tour.Fixed)})
	}
	return chapters, left
}

func (app *App) tour(o *tourOptions) error {
	t := tourRun{tourOptions: o, w: app.IO.Out}
	if !o.noPause || o.step != "" {
		t.lines = readLines(app.IO.In)
	}
	if !o.noPause && o.step == "" && o.speed == 0 && app.IO.InIsTerminal && app.IO.OutIsTerminal {
		t.pager = &pager{w: app.IO.Out, lines: t.lines, interrupt: interrupts(), height: app.height()}
		t.w = t.pager
	}
	chapters, left := tourChapters()
	w := t.w
	fmt.Fprintf(w, "msgplay tour · %d patterns · seed %d\n", len(chapters), o.seed)
	fmt.Fprintln(w, "Each pattern runs twice with the same seed, so both runs meet the same faults:")
	fmt.Fprintln(w, "first the broken way, then the fixed way. » lines explain what just happened.")
	for i, ch := range chapters {
		fmt.Fprintf(w, "\n━━ %d of %d · %s: %s\n\n", i+1, len(chapters), ch.p.name, ch.p.summary)
		fmt.Fprintln(w, indent(firstParagraph(ch.p.about), "  "))
		fmt.Fprintf(w, "  More: msgplay explain %s\n", ch.p.name)
		fmt.Fprintf(w, "\n%s\n", narration("The scenario: "+ch.p.tour.Title+"."))
		if err := app.pause(&t, "the broken way"); err != nil {
			return err
		}
		before, err := app.tourRun(&t, ch, ch.broken, "The broken way")
		if err != nil {
			return err
		}
		if err := app.pause(&t, "the fixed way"); err != nil {
			return err
		}
		after, err := app.tourRun(&t, ch, ch.fixed, "The fixed way")
		if err != nil {
			return err
		}
		fmt.Fprintln(w)
		fmt.Fprint(w, compareChecks(before, after))
		if i < len(chapters)-1 {
			if err := app.pause(&t, "the next pattern"); err != nil {
				return err
			}
		}
	}
	fmt.Fprintln(w, "\nThat is the tour. Run any command again with --seed N, --format lanes, --brief, --step or --explain.")
	for _, name := range left {
		fmt.Fprintf(w, "%s has no broken variant to set against a fixed one: see msgplay %s --help.\n", name, name)
	}
	return t.ended(app)
}

// ended returns how a paged tour ended: nil, or the reader's q or Ctrl-C.
func (t *tourRun) ended(app *App) error {
	switch {
	case t.pager == nil:
		return nil
	case t.pager.interrupted:
		app.cleanTerminal()
		return &failure{code: ExitInterrupted}
	case t.pager.quit:
		fmt.Fprintln(app.IO.Out, "The tour ends here.")
		return &failure{code: ExitOK}
	}
	return nil
}

// narration wraps a sentence of the tour to the text width, its later
// lines indented.
func narration(s string) string {
	return strings.Join(trace.WrapWords(s, trace.DefaultWidth-2), "\n  ")
}

// firstParagraph returns s up to its first blank line.
func firstParagraph(s string) string {
	p, _, _ := strings.Cut(s, "\n\n")
	return p
}

// chapterRun binds the scenario of p's tour chapter and applies variant i,
// returning the runner and the flags of the run after the pattern's name.
// A chapter may end its flags with --quiet, for a run too long to read
// event by event: the tour then shows only its summary.
func chapterRun(p pattern, i int) (patterns.Runner, []string, error) {
	fs := pflag.NewFlagSet(p.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	sc := p.bind(fs)
	if err := fs.Parse(slices.DeleteFunc(slices.Clone(p.tour.Args), isQuiet)); err != nil {
		return nil, nil, err
	}
	if i < 0 {
		return nil, nil, fmt.Errorf("the tour names a variant %s lacks", p.name)
	}
	vargs := sc.apply(i)
	args := append(overridden(p.tour.Args, vargs), vargs...)
	if err := sc.ready(); err != nil {
		return nil, nil, err
	}
	return sc.runner(), args, nil
}

// tourRun runs one variant of a chapter's scenario, with narration.
func (app *App) tourRun(t *tourRun, ch chapter, i int, title string) (*trace.Report, error) {
	if t.pager != nil && t.pager.done() {
		return nil, t.ended(app)
	}
	run, args, err := chapterRun(ch.p, i)
	if err != nil {
		return nil, &failure{code: ExitFailure, msg: "tour: " + ch.p.name + ": " + err.Error()}
	}
	v := ch.p.variants[i]
	w := t.w
	fmt.Fprintf(w, "\n%s\n", narration(title+" — "+v.name+": "+v.about))
	if len(v.guarantees) > 0 {
		// A quiet run first, for the checks' titles: ids mean nothing yet.
		titles := checkTitles(run(patterns.Common{Seed: t.seed}, nil), v.guarantees)
		fmt.Fprintf(w, "%s\n", narration("It promises: "+strings.Join(titles, "; ")+"."))
	}
	extra := []string{"--explain"}
	if t.format != "text" {
		extra = append(extra, "--format", t.format)
	}
	if t.brief {
		extra = append(extra, "--brief")
	}
	line := shellLine(append(append([]string{ch.p.name}, args...), extra...), t.seed)
	fmt.Fprintf(w, "$ %s\n\n", line)
	ro := &runOptions{seed: t.seed, format: t.format, explain: true, brief: t.brief, step: t.step, speed: t.speed,
		cmdline: line, lines: t.lines, out: t.w, quiet: slices.ContainsFunc(args, isQuiet)}
	var report *trace.Report
	err = app.simulate(ro, func(out trace.Sink, halt func() string) *trace.Report {
		c := ro.common()
		c.Halt, c.Intro = halt, ch.p.intro
		report = run(c, out)
		return report
	})
	return report, err
}

// checkTitles returns the titles of the checks named, as the report r
// gives them; a name r lacks stays as it is.
func checkTitles(r *trace.Report, names []string) []string {
	titles := make([]string, len(names))
	for i, n := range names {
		titles[i] = n
		if v, ok := r.Verdict(n); ok && v.Title != "" {
			titles[i] = v.Title
		}
	}
	return titles
}

// compareChecks says, check by check, what the fix changed.
func compareChecks(before, after *trace.Report) string {
	if before == nil || after == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("What the fix changed:\n")
	for _, v := range after.Checks {
		was := "—"
		if bv, ok := before.Verdict(v.Name); ok {
			was = checkMark(bv.OK)
		}
		b.WriteString("  " + was + " → " + checkMark(v.OK) + "  " + v.Title + "\n")
	}
	return b.String()
}

// pause waits for Enter before what comes next; q then Enter, or Ctrl-C,
// ends the tour.
func (app *App) pause(t *tourRun, next string) error {
	if t.noPause {
		return nil
	}
	if t.pager != nil {
		if t.pager.done() {
			return t.ended(app)
		}
		t.pager.fresh()
	}
	fmt.Fprintf(app.IO.Out, "\n[Enter: %s · q then Enter: end the tour] ", next)
	select {
	case line, ok := <-t.lines:
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

func isQuiet(arg string) bool { return arg == "--quiet" || arg == "-q" }
