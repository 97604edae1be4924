//go:build !live

package cmd

import (
	"strings"
	"testing"
)

func TestTheDefaultBuildSaysWhereLiveModeIs(t *testing.T) {
	for _, args := range [][]string{{"competing", "--live"}, {"serve"}, {"join", "competing"}} {
		code, _, stderr := run(args...)
		if code != ExitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "-tags live") {
			t.Errorf("%v: exit %d, %q; want exit 2 and one line naming the live build", args, code, stderr)
		}
	}
	if _, _, stderr := run("competing", "--nosuch"); strings.Contains(stderr, "live") {
		t.Errorf("an unknown flag of no live mode points at the live build: %q", stderr)
	}
}
