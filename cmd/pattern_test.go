package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/competing"
)

// bound parses args, as p's command takes them, into a fresh scenario of p
// and returns it.
func bound(t *testing.T, p pattern, args ...string) scenario {
	t.Helper()
	c := &cobra.Command{}
	sc := p.bind(c.Flags())
	addRunFlags(c, &runOptions{})
	c.Flags().SetOutput(io.Discard)
	if err := c.Flags().Parse(args); err != nil {
		t.Fatalf("%s %v: %v", p.name, args, err)
	}
	return sc
}

func TestFlagsBindStraightToTheConfig(t *testing.T) {
	p, _ := findPattern("competing")
	sc := bound(t, p, "--consumers", "5", "--ack", "auto", "--crash", "worker-2@30ms", "--crash", "producer@1s",
		"--slow", "worker-1=2", "--poison", "m1,m3", "--work", "exp:20ms", "--visibility-timeout", "45ms")
	got := sc.config()
	want := competing.Default()
	want.Consumers, want.Ack, want.Work, want.VisibilityTimeout = 5, broker.AutoAck, sim.Exp(20*time.Millisecond), 45*time.Millisecond
	want.Crashes = []sim.Crash{{Actor: "worker-2", At: 30 * time.Millisecond}, {Actor: "producer", At: time.Second}}
	want.Slow = map[string]float64{"worker-1": 2}
	want.Poison = []string{"m1", "m3"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("bound config\n  %+v\nwant\n  %+v", got, want)
	}
	if err := sc.ready(); err != nil {
		t.Errorf("ready: %v", err)
	}
}

func TestVariantFlagsAreDerivedFromWhatApplyChanges(t *testing.T) {
	for _, c := range []struct {
		pattern, variant string
		args             []string // the scenario's own flags
		want             []string
	}{
		// The flag the variant changes.
		{"competing", "auto-ack", nil, []string{"--ack", "auto"}},
		// A value the scenario already has is shown where another variant
		// sets something else, so both sides of the lesson name their flag.
		{"competing", "manual-ack", nil, []string{"--ack", "manual"}},
		// A bool turned off is --name=false only when the scenario had it on.
		{"saga", "orchestration", nil, []string{"--style", "orchestration"}},
		{"saga", "orchestration", []string{"--naive"}, []string{"--style", "orchestration", "--naive=false"}},
		{"saga", "naive", nil, []string{"--naive"}},
		{"outbox", "dual-write", []string{"--orders", "6"}, []string{"--variant", "dual-write", "--relay-workers", "1"}},
		{"outbox", "outbox-inbox", nil, []string{"--variant", "outbox", "--relay-workers", "1", "--inbox"}},
		{"outbox", "parallel-relay", nil, []string{"--variant", "outbox", "--relay-workers", "4"}},
		// A list gives only the items the variant adds.
		{"pubsub", "transient", []string{"--offline", "email@30ms..90ms"}, []string{"--transient", "email"}},
		{"pubsub", "transient", nil, []string{"--transient", "email", "--offline", "email@30ms..90ms"}},
		{"loadlevel", "average", nil, []string{"--autoscale", "off", "--queue-limit", "0"}},
	} {
		p, _ := findPattern(c.pattern)
		got := bound(t, p, c.args...).apply(p.variantIndex(c.variant))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s %v, variant %s: flags %q, want %q", c.pattern, c.args, c.variant, got, c.want)
		}
	}
	p, _ := findPattern("competing")
	if got, want := bound(t, p).faults(), []string{"--crash-rate", "0.1", "--restart-after", "200ms"}; !slices.Equal(got, want) {
		t.Errorf("competing's faults: flags %q, want %q", got, want)
	}
}

