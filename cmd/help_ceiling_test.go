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

// Count flags once hid the ceilings their Validate enforces.
func TestCountFlagsStateTheirCeilings(t *testing.T) {
	for _, c := range []struct{ pattern, flag, want string }{
		{"loadlevel", "consumers", "1 to 1000"},
		{"loadlevel", "queue-limit", "at most 1000000"},
		{"loadlevel", "sweep-consumers", "1 to 1000"},
		{"retry", "orders", "at most 1000000"},
		{"retry", "workers", "1 to 1000"},
		{"retry", "retries", "at most 20"},
		{"retry", "breaker-failures", "1 to 1000"},
		{"retry", "max-deliveries", "1 to 100"},
		{"retry", "gateway-capacity", "at most 1000000/s"},
		{"retry", "redrive-rate", "at most 1000000/s"},
		{"outbox", "orders", "1 to 10000000"},
		{"pubsub", "events", "at most 10000000"},
		{"saga", "orders", "at most 10000000"},
	} {
		p, _ := findPattern(c.pattern)
		f := p.command(&App{IO: &IOStreams{}}).Flags().Lookup(c.flag)
		if f == nil || !strings.Contains(f.Usage, c.want) {
			t.Errorf("%s --%s: help does not say %q", c.pattern, c.flag, c.want)
		}
	}
}
