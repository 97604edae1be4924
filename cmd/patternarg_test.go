package cmd

import (
	"strings"
	"testing"
)

// check and compare parse their own flags after the pattern; the global
// --color was refused there ("unknown flag --color") wherever it stood,
// though `msgplay --help` lists it for every command. Now it is taken
// before the pattern, after it, and with = alike, and its value is
// checked as anywhere else.
func TestCheckAndCompareTakeTheGlobalColorFlag(t *testing.T) {
	for _, args := range [][]string{
		{"check", "competing", "--seeds", "2", "--messages", "5", "--color", "never"},
		{"--color", "always", "check", "competing", "--seeds", "2", "--messages", "5"},
		{"compare", "competing", "--color=never", "--seed", "3"},
		{"--color", "always", "compare", "competing", "--seed", "3"},
	} {
		_, plain, _ := run(withoutColor(args)...)
		code, stdout, stderr := run(args...)
		if code != ExitOK || stderr != "" || stdout != plain {
			t.Errorf("%v: exit %d, stderr %q, output as without --color: %v; want exit 0 and the same output",
				args, code, stderr, stdout == plain)
		}
	}
}

// withoutColor returns args without --color and its value.
func withoutColor(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		switch {
		case args[i] == "--color":
			i++
		case strings.HasPrefix(args[i], "--color="):
		default:
			out = append(out, args[i])
		}
	}
	return out
}
