package cmd

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// commandLines returns, for every command msgplay has (check and compare
// with a pattern too), the words that call it.
func commandLines() [][]string {
	var lines [][]string
	var walk func(c *cobra.Command, words []string)
	walk = func(c *cobra.Command, words []string) {
		lines = append(lines, words)
		for _, sub := range c.Commands() {
			walk(sub, append(words[:len(words):len(words)], sub.Name()))
		}
	}
	walk(NewRootCmd(&IOStreams{}, nil), nil)
	return append(lines, []string{"check", "competing"}, []string{"compare", "competing"})
}

// Usage errors once named the command by its whole path, so Run's
// "msgplay: " made `msgplay: msgplay pubsub: unknown flag --bogus`. Every
// command, and every one added later, says msgplay once, in one line, and
// exits 2, for an unknown flag and for an argument it does not take.
func TestEveryCommandSaysMsgplayOnce(t *testing.T) {
	for _, words := range commandLines() {
		for _, bad := range []string{"--bogus", "extra"} {
			args := append(words[:len(words):len(words)], bad)
			code, stdout, stderr := run(args...)
			if code != ExitUsage || stdout != "" || strings.Count(stderr, "\n") != 1 ||
				!strings.HasPrefix(stderr, "msgplay: ") || strings.Count(stderr, "msgplay: ") != 1 ||
				strings.HasPrefix(stderr, "msgplay: msgplay") || !strings.Contains(stderr, bad) {
				t.Errorf("msgplay %s: exit %d, stdout %d bytes, stderr %q; want exit 2 and one line"+
					" naming %s that says msgplay once", strings.Join(args, " "), code, len(stdout), stderr, bad)
			}
		}
	}
}

// An unknown flag names the flag of the command it is closest to, and
// only when one is close.
func TestAnUnknownFlagNamesTheNearestOne(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"pubsub", "--event", "3"}, "msgplay: pubsub: unknown flag --event (did you mean --events?): see 'msgplay pubsub --help'\n"},
		{[]string{"competing", "--consumer", "3"}, "(did you mean --consumers?)"},
		{[]string{"check", "competing", "--seed", "3", "--sedes", "4"}, "--seed picks one run"},
		{[]string{"check", "competing", "--sedes", "4"}, "check competing: unknown flag --sedes (did you mean --seeds?)"},
		{[]string{"--colour", "never"}, "msgplay: unknown flag --colour (did you mean --color?): see 'msgplay --help'\n"},
		{[]string{"pubsub", "--sub", "a"}, "(did you mean --subscribers?)"},
		{[]string{"pubsub", "--bogus"}, "msgplay: pubsub: unknown flag --bogus: see 'msgplay pubsub --help'\n"},
		{[]string{"check", "--seeds", "5"}, "check: the pattern comes before the flags (got --seeds first)"},
		{[]string{"check", "--seeds", "5", "competing", "--messages", "3"},
			"check: the pattern comes before the flags: msgplay check competing --seeds 5 --messages 3"},
		{[]string{"compare", "--seed", "2", "pubsub"}, "compare: the pattern comes before the flags: msgplay compare pubsub --seed 2"},
		{[]string{"check", "--seeds", "5", "competing", "--messages", "30", "--variants", "auto-ack,manual-ack"},
			"check: the pattern comes before the flags: msgplay check competing [flags]\n"},
		{[]string{"check", "competing", "--color", "sometimes"}, `--color: "sometimes" is not a color mode`},
		{[]string{"compare", "competing", "--color"}, "--color needs a value"},
		{[]string{"completion", "tcsh"}, `completion: no shell "tcsh": want bash, fish, powershell or zsh`},
	} {
		code, _, stderr := run(c.args...)
		if code != ExitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", c.args, code, stderr, c.want)
		}
	}
}
