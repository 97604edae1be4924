package cmd

import (
	"bytes"
	"strings"
	"testing"
)

// Ctrl-C during check once printed nothing about the runs done and left
// the progress bar on the line: it prints the table of what ran, clears
// the bar and exits 130.
func TestCheckInterruptedPrintsThePartialTable(t *testing.T) {
	stop := make(chan struct{})
	close(stop)
	var out, errb bytes.Buffer
	code := Run([]string{"check", "competing", "--seeds", "50"}, &IOStreams{In: strings.NewReader(""),
		Out: &out, Err: &errb, Getenv: func(string) string { return "" }, Interrupt: stop})
	if code != ExitInterrupted {
		t.Fatalf("exit %d, stderr %q; want %d", code, errb.String(), ExitInterrupted)
	}
	if !strings.Contains(out.String(), "variant  check") ||
		!strings.Contains(out.String(), "· interrupted after 0 of 100 runs: the table counts only those") ||
		strings.Contains(out.String(), "every guarantee held") {
		t.Errorf("stdout:\n%s", out.String())
	}
}

// --jobs once started that many goroutines (1e8 hung): it has a ceiling.
func TestCheckJobsHasACeiling(t *testing.T) {
	code, _, stderr := run("check", "competing", "--seeds", "2", "--jobs", "257")
	if code != ExitUsage || stderr != "msgplay: --jobs must be from 0 (one per CPU) to 256 (got 257)\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := run("check", "competing", "--seeds", "2", "--jobs", "256"); code != ExitOK {
		t.Errorf("--jobs 256: exit %d, stderr %q", code, stderr)
	}
}
