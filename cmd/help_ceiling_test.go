package cmd

import (
	"strings"
	"testing"

	"github.com/msgplay/msgplay/internal/sim"
)

// The help once said nothing of the ceiling that every duration flag
// enforces: each pattern's help and check's state it.
func TestHelpStatesTheDurationCeiling(t *testing.T) {
	want := "at most " + sim.MaxTimeText
	for _, p := range patternList {
		if _, out, _ := run(p.name, "--help"); !strings.Contains(out, want) {
			t.Errorf("msgplay %s --help does not say %q", p.name, want)
		}
	}
	if _, out, _ := run("check", "--help"); !strings.Contains(out, want) {
		t.Errorf("msgplay check --help does not say %q", want)
	}
}
