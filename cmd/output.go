package cmd

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Formats lists the values --format takes.
var Formats = []string{"text", "json", "lanes", "mermaid"}

// LanesLayouts lists the values --lanes takes.
var LanesLayouts = []string{"folded", "all"}

// runOptions are the flags every pattern command takes.
type runOptions struct {
	seed      uint64
	until     time.Duration
	format    string
	quiet     bool
	explain   bool
	html      string
	maxEvents int
	only      []string
	lanes     string
	follow    string
	speed     float64
	step      string // "", "all" or "interesting"
	brief     bool

	cmd     *cobra.Command // the command the flags belong to
	cmdline string         // the command line that reproduces the run, for --html; "" to work it out
	lines   <-chan string  // lines typed on the input, when a tour already reads them
	live    bool           // a live run: each event is written out as it happens
	out     io.Writer      // where the run is drawn, when not stdout: the tour's pager
}

func addRunFlags(c *cobra.Command, o *runOptions) {
	o.seed, o.format, o.lanes, o.cmd = 1, "text", "folded", c
	f := c.Flags()
	f.Uint64Var(&o.seed, "seed", o.seed, "seed of every random choice: the same seed gives the same run")
	f.Var(durationValue{d: &o.until}, "until", "stop at this virtual time (default: when every message is settled)")
	f.Var(choice(&o.format, "a format", Formats...), "format",
		"output format: text, json, lanes (a sequence view) or mermaid (a sequenceDiagram)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print only the header and the summary")
	f.BoolVar(&o.explain, "explain", false, "explain under an event why it happened (a redelivery, a dead letter, a loss)")
	f.Var(fileValue{&o.html}, "html", "also write the run as one self-contained HTML page to `FILE`")
	f.Var(maxEventsValue{&o.maxEvents}, "max-events", "draw at most `N` events, then say how many were left out: 0 (all) "+
		"to 1000000; the --html page draws 20000 unless told, and at most 100000")
	f.Var(names(&o.only, "ACTOR"), "only", "show only the events ACTOR takes part in (repeatable)")
	f.Var(choice(&o.lanes, "a lanes layout", LanesLayouts...), "lanes",
		"lanes view: folded (a queue with one consumer is drawn in its lane) or all (every queue a lane; implies --format lanes)")
	f.StringVar(&o.follow, "follow", "", "show only the life of one message, by `ID` (m3) or business key (order-1003)")
	f.Var(speedValue{&o.speed}, "speed", speedUsage)
	f.Var(stepValue{&o.step}, "step", stepUsage)
	f.Lookup("step").NoOptDefVal = "all"
	f.BoolVar(&o.brief, "brief", false,
		"show only the events that carry the story, deliveries, acks and\ncommits folded into them; the summary keeps its totals and checks")
}

// speedUsage and stepUsage are the help of --speed and --step, which the
// pattern commands and the tour share.
const (
	speedUsage = "replay virtual time on the wall clock at factor `X`, 0.001 to 1000 (1 = real time, 0.1 = ten times slower)"
	stepUsage  = "wait for Enter after each event, or (--step interesting) only after\n" +
		"a crash, drop, timeout, dead letter, compensation, fault or skip;\nq then Enter stops the run and shows the summary so far"
)

func (o *runOptions) common() patterns.Common {
	return patterns.Common{Seed: o.seed, Until: o.until}
}

func (o *runOptions) paced() bool { return o.speed > 0 || o.step != "" }

// commandLine returns the command line that reproduces the run, with the
// seed spelled out: the tour's, or the one msgplay was run with.
func (app *App) commandLine(o *runOptions) string {
	if o.cmdline != "" {
		return o.cmdline
	}
	args := app.Args
	if args == nil && o.cmd != nil {
		args = strings.Fields(strings.TrimPrefix(o.cmd.CommandPath(), "msgplay"))
	}
	return shellLine(withoutFlag(args, "--html"), o.seed)
}

