package cmd

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// compareOptions are the flags of `msgplay compare` itself; the rest of
// the command line belongs to the pattern.
type compareOptions struct {
	variants  []string
	seed      uint64
	until     time.Duration
	html      string
	maxEvents int
	help      bool
}

// compareFlagNames are the flags compare keeps for itself: they are left
// out of the commands that reproduce each run.
var compareFlagNames = map[string]bool{"variants": true, "seed": true, "until": true, "html": true, "max-events": true}

func (o *compareOptions) register(fs *pflag.FlagSet) {
	fs.Var(names(&o.variants, "NAME"), "variants", "the two variants to compare, as auto-ack,manual-ack (default: the weakest and the strongest)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of both runs: the same seed, so both meet the same faults")
	fs.Var(durationValue{d: &o.until}, "until", "stop both runs at this virtual time")
	fs.Var(fileValue{&o.html}, "html", "write the two runs as one HTML page to `FILE`, such as compare-competing.html")
	fs.Var(maxEventsValue{&o.maxEvents}, "max-events", "with --html: draw at most `N` events of each run (default 20000)")
	fs.BoolVarP(&o.help, "help", "h", false, "help for compare")
}

func newCompareCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "compare PATTERN [pattern flags] [--variants a,b] [--seed N] [--html FILE]",
		Short: "run the broken and the fixed variant of a pattern with the same seed, side by side",
		Long: `compare runs two variants of a pattern — by default the weakest and the
strongest it declares — with the same flags, the same seed and so the same
faults, and shows them side by side: the two summaries, then the checks line
by line (✗ → ✔ no message lost). With no pattern flag, compare runs the
scenario of the pattern's tour chapter, chosen to tell its broken and fixed
variants apart (and those two variants unless --variants names others), or
else the faults 'msgplay check' sweeps with.

--html FILE writes one self-contained page instead: the two runs as players
on one clock, with the checks compared at the top. Every duration and
virtual time a flag takes is at most ` + sim.MaxTimeText + ".",
		Example: `  msgplay compare competing --crash worker-1@50ms
  msgplay compare outbox
  msgplay compare saga --variants orchestration,choreography`,
		DisableFlagParsing: true,
		RunE: func(c *cobra.Command, args []string) error {
			return app.runCompare(c, args)
		},
	}
}

// comparedRun is one side of a comparison.
type comparedRun struct {
	variant variantInfo
	cmd     string // the command line that reproduces it
	report  *trace.Report
	page    *trace.HTML
}

