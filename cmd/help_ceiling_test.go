package cmd

import (
	"strconv"
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
		{"saga", "orders", "at most 1000000"},
		{"saga", "retries", "at most 20"},
		{"saga", "stock", "at most 10000000"},
		{"saga", "fail-compensation", "at most 100"},
		{"competing", "consumers", "1 to 1000"},
		{"competing", "messages", "at most 10000000"},
		{"competing", "prefetch", "at most 1000"},
		{"competing", "max-deliveries", "at most 100"},
		{"outbox", "batch", "1 to 10000"},
		{"ordering", "max-lag", "at most 4000000"},
		{"partition", "site-a", "1 to --nodes minus 1"},
		{"loadlevel", "messages", "at most 250000"},
		{"loadlevel", "burst", "at most 100 times"},
		{"loadlevel", "prefetch", "at most 1000"},
		{"loadlevel", "scale-up-at", "1 to 1000000"},
		{"loadlevel", "scale-down-at", "0 to below --scale-up-at"},
		{"request-reply", "drop-reply-rate", "at most 0.9"},
		{"pubsub", "subscribers", "at most 64"},
	} {
		p, _ := findPattern(c.pattern)
		f := p.command(&App{IO: &IOStreams{}}).Flags().Lookup(c.flag)
		if f == nil || !strings.Contains(f.Usage, c.want) {
			t.Errorf("%s --%s: help does not say %q", c.pattern, c.flag, c.want)
		}
	}
}

// Count flags without a ceiling once took any value: a million workers,
// a billion-row batch, a backlog no run could reach. Each refuses the
// value past its ceiling in one line that names the flag and the range.
func TestCountFlagsRefuseValuesPastTheirCeilings(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"competing", "--consumers", "1001"}, "--consumers must be from 1 to 1000 (got 1001)"},
		{[]string{"competing", "--messages", "10000001"}, "--messages must be from 1 to 10000000 (got 10000001)"},
		{[]string{"competing", "--prefetch", "1001"}, "--prefetch must be from 0 to 1000 (got 1001)"},
		{[]string{"competing", "--max-deliveries", "101"}, "--max-deliveries must be from 0 to 100 (got 101)"},
		{[]string{"saga", "--retries", "21"}, "--retries must be from 0 to 20 (got 21)"},
		{[]string{"saga", "--stock", "10000001"}, "--stock must be from 0 to 10000000 (got 10000001)"},
		{[]string{"saga", "--orders", "1000001"}, "--orders must be from 1 to 1000000 (got 1000001)"},
		{[]string{"saga", "--fail-compensation", "payment=101"}, "--fail-compensation payment: N must be from 0 to 100"},
		{[]string{"outbox", "--batch", "10001"}, "--batch must be from 1 to 10000 (got 10001)"},
		{[]string{"ordering", "--max-lag", "4000001"}, "--max-lag must be from 0 to 4000000 (got 4000001)"},
		{[]string{"partition", "--site-a", "3"}, "--site-a must be from 1 to 2"},
		{[]string{"loadlevel", "--messages", "250001"}, "--messages must be from 0 to 250000 (got 250001)"},
		{[]string{"loadlevel", "--prefetch", "1001"}, "--prefetch must be from 0 to 1000 (got 1001)"},
		{[]string{"loadlevel", "--burst", "250001@1s"}, "the count must be from 1 to 250000"},
		{[]string{"loadlevel", "--burst", "200000@1s", "--burst", "1000@2s", "--messages", "49001"},
			"send about 250001 orders together: at most 250000"},
		{[]string{"loadlevel", "--duration", "10000h", "--arrival", "20ms"}, "send about 1800000000 orders together"},
		{[]string{"loadlevel", "--autoscale", "1..4", "--scale-up-at", "1000001"},
			"--scale-up-at must be from 1 to 1000000 (got 1000001)"},
		{[]string{"request-reply", "--drop-reply-rate", "0.95"}, "--drop-reply-rate must be from 0 to 0.9 (got 0.95)"},
		{[]string{"pubsub", "--subscribers", subscribers(65)}, "--subscribers lists 65 names: at most 64"},
	} {
		code, _, stderr := run(c.args...)
		if code != ExitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// subscribers returns n names, s1,s2,…
func subscribers(n int) string {
	names := make([]string, n)
	for i := range names {
		names[i] = "s" + strconv.Itoa(i+1)
	}
	return strings.Join(names, ",")
}
