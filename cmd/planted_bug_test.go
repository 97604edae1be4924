package cmd

import (
	"testing"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/outbox"
)

// TestAPlantedBugIsCaughtWithAReproducingSeed plants a real bug — the inbox
// checks for a handled id but forgets to record it — and demands that a
// sweep catches it, and that the first failing seed, run alone, shows the
// same duplicate effect. The same sweep without the bug must pass.
func TestAPlantedBugIsCaughtWithAReproducingSeed(t *testing.T) {
	cfg := outbox.Default()
	cfg.Orders = 20
	cfg.Inbox = true
	cfg.RelayCrashRate = 0.1
	runWith := func(bug bool) func(seed uint64) *trace.Report {
		return func(seed uint64) *trace.Report {
			c := cfg
			c.BugSkipInboxRecord = bug
			c.Common = patterns.Common{Seed: seed}
			return c.Run(c.Common, nil)
		}
	}
	guarantee := []string{"exactly-once-effect"}

	clean := check.Sweep([]check.Case{{Variant: "inbox", Guarantees: guarantee, Run: runWith(false)}}, 1, 300, 0, nil)
	for _, c := range clean[0].Checks {
		if c.Broken() {
			t.Fatalf("without the bug, %s broke in %d runs (seed %d)", c.Name, c.Violated, c.FailingSeeds[0])
		}
	}

	buggy := check.Sweep([]check.Case{{Variant: "inbox", Guarantees: guarantee, Run: runWith(true)}}, 1, 300, 0, nil)
	var caught *check.CheckResult
	for i, c := range buggy[0].Checks {
		if c.Name == "exactly-once-effect" {
			caught = &buggy[0].Checks[i]
		}
	}
	if caught == nil || !caught.Broken() {
		t.Fatalf("the planted bug went unnoticed in 300 runs: %+v", buggy[0].Checks)
	}
	seed := caught.FailingSeeds[0]
	v, ok := runWith(true)(seed).Verdict("exactly-once-effect")
	if !ok || v.OK || len(v.Evidence) == 0 {
		t.Fatalf("seed %d failed in the sweep but not alone: %+v", seed, v)
	}
	if again, _ := runWith(false)(seed).Verdict("exactly-once-effect"); !again.OK {
		t.Fatalf("seed %d fails without the bug too: %+v", seed, again)
	}
}