// runCompare parses `compare PATTERN flags…`, runs both variants and
// shows them.
func (app *App) runCompare(c *cobra.Command, args []string) error {
	p, userArgs, ok, err := patternArg(c, args)
	if !ok {
		return err
	}
	path := "msgplay compare " + p.name
	var opt compareOptions
	fs, given := compareFlagSet(path, p, &opt)
	if err := fs.Parse(userArgs); err != nil {
		return flagErrorAt(path, fs, err)
	}
	if opt.help {
		return app.patternHelp(path, "compare", p, fs)
	}
	if fs.NArg() > 0 {
		return moreArgs(path, fs.Arg(0))
	}
	if len(p.variants) < 2 {
		return usagef("compare: %s declares fewer than two variants to compare", p.name)
	}
	chosen := defaultPair(p)
	if len(opt.variants) > 0 {
		if len(opt.variants) != 2 {
			return usagef("--variants: name two variants of %s, as %s,%s", p.name, p.variants[0].name, p.variants[len(p.variants)-1].name)
		}
		var err error
		if chosen, err = chooseVariants(p, opt.variants); err != nil {
			return err
		}
	}
	kept := ownArgsDropped(userArgs, compareFlagNames)
	if !given.given() {
		if p.tour != nil {
			for _, a := range p.tour.Args {
				if a != "--quiet" && a != "-q" { // compare shows summaries only
					kept = append(kept, a)
				}
			}
		} else {
			kept = append(kept, given.faults()...)
		}
	}
	var page *atomicFile
	if opt.html != "" {
		var err error
		if page, err = createAtomic(opt.html); err != nil {
			return usagef("--html: cannot write %s: %v", opt.html, unwrapped(err))
		}
		defer page.discard()
	}
	runs := make([]comparedRun, 2)
	for k, i := range chosen {
		var ignore compareOptions
		vfs, sc := compareFlagSet(path, p, &ignore)
		if err := vfs.Parse(kept); err != nil {
			return flagErrorAt(path, vfs, err)
		}
		vargs := sc.apply(i)
		if err := sc.ready(); err != nil {
			return usagef("%v (in variant %s)", err, p.variants[i].name)
		}
		r := &runs[k]
		r.variant = p.variants[i]
		r.cmd = shellLine(append(append([]string{p.name}, kept...), vargs...), opt.seed)
		var out trace.Sink
		if page != nil {
			ro := runOptions{maxEvents: opt.maxEvents, cmdline: r.cmd}
			r.page, out = app.pageSink(&ro)
		}
		r.report = sc.runner()(patterns.Common{Seed: opt.seed, Until: opt.until}, out)
	}
	scenario := "the pattern's own defaults"
	if len(kept) > 0 {
		scenario = strings.Join(kept, " ")
	}
	if page != nil {
		sec := trace.PageSection{
			Text:    "Two variants, one scenario (" + scenario + "), the same seed: both meet the same faults.",
			Runs:    []*trace.HTML{runs[0].page, runs[1].page},
			Labels:  []string{runs[0].label(), runs[1].label()},
			Command: shellLine(append([]string{"compare"}, withoutFlag(args, "--html")...), opt.seed),
		}
		title := fmt.Sprintf("msgplay compare %s · %s → %s · seed %d", p.name, runs[0].variant.name, runs[1].variant.name, opt.seed)
		if err := page.commit(trace.Page(title, []trace.PageSection{sec})); err != nil {
			return &failure{code: ExitFailure, msg: "--html: " + err.Error()}
		}
	}
	var b bytes.Buffer
	writeComparison(&b, p.name, scenario, opt.seed, runs, app.width(), page == nil)
	if page != nil {
		fmt.Fprintf(&b, "\nThe page: %s\n", opt.html)
	}
	if _, err := app.IO.Out.Write(b.Bytes()); err != nil {
		return &failure{code: ExitFailure, msg: "writing the output: " + err.Error()}
	}
	return nil
}

// label names a compared run for people: its variant and what it does.
func (r comparedRun) label() string { return r.variant.name + " — " + r.variant.about }

// compareFlagSet returns a flag set holding compare's flags and the
// pattern's, and the scenario the pattern's flags are bound to.
func compareFlagSet(path string, p pattern, opt *compareOptions) (*pflag.FlagSet, scenario) {
	fs := pflag.NewFlagSet(path, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	opt.register(fs)
	return fs, p.bind(fs)
}

// defaultPair returns the variants compare shows when --variants is not
// given: the broken and the fixed one of the pattern's tour chapter, whose
// scenario is chosen to tell them apart, or else the weakest and the
// strongest it declares.
func defaultPair(p pattern) []int {
	if p.tour != nil {
		b, f := p.variantIndex(p.tour.Broken), p.variantIndex(p.tour.Fixed)
		if b >= 0 && f >= 0 && b != f {
			return []int{b, f}
		}
	}
	return []int{0, len(p.variants) - 1}
}

// ownArgsDropped drops the flags named in own (and their values) from
// args, leaving what a single run of the pattern takes.
func ownArgsDropped(args []string, own map[string]bool) []string {
	var kept []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "--") && own[name] {
			if !hasValue {
				i++ // skip the value too
			}
			continue
		}
		kept = append(kept, a)
	}
	return kept
}

