package cmd

import (
	"bytes"
	"strings"
	"testing"
)

// run runs msgplay in-process and returns its exit code and output.
func run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	ios := &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(string) string { return "" }}
	code = Run(args, ios)
	return code, out.String(), errb.String()
}

func TestBadInputIsOneLineAndExitTwo(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string // what the one line must contain
	}{
		{[]string{"competing", "--consumers", "0"}, "--consumers must be from 1 to 1000 (got 0)"},
		{[]string{"competing", "--consumers", "-2"}, "--consumers must be from 1 to 1000 (got -2)"},
		{[]string{"competing", "--consumers", "three"}, `--consumers must be a whole number from 1 to 1000 (got "three")`},
		{[]string{"competing", "--messages", "-1"}, "--messages must be from 1 to 10000000 (got -1)"},
		{[]string{"competing", "--prefetch", "-1"}, "--prefetch must be from 0 to 1000 (got -1)"},
		{[]string{"competing", "--max-deliveries", "-1"}, "--max-deliveries must be from 0 to 100 (got -1)"},
		{[]string{"competing", "--seed", "-1"}, `--seed must be a whole number from 0 to 18446744073709551615 (got "-1")`},
		{[]string{"competing", "--crash", "worker-9@1s"}, `--crash: no actor "worker-9": want producer or worker-1 … worker-3`},
		{[]string{"competing", "--crash", "worker-2"}, `--crash: "worker-2" is not NAME@TIME`},
		{[]string{"competing", "--crash", "worker-2@soon"}, `--crash: "worker-2@soon" is not NAME@TIME`},
		{[]string{"competing", "--slow", "worker-9=2"}, `--slow: no consumer "worker-9": want worker-1 … worker-3`},
		{[]string{"competing", "--slow", "worker-1=fast"}, `--slow: "worker-1=fast" is not NAME=FACTOR`},
		{[]string{"competing", "--slow", "worker-1=0"}, `--slow: "worker-1=0": the factor must be above 0`},
		{[]string{"competing", "--work", "10ms-30ms"}, `--work: "10ms-30ms" is not a distribution: want a duration (20ms), a range (10ms..30ms) or exp:MEAN (exp:20ms)`},
		{[]string{"competing", "--work", "30ms..10ms"}, "the low end is above the high end"},
		{[]string{"competing", "--arrival", "exp:0"}, "--arrival: \"exp:0\" is not a distribution (an exponential needs a mean above 0)"},
		{[]string{"competing", "--visibility-timeout", "5"}, `--visibility-timeout must be a duration from 0 to 10000h, with a unit, such as 500ms or 2s (got "5")`},
		{[]string{"competing", "--restart-after", "-1s"}, `--restart-after must be a duration from 0 to 10000h, with a unit, such as 500ms or 2s (got "-1s")`},
		{[]string{"competing", "--until", "later"}, `--until must be a duration from 0 to 10000h`},
		{[]string{"competing", "--ack", "sometimes"}, `--ack: "sometimes" is not an ack mode: want manual or auto`},
		{[]string{"competing", "--format", "xml"}, `--format: "xml" is not a format: want`},
		{[]string{"competing", "--color", "maybe"}, `--color: "maybe" is not a color mode: want auto, always or never`},
		{[]string{"competing", "--poison", "m99"}, `--poison: no message "m99": want an id from m1 to m12`},
		{[]string{"competing", "--poison", "x"}, `--poison: no message "x"`},
		{[]string{"competing", "--bogus"}, "unknown flag --bogus"},
		{[]string{"competing", "--consumers"}, "--consumers needs a value"},
		{[]string{"competing", "extra"}, "msgplay: competing takes no arguments (got \"extra\"): see 'msgplay competing --help'"},
		{[]string{"nosuch"}, `unknown command "nosuch"`},
		{[]string{"list", "x"}, "msgplay: list takes no arguments"},
		{[]string{"check", "competing", "--seeds", "2", "extra"}, "msgplay: check competing takes no more arguments (got \"extra\")"},
		{[]string{"compare", "competing", "extra"}, "msgplay: compare competing takes no more arguments (got \"extra\")"},
		// A word and a number out of range are told the same range, the
		// one Validate allows.
		{[]string{"competing", "--crash-rate", "often"}, "--crash-rate must be a probability from 0 to below 1"},
		{[]string{"competing", "--crash-rate", "1", "--restart-after", "1s"}, "--crash-rate must be from 0 to below 1"},
		{[]string{"pubsub", "--duplicate-rate", "often"}, "--duplicate-rate must be a probability from 0 to 0.9"},
		{[]string{"pubsub", "--duplicate-rate", "0.95"}, "--duplicate-rate must be from 0 to 0.9"},
		{[]string{"saga", "--duplicate-rate", "often"}, "--duplicate-rate must be a probability from 0 to 0.9"},
		{[]string{"ordering", "--skew", "often"}, "--skew must be a probability from 0 to below 1"},
		{[]string{"request-reply", "--drop-reply-rate", "often"}, "--drop-reply-rate must be a probability from 0 to 0.9"},
		{[]string{"request-reply", "--drop-reply-rate", "0.95"}, "--drop-reply-rate must be from 0 to 0.9"},
		{[]string{"retry", "--breaker-ratio", "often"}, "--breaker-ratio must be a probability above 0 and at most 1"},
		{[]string{"retry", "--breaker-ratio", "0"}, "--breaker-ratio must be above 0 and at most 1"},
	} {
		code, stdout, stderr := run(c.args...)
		name := strings.Join(c.args, " ")
		if code != ExitUsage {
			t.Errorf("%s: exit %d, want %d", name, code, ExitUsage)
		}
		if stdout != "" {
			t.Errorf("%s: printed to stdout: %q", name, stdout)
		}
		if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "msgplay: ") {
			t.Errorf("%s: stderr is not one line starting with msgplay: %q", name, stderr)
		}
		if !strings.Contains(stderr, c.want) {
			t.Errorf("%s: stderr %q does not say %q", name, stderr, c.want)
		}
		if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") || strings.Contains(stderr, "Usage:") {
			t.Errorf("%s: stderr holds a stack trace or a usage dump: %q", name, stderr)
		}
	}
}

