package cmd

import (
	"slices"
	"strings"
	"testing"
)

// Repeated flags once behaved three ways: --instances payment=2 --instances
// payment=3 kept the last silently, a second --filter was refused, a name
// twice in --transient passed. One rule now: each use adds, and naming the
// same name twice is a usage error that says so.
func TestRepeatableFlagsTakeEachNameOnce(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"pubsub", "--instances", "payment=2", "--instances", "payment=3"}, "--instances: payment given twice"},
		{[]string{"pubsub", "--slow", "email=2", "--slow", "email=2"}, "--slow: email given twice"},
		{[]string{"pubsub", "--filter", "email=orders.#", "--filter", "email=orders.*"}, "--filter: email given twice"},
		{[]string{"pubsub", "--transient", "email", "--transient", "email"}, "--transient: email given twice"},
		{[]string{"pubsub", "--transient", "email,email"}, "--transient: email given twice"},
		{[]string{"pubsub", "--late", "email@1s", "--late", "email@2s"}, "--late: email given twice"},
		{[]string{"pubsub", "--fail", "email", "--fail", "email"}, "--fail: email given twice"},
		{[]string{"pubsub", "--subscribers", "a,b,a"}, "--subscribers: a given twice"},
		{[]string{"competing", "--slow", "worker-1=2", "--slow", "worker-1=3"}, "--slow: worker-1 given twice"},
		{[]string{"competing", "--poison", "m2", "--poison", "m2"}, "--poison: m2 given twice"},
		{[]string{"saga", "--fail-rate", "payment=0.1", "--fail-rate", "payment=0.2"}, "--fail-rate: payment given twice"},
		{[]string{"saga", "--fail-compensation", "payment=1", "--fail-compensation", "payment=2"},
			"--fail-compensation: payment given twice"},
		{[]string{"saga", "--fail", "payment", "--fail", "payment"}, "--fail: payment given twice"},
		{[]string{"check", "competing", "--variants", "auto-ack,auto-ack"}, "--variants: auto-ack given twice"},
	} {
		code, _, stderr := run(c.args...)
		if code != ExitUsage || stderr != "msgplay: "+c.want+"\n" {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", c.args, code, stderr, c.want)
		}
	}
	// Different names add up, one use of the flag each.
	code, out, stderr := run("pubsub", "--instances", "payment=2", "--instances", "email=3", "--events", "1", "-q")
	if code != ExitOK || !strings.Contains(out, "instances payment=2,email=3") {
		t.Errorf("two names: exit %d, %q; want both in the header\n%s", code, stderr, out)
	}
}

// A variant that sets a name the user gave (pubsub's direct mode slows
// analytics down) once made check print a command naming it twice, which
// the rule above refuses: the variant's use replaces the user's.
func TestReproduceNamesEachNameOnce(t *testing.T) {
	got := overridden([]string{"--slow=analytics=2", "--seed", "3", "--slow", "email=3", "-q", "--until", "1s"},
		[]string{"--slow", "analytics=8", "--mode", "direct"})
	want := []string{"--seed", "3", "--slow", "email=3", "-q", "--until", "1s"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	_, out, _ := run("check", "pubsub", "--slow", "analytics=2", "--seeds", "1", "--variants", "direct")
	if !strings.Contains(out, "msgplay pubsub --slow analytics=8 --mode direct --seed 1") {
		t.Errorf("check does not reproduce direct with --slow analytics=8 alone:\n%s", out)
	}
}
