package cmd

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// A run that went on for minutes once said nothing until its end. Past
// the budget it shows how far it has come on a terminal's stderr, clears
// the line at the end, and shows nothing at all when stderr is not a
// terminal, so pipes and goldens are unchanged.
func TestLongRunShowsProgressOnATerminal(t *testing.T) {
	defer func(b time.Duration) { runBudget = b }(runBudget)
	runBudget = 0
	args := []string{"competing", "--messages", "40000", "--until", "10m", "-q"}
	runOn := func(terminal bool) (string, string) {
		var out, errb bytes.Buffer
		ios := &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb, ErrIsTerminal: terminal,
			Getenv: func(string) string { return "" }}
		if code := Run(args, ios); code != ExitOK {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		return out.String(), errb.String()
	}
	out, progress := runOn(true)
	if !strings.Contains(progress, "\rrunning… virtual time ") || !strings.Contains(progress, " of --until 600s · ") ||
		!strings.Contains(progress, " messages settled") || !strings.HasSuffix(progress, "\r\x1b[K") {
		t.Errorf("on a terminal, stderr %q: want the run's progress, then the line cleared", progress)
	}
	piped, quiet := runOn(false)
	if quiet != "" || piped != out {
		t.Errorf("not on a terminal, stderr %q and stdout %s the terminal's: want nothing on stderr and the same stdout",
			quiet, map[bool]string{true: "as", false: "unlike"}[piped == out])
	}
}