func TestARunExitsZeroEvenWhenItLosesMessages(t *testing.T) {
	code, stdout, stderr := run("competing", "--ack", "auto", "--crash", "worker-2@30ms", "--quiet")
	if code != ExitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q: a broken variant is a lesson, not an error", code, stderr)
	}
	if !strings.Contains(stdout, "✗ no message lost") {
		t.Errorf("the loss is not reported:\n%s", stdout)
	}
}

func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"competing", "--help"}, {"help", "competing"}, {"list"}} {
		code, stdout, stderr := run(args...)
		if code != ExitOK || stdout == "" || stderr != "" {
			t.Errorf("%v: exit %d, %d bytes out, stderr %q", args, code, len(stdout), stderr)
		}
	}
}

func TestColorFollowsTheFlagAndTheEnvironment(t *testing.T) {
	for _, c := range []struct {
		terminal bool
		noColor  string
		flag     string
		want     bool
	}{
		{false, "", "auto", false},
		{true, "", "auto", true},
		{true, "1", "auto", false},
		{true, "1", "always", true},
		{false, "", "always", true},
		{true, "", "never", false},
	} {
		app := &App{IO: &IOStreams{OutIsTerminal: c.terminal, Getenv: func(k string) string {
			if k == "NO_COLOR" {
				return c.noColor
			}
			return ""
		}}, Color: c.flag}
		if got := app.colorOn(); got != c.want {
			t.Errorf("terminal %v, NO_COLOR %q, --color %s: color %v, want %v", c.terminal, c.noColor, c.flag, got, c.want)
		}
	}
}

func TestCheckExitsOneOnlyWhenAGuaranteeBreaks(t *testing.T) {
	// Cut every run at 10ms: messages are still in flight, so manual-ack's
	// no-loss guarantee breaks. No pattern flag is given, so the sweep runs
	// with the pattern's faults, and the reproducing command shows them.
	code, stdout, stderr := run("check", "competing", "--until", "10ms", "--seeds", "3", "--variants", "manual-ack")
	if code != ExitFailure {
		t.Fatalf("exit %d, want 1; stdout:\n%s", code, stdout)
	}
	want := `msgplay: check competing: manual-ack guarantees "no message lost", but 3 of 3 runs broke it; ` +
		"first: msgplay competing --until 10ms --crash-rate 0.1 --restart-after 200ms --ack manual --seed 1\n"
	if stderr != want {
		t.Errorf("stderr %q\nwant   %q", stderr, want)
	}
	// auto-ack claims nothing, so its losses are a lesson: exit 0.
	code, stdout, _ = run("check", "competing", "--crash", "worker-2@30ms", "--seeds", "5", "--variants", "auto-ack")
	if code != ExitOK || !strings.Contains(stdout, "5 of 5") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

func TestCheckUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check"}, "check needs a pattern"},
		{[]string{"check", "nosuch"}, `check: no pattern "nosuch"`},
		{[]string{"check", "competing", "--seeds", "0"}, "--seeds must be from 1 to 10000000 (got 0)"},
		{[]string{"check", "competing", "--variants", "best"}, `--variants: competing has no variant "best": want auto-ack or manual-ack`},
		{[]string{"check", "competing", "--seed", "4"}, "a sweep takes --first-seed S and --seeds N"},
		{[]string{"check", "competing", "--consumers", "0"}, "--consumers must be from 1 to 1000 (got 0)"},
		{[]string{"check", "competing", "--bogus"}, "msgplay: check competing: unknown flag --bogus"},
		{[]string{"check", "competing", "--jobs", "-1"}, "--jobs must be from 0 (one per CPU) to 256 (got -1)"},
		{[]string{"explain"}, "explain takes one pattern"},
		{[]string{"explain", "nosuch"}, `explain: no pattern "nosuch"`},
	} {
		code, stdout, stderr := run(c.args...)
		if code != ExitUsage || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, stdout, stderr, c.want)
		}
	}
}

func TestCheckDoesNotDependOnJobs(t *testing.T) {
	args := []string{"check", "competing", "--crash", "worker-2@30ms", "--visibility-timeout", "40ms", "--seeds", "40", "--format", "json"}
	_, one, _ := run(append(args, "--jobs", "1")...)
	_, four, _ := run(append(args, "--jobs", "4")...)
	if one != four || one == "" {
		t.Errorf("--jobs 1 and --jobs 4 differ:\n%s\n%s", one, four)
	}
}