// withoutFlag returns args without the flag name and its value (given as
// "name value" or "name=value"): the page's reproduce line leaves out
// where the page was written.
func withoutFlag(args []string, name string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		switch {
		case args[i] == name:
			i++
		case strings.HasPrefix(args[i], name+"="):
		default:
			out = append(out, args[i])
		}
	}
	return out
}

// MaxHTMLEvents is how many events an HTML page draws unless --max-events
// says otherwise: a browser plays 20,000 smoothly, and the page stays a few
// megabytes.
const MaxHTMLEvents = 20000

// CeilingHTMLEvents is the most events an HTML page draws, whatever
// --max-events says: 100,000 events make a page of about 25 MB.
const CeilingHTMLEvents = 100000

// MaxEvents is the ceiling of --max-events.
const MaxEvents = 1000000

// maxEventsValue is --max-events: a count from 0 to MaxEvents.
type maxEventsValue struct{ n *int }

func (v maxEventsValue) String() string { return strconv.Itoa(*v.n) }
func (v maxEventsValue) Type() string   { return "N" }
func (v maxEventsValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > MaxEvents {
		return fmt.Errorf("%q is not a number of events: want 0 (all) to %d", s, MaxEvents)
	}
	*v.n = n
	return nil
}
func (v maxEventsValue) allowed() string {
	return fmt.Sprintf("a whole number from 0 (all) to %d", MaxEvents)
}

// shellLine writes "msgplay ARGS --seed N" with each argument quoted for a
// POSIX shell where it needs to be, adding the seed when it is not given.
func shellLine(args []string, seed uint64) string {
	var b strings.Builder
	b.WriteString("msgplay")
	hasSeed := false
	for _, a := range args {
		if a == "--seed" || strings.HasPrefix(a, "--seed=") {
			hasSeed = true
		}
		b.WriteByte(' ')
		b.WriteString(shellQuote(a))
	}
	if !hasSeed {
		b.WriteString(" --seed " + strconv.FormatUint(seed, 10))
	}
	return b.String()
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=.,:@/+%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// stepValue is --step's mode: "all" (every event, what --step alone means)
// or "interesting"; "" when not stepping.
type stepValue struct{ s *string }

func (v stepValue) String() string { return *v.s }
func (v stepValue) Type() string   { return "" }
func (v stepValue) Set(s string) error {
	if s != "all" && s != "interesting" {
		return fmt.Errorf("%q is not a step mode: want --step (every event) or --step interesting", s)
	}
	*v.s = s
	return nil
}

// joinStepMode writes "--step interesting" as "--step=interesting", so the
// mode may follow the flag as its own word while --step alone still means
// every event.
func joinStepMode(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		if args[i] == "--" {
			return append(out, args[i:]...)
		}
		if args[i] == "--step" && i+1 < len(args) && (args[i+1] == "interesting" || args[i+1] == "all") {
			out = append(out, "--step="+args[i+1])
			i++
			continue
		}
		out = append(out, args[i])
	}
	return out
}

// speedValue is a replay factor from trace.MinSpeed to trace.MaxSpeed.
type speedValue struct{ f *float64 }