// TestDerivedFlagsReproduceTheVariant holds every variant of every pattern,
// applied to every demo, to the promise behind a reproducing command: the
// demo's flags followed by the variant's derived flags give the same Config
// as applying the variant.
func TestDerivedFlagsReproduceTheVariant(t *testing.T) {
	checked := 0
	for _, p := range patternList {
		for _, d := range p.demos {
			for i, v := range p.variants {
				applied := bound(t, p, d.Args...)
				vargs := applied.apply(i)
				args := append(overridden(d.Args, vargs), vargs...)
				again := bound(t, p, args...)
				if !reflect.DeepEqual(applied.config(), again.config()) {
					t.Errorf("%s %v, variant %s: the flags %q give another scenario", p.name, d.Args, v.name, args)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no variant checked")
	}
}

// toy is a pattern made only for this test: what a new pattern writes.
type toy struct {
	patterns.Common
	N    int
	Mode string
	Loud bool
}

func (c toy) Validate() error {
	if c.N < 1 {
		return fmt.Errorf("--n must be at least 1 (got %d)", c.N)
	}
	return nil
}

func (c toy) Run(common patterns.Common, out trace.Sink) *trace.Report {
	c.Common = common
	s := patterns.Start("toy", c.Common, patterns.NewParams(c.Common).Int("n", c.N).Done(), out)
	s.Run(func() bool { return true })
	return s.Finish(patterns.Ending{})
}

var toyDef = patterns.Def[toy]{
	Name:    "toy",
	Summary: "a pattern for the tests",
	Default: func() toy { return toy{N: 2, Mode: "calm"} },
	Variants: []patterns.Variant[toy]{
		{Name: "quiet", Apply: func(c *toy) { c.Mode = "calm" }},
		{Name: "loud", Apply: func(c *toy) { c.Mode, c.Loud = "wild", true }},
	},
}

func bindToy(f *pflag.FlagSet, c *toy) func() error {
	f.IntVar(&c.N, "n", c.N, "how many")
	f.Var(choice(&c.Mode, "a mode", "calm", "wild"), "mode", "calm or wild")
	f.BoolVar(&c.Loud, "loud", c.Loud, "shout")
	return nil
}

func TestTheGenericConstructorBuildsACommandFromADef(t *testing.T) {
	p := patternOf(toyDef, bindToy)
	var out, errb bytes.Buffer
	app := &App{IO: &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(string) string { return "" }}}
	runToy := func(args ...string) error {
		c := p.command(app)
		c.SetArgs(args)
		c.SetOut(&out)
		c.SetErr(&errb)
		c.SilenceErrors, c.SilenceUsage = true, true
		c.SetFlagErrorFunc(flagError)
		return c.Execute()
	}
	if err := runToy("--n", "3", "--quiet", "--format", "json"); err != nil {
		t.Fatalf("toy --n 3: %v", err)
	}
	if !strings.Contains(out.String(), `"n":"3"`) {
		t.Errorf("toy --n 3 ran without n 3:\n%s", out.String())
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--n", "0"}, "--n must be at least 1 (got 0)"},
		{[]string{"--n", "x"}, `--n must be a whole number (got "x")`},
		{[]string{"--mode", "sleepy"}, `--mode: "sleepy" is not a mode: want calm or wild`},
	} {
		err := runToy(c.args...)
		var u *usageError
		if !errors.As(err, &u) || u.msg != c.want {
			t.Errorf("toy %v: error %v, want the usage error %q", c.args, err, c.want)
		}
		if line := usageLine(err); strings.Contains(line, "\n") {
			t.Errorf("toy %v: %q is more than one line", c.args, line)
		}
	}
	if got := bound(t, p).apply(1); !slices.Equal(got, []string{"--mode", "wild", "--loud"}) {
		t.Errorf("toy's loud variant: flags %q", got)
	}
	if got := bound(t, p).apply(0); !slices.Equal(got, []string{"--mode", "calm"}) {
		t.Errorf("toy's quiet variant: flags %q", got)
	}
}

// TestEveryTourChapterTeaches runs each pattern's tour scenario the broken
// way and the fixed way: the variants must exist, the broken one must fail a
// check and the fixed one must keep what it guarantees.
func TestEveryTourChapterTeaches(t *testing.T) {
	chapters := 0
	for _, p := range patternList {
		if p.tour == nil {
			continue
		}
		chapters++
		broken, fixed := p.variantIndex(p.tour.Broken), p.variantIndex(p.tour.Fixed)
		if broken < 0 || fixed < 0 {
			t.Errorf("%s's tour names variants %q and %q: it has %v", p.name, p.tour.Broken, p.tour.Fixed, p.variants)
			continue
		}
		if p.tour.Title == "" {
			t.Errorf("%s's tour chapter has no title", p.name)
		}
		run, _, err := chapterRun(p, broken)
		if err != nil {
			t.Fatalf("%s's tour scenario %v: %v", p.name, p.tour.Args, err)
		}
		r := run(patterns.Common{Seed: 1}, nil)
		if !slices.ContainsFunc(r.Checks, func(v trace.Verdict) bool { return !v.OK }) {
			t.Errorf("%s's tour scenario %v: the broken variant %s fails no check", p.name, p.tour.Args, p.tour.Broken)
		}
		run, _, err = chapterRun(p, fixed)
		if err != nil {
			t.Fatalf("%s's tour scenario %v, fixed: %v", p.name, p.tour.Args, err)
		}
		r = run(patterns.Common{Seed: 1}, nil)
		for _, name := range p.variants[fixed].guarantees {
			if v, ok := r.Verdict(name); !ok || !v.OK {
				t.Errorf("%s's tour scenario %v: the fixed variant %s breaks %s", p.name, p.tour.Args, p.tour.Fixed, name)
			}
		}
	}
	if chapters == 0 {
		t.Fatal("the tour has no chapter")
	}
}