// writeComparison writes the header, the two summaries side by side in
// width columns (when summaries is set) and the checks line by line.
func writeComparison(b *bytes.Buffer, pattern, scenario string, seed uint64, runs []comparedRun, width int, summaries bool) {
	fmt.Fprintf(b, "msgplay compare %s · seed %d · one scenario, two variants, the same faults\n", pattern, seed)
	for _, line := range wrapText("scenario: "+scenario, width-2, 4) {
		fmt.Fprintf(b, "  %s\n", line)
	}
	for k, r := range runs {
		side := string(rune('A' + k))
		for _, line := range wrapText(side+" · "+r.label(), width-2, 4) {
			fmt.Fprintf(b, "  %s\n", line)
		}
		for _, line := range wrapText("$ "+r.cmd, width-6, 2) {
			fmt.Fprintf(b, "      %s\n", line)
		}
	}
	if summaries {
		col := (width - 3) / 2
		left := summaryLines(runs[0].report, col)
		right := summaryLines(runs[1].report, col)
		b.WriteByte('\n')
		head := []string{"A · " + runs[0].variant.name, "B · " + runs[1].variant.name}
		left, right = append([]string{head[0]}, left...), append([]string{head[1]}, right...)
		for i := range max(len(left), len(right)) {
			var l, r string
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			line := l + strings.Repeat(" ", col-utf8.RuneCountInString(l)) + " │ " + r
			b.WriteString(strings.TrimRight(line, " ") + "\n")
		}
	}
	fmt.Fprintf(b, "\nchecks, A → B\n")
	for _, c := range trace.CompareChecks(runs[0].report, runs[1].report) {
		text := checkMark(c.Before) + " → " + checkMark(c.After) + "  " + c.Title
		if c.Before != c.After {
			text += ": " + c.BeforeDetail + " → " + c.AfterDetail
		}
		for _, line := range wrapText(text, width-2, 7) {
			fmt.Fprintf(b, "  %s\n", line)
		}
	}
}

// checkMark is a verdict's mark in the terminal: ✔ held, ✗ broken.
func checkMark(ok bool) string {
	if ok {
		return "✔"
	}
	return "✗"
}

// summaryLines renders the summary of r as text lines of at most width
// columns: what `--quiet` prints after its header, its totals and checks
// wrapped, each table kept only when it fits (it is never wrapped: a
// wrapped table is unreadable), with a line saying how many did not.
func summaryLines(r *trace.Report, width int) []string {
	var buf bytes.Buffer
	t := trace.NewText(&buf, trace.TextOptions{Quiet: true})
	t.Event(&trace.Event{Kind: trace.Summary, Report: r, T: r.End})
	t.Flush()
	var out []string
	wide := 0
	for i, block := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n\n") {
		lines := strings.Split(block, "\n")
		isTable := i > 0 && !strings.HasPrefix(block, "checks")
		if isTable {
			fits := true
			for _, l := range lines {
				fits = fits && utf8.RuneCountInString(l) <= width
			}
			if !fits {
				wide++
				continue
			}
		}
		if len(out) > 0 {
			out = append(out, "")
		}
		for _, line := range lines {
			out = append(out, wrapText(line, width, len(line)-len(strings.TrimLeft(line, " "))+2)...)
		}
	}
	if wide > 0 {
		out = append(out, "", fmt.Sprintf("  (%d %s too wide for half the screen:", wide, plural(wide, "table", "tables")),
			"   run the command above with --quiet)")
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// wrapText breaks s into lines of at most width runes, at spaces where it
// can; the lines after the first start with indent spaces.
func wrapText(s string, width, indent int) []string {
	width = max(width, 20)
	indent = min(indent, width/3)
	pad := strings.Repeat(" ", indent)
	var out []string
	limit, prefix := width, ""
	for utf8.RuneCountInString(s) > limit {
		cut := runeIndex(s, limit)
		if sp := strings.LastIndexByte(s[:cut], ' '); sp > len(s[:cut])/3 {
			cut = sp
		}
		out = append(out, prefix+strings.TrimRight(s[:cut], " "))
		s = strings.TrimLeft(s[cut:], " ")
		limit, prefix = width-indent, pad
	}
	return append(out, prefix+s)
}

// runeIndex returns the byte index of the n-th rune of s.
func runeIndex(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}