func (v speedValue) String() string {
	if *v.f == 0 {
		return ""
	}
	return strconv.FormatFloat(*v.f, 'g', -1, 64)
}
func (v speedValue) Type() string { return "X" }
func (v speedValue) Set(s string) error {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(f >= trace.MinSpeed && f <= trace.MaxSpeed) {
		return fmt.Errorf("%q is not a speed: want a factor from %g to %g, such as 1 (real time) or 0.1 (ten times slower)",
			s, trace.MinSpeed, float64(trace.MaxSpeed))
	}
	*v.f = f
	return nil
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

// color256 reports whether the terminal shows 256 colors, as TERM or
// COLORTERM say: then every actor of a run can have a color of its own.
func (app *App) color256() bool {
	t, ct := app.IO.Getenv("TERM"), app.IO.Getenv("COLORTERM")
	return strings.Contains(t, "256color") || strings.Contains(t, "direct") ||
		ct == "truecolor" || ct == "24bit"
}

// width is how many columns the text and lanes views may use: the
// terminal's width when stdout is one, else $COLUMNS, else 100.
func (app *App) width() int {
	if app.IO.OutIsTerminal {
		if f, ok := app.IO.Out.(*os.File); ok {
			if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
				return w
			}
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(app.IO.Getenv("COLUMNS"))); err == nil && n > 0 {
		return n
	}
	return trace.DefaultWidth
}

// flusher is a sink that buffers and must be flushed at the end.
type flusher interface {
	trace.Sink
	Flush() error
}

// renderer returns the sink that draws the run on stdout in the chosen
// format.
func (app *App) renderer(o *runOptions) flusher {
	w := app.IO.Out
	if o.out != nil {
		w = o.out
	}
	switch o.format {
	case "json":
		if o.quiet {
			return &summaryOnly{flusher: trace.NewJSON(w)}
		}
		return trace.NewJSON(w)
	case "lanes":
		return trace.NewLanes(w, trace.LanesOptions{Color: app.colorOn(), Color256: app.color256(),
			Quiet: o.quiet, Explain: o.explain, Width: app.width(), Only: o.only, AllQueues: o.lanes == "all",
			Stream: o.paced()})
	case "mermaid":
		if o.quiet {
			return &summaryOnly{flusher: trace.NewMermaid(w, trace.MermaidOptions{})}
		}
		return trace.NewMermaid(w, trace.MermaidOptions{Explain: o.explain})
	}
	text := trace.NewText(w, trace.TextOptions{Color: app.colorOn(), Color256: app.color256(), Quiet: o.quiet,
		Explain: o.explain, Brief: o.brief, Width: app.width()})
	if o.quiet {
		return &summaryOnly{flusher: text}
	}
	return text
}

// simulate runs a pattern with the renderer the flags ask for and writes
// its output: the events pass the focus (--only, --follow) and the cap
// (--max-events), then the pacing (--speed, --step), then the renderer;
// --html gets the same focused events. The pattern's own statistics and
// checks read every event, so the summary counts everything.
func (app *App) simulate(o *runOptions, run func(out trace.Sink, halt func() string) *trace.Report) error {
	if o.lanes == "all" {
		if o.format != "lanes" && o.cmd != nil && o.cmd.Flags().Changed("format") {
			return usagef("--lanes all draws the lanes view: use it with --format lanes or without --format")
		}
		o.format = "lanes"
	}
	out := app.renderer(o)
	var shown trace.Sink = out
	var pacer *trace.Pacer
	var halt func() string
	if o.paced() {
		pacer = trace.NewPacer(out, out.Flush, app.paceOptions(o))
		shown, halt = pacer, pacer.Stop
	}
	if o.live {
		shown = trace.SinkFunc(func(e *trace.Event) {
			out.Event(e)
			out.Flush()
		})
	}
	if o.maxEvents > 0 {
		c := trace.NewCap(shown, o.maxEvents)
		c.NoNote = o.format == "json"
		shown = c
	}
	if o.brief {
		brief := trace.NewBrief(shown)
		shown = brief
		if pacer != nil {
			// What the brief view holds is shown before the run stops,
			// so the summary counts no event the reader did not see.
			halt = func() string {
				if pacer.Stopping() {
					brief.Flush()
				}
				return pacer.Stop()
			}
		}
	}
	var pageHTML *trace.HTML
	var pageFile *atomicFile
	if o.html != "" {
		// Find out now, not after a long run, that the page cannot be
		// written; the page is written to a temporary file beside it and
		// renamed at the end, so an old page stays whole until then.
		var err error
		if pageFile, err = createAtomic(o.html); err != nil {
			return usagef("--html: cannot write %s: %v", o.html, unwrapped(err))
		}
		defer pageFile.discard()
		page, s := app.pageSink(o)
		pageHTML = page
		shown = trace.Tee(shown, s)
	}
	focus := trace.NewFocus(shown, o.only, o.follow)
	var sink trace.Sink = focus
	if len(o.only) == 0 && o.follow == "" {
		sink = shown // nothing to focus on: no step between, on every event of a long run
	}
	// A long run shows how far it has come on a terminal's stderr, unless
	// its events stream to the same terminal or are paced there.
	var long *runProgress
	if !o.paced() && (o.quiet || !app.IO.OutIsTerminal) {
		if long = newRunProgress(app.IO, o.until); long != nil {
			sink = trace.Tee(sink, long)
		}
	}
	run(sink, halt)
	long.finish()
	if pacer != nil && pacer.Interrupted() {
		app.cleanTerminal()
	}
	if err := app.finish(o, out, pageHTML, pageFile, focus); err != nil {
		return err
	}
	if pacer != nil && pacer.Interrupted() {
		return &failure{code: ExitInterrupted}
	}
	return nil
}

// pageSink returns the recorder of the HTML page and the sink that feeds
// it: the events capped at --max-events, or at MaxHTMLEvents when not
// given, without a note (the page says what it left out), so its data is
// the JSON Lines `--format json` writes with the same cap.
func (app *App) pageSink(o *runOptions) (*trace.HTML, trace.Sink) {
	limit := o.maxEvents
	if limit == 0 {
		limit = MaxHTMLEvents
	}
	limit = min(limit, CeilingHTMLEvents)
	page := trace.NewHTML(trace.HTMLOptions{Command: app.commandLine(o), MaxEvents: limit})
	c := trace.NewCap(page, limit)
	c.NoNote = true
	return page, c
}

// finish flushes the output, writes the HTML page and warns about --only
// names that matched nothing.
func (app *App) finish(o *runOptions, out flusher, page *trace.HTML, pageFile *atomicFile, focus *trace.Focus) error {
	if err := out.Flush(); err != nil {
		return &failure{code: ExitFailure, msg: "writing the output: " + err.Error()}
	}
	if page != nil {
		if err := pageFile.commit(page.Bytes()); err != nil {
			return &failure{code: ExitFailure, msg: "--html: " + err.Error()}
		}
	}
	for _, a := range focus.Unseen(o.only) {
		fmt.Fprintf(app.IO.Err, "msgplay: --only %s: no event of this run involves %s\n", a, a)
	}
	if o.follow != "" && focus.Kept() == 0 {
		fmt.Fprintf(app.IO.Err, "msgplay: --follow %s: no message of this run has that id or key\n", o.follow)
	}
	return nil
}

// paceOptions connects a paced run to the input and to Ctrl-C.
func (app *App) paceOptions(o *runOptions) trace.PaceOptions {
	lines := o.lines
	if lines == nil && o.step != "" {
		lines = readLines(app.IO.In)
	}
	opt := trace.PaceOptions{Speed: o.speed, Lines: lines, Interrupt: interrupts()}
	if o.step != "" {
		opt.Step = trace.StepEvery
		if o.step == "interesting" {
			opt.Step = trace.StepInteresting
		}
		if app.IO.ErrIsTerminal {
			opt.Prompt = app.IO.Err
		}
	}
	return opt
}

// readLines delivers the lines read from r on a channel, closed at the end
// of the input. The reading goroutine lives outside the simulation.
func readLines(r io.Reader) <-chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		s := bufio.NewScanner(r)
		for s.Scan() {
			ch <- s.Text()
		}
	}()
	return ch
}

// summaryOnly passes on only the run and summary events.
type summaryOnly struct{ flusher }

// Wants implements trace.Choosy: the events of a run nobody reads are
// not even built.
func (s *summaryOnly) Wants() trace.Kinds { return trace.KindsOf(trace.Run, trace.Summary) }

func (s *summaryOnly) Event(e *trace.Event) {
	if e.Kind == trace.Run || e.Kind == trace.Summary {
		s.flusher.Event(e)
	}
}
