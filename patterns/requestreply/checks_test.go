package requestreply

import (
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns/patterntest"
)

const ms = time.Millisecond

// verdict runs cfg (which must be valid) and returns the named verdict.
func verdict(t *testing.T, cfg Config, name string) trace.Verdict {
	t.Helper()
	return patterntest.Verdict(t, cfg, cfg.Common, name)
}

// crashBeforeReply is the scenario of the crash demo: stock reserves for
// r2, crashes before replying, and comes back after the requester retried.
func crashBeforeReply() Config {
	c := Default()
	c.Requests = 2
	c.Work = sim.Const(20 * ms)
	c.Crashes = []sim.Crash{{Actor: Stock, At: 20 * ms}}
	c.RestartAfter = 150 * ms
	return c
}

// TestEachCheckCatchesAPlantedBug plants one bug per check in the
// simulation and demands that the check fails with evidence, and holds
// without the bug.
func TestEachCheckCatchesAPlantedBug(t *testing.T) {
	slow := Default()
	slow.Slow = map[string]float64{Stock: 8}
	slow.Retries = 0

	idem := crashBeforeReply()
	idem.Idempotent = true

	reorder := Default()
	reorder.Slow = map[string]float64{Pricing: 4}

	for _, tc := range []struct {
		check string
		cfg   Config
		bug   bug
		want  string // in the evidence
	}{
		{"answered-or-failed", slow, bugForgetCaller, "r2 ReserveStock order-1001, asked by checkout"},
		{"no-duplicate-effects", idem, bugForgetAnswer, "r2 ReserveStock order-1001: the work done again by stock"},
		{"replies-to-caller", reorder, bugMatchOldest, "(reply to r2) matched to r1"},
	} {
		t.Run(tc.check, func(t *testing.T) {
			if v := verdict(t, tc.cfg, tc.check); !v.OK {
				t.Fatalf("fails without the bug: %s %v", v.Detail, v.Evidence)
			}
			buggy := tc.cfg
			buggy.bug = tc.bug
			v := verdict(t, buggy, tc.check)
			if v.OK || !strings.Contains(strings.Join(v.Evidence, "\n"), tc.want) {
				t.Errorf("the planted bug went unnoticed or unnamed: %s %q; want evidence with %q",
					v.Detail, v.Evidence, tc.want)
			}
		})
	}
}

// TestTheLessonsShowInTheVerdicts runs the demos' broken scenarios: each
// must break its check, and its fix must hold.
func TestTheLessonsShowInTheVerdicts(t *testing.T) {
	crash := crashBeforeReply()
	if v := verdict(t, crash, "no-duplicate-effects"); v.OK {
		t.Errorf("a crash after the work and a retry did the work once: %s", v.Detail)
	}
	crash.Idempotent = true
	if v := verdict(t, crash, "no-duplicate-effects"); !v.OK {
		t.Errorf("an idempotent service did the work twice: %v", v.Evidence)
	}

	shared := Default()
	shared.Requesters, shared.ReplyQueue, shared.Requests = 2, Shared, 6
	v := verdict(t, shared, "replies-to-caller")
	if v.OK || !strings.Contains(strings.Join(v.Evidence, "\n"), "taken and dropped by checkout-") {
		t.Errorf("a shared reply queue delivered every reply to its caller: %s %v", v.Detail, v.Evidence)
	}
	shared.ReplyQueue = PerRequester
	if v := verdict(t, shared, "replies-to-caller"); !v.OK {
		t.Errorf("per-requester queues misdelivered: %v", v.Evidence)
	}

	forever := Default()
	forever.Timeout, forever.Retries, forever.DropReplyRate = 0, 0, 0.3
	if v := verdict(t, forever, "answered-or-failed"); v.OK {
		t.Errorf("a lost reply without a timeout left nothing waiting: %s", v.Detail)
	}
	forever.Timeout = 100 * ms
	if v := verdict(t, forever, "answered-or-failed"); !v.OK {
		t.Errorf("with a timeout a call still hangs: %v", v.Evidence)
	}
}

// TestChecksReadOnlyEvents feeds the Calls sink a hand-made trace: the
// verdicts follow from the events, without a simulation.
func TestChecksReadOnlyEvents(t *testing.T) {
	req := func(id, corr string) trace.Msg {
		return trace.Msg{ID: id, Type: "QuotePrice", Class: trace.Command, Key: "order-1001",
			ReplyTo: "checkout-1.replies", CorrelationID: corr}
	}
	rep := func(id, corr string) trace.Msg {
		return trace.Msg{ID: id, Type: "PriceQuoted", Class: trace.Reply, Key: "order-1001", CorrelationID: corr}
	}
	c := NewCalls()
	for _, e := range []trace.Event{
		{Kind: trace.Send, Actor: "checkout-1", To: "pricing.requests", Msg: req("r1", "r1")},
		{Kind: trace.Send, Actor: "checkout-2", To: "pricing.requests", Msg: req("r2", "r2")},
		{Kind: trace.Send, Actor: "checkout-2", To: "pricing.requests", Msg: req("r3", "r3")},
		{Kind: trace.Handle, Actor: "pricing", To: "pricing.requests", Msg: req("r1", "r1")},
		{Kind: trace.Handle, Actor: "pricing", To: "pricing.requests", Msg: req("r1", "r1")},
		{Kind: trace.Send, Actor: "pricing", To: "checkout.replies", Msg: rep("a1", "r1")},
		{Kind: trace.Deliver, Actor: "checkout.replies", To: "checkout-2", Msg: rep("a1", "r1")},
		{Kind: trace.Handle, Actor: "checkout-2", To: "checkout.replies", Msg: rep("a1", "r2")},
		{Kind: trace.Send, Actor: "pricing", To: "checkout.replies", Msg: rep("a1.2", "r1")},
		{Kind: trace.Deliver, Actor: "checkout.replies", To: "checkout-2", Msg: rep("a1.2", "r1")},
		{Kind: trace.Nack, Actor: "checkout-2", To: "checkout.replies", Msg: rep("a1.2", "r1")},
		{Kind: trace.Deliver, Actor: "checkout.replies", To: "checkout-1", Msg: rep("a1.2", "r1")},
		{Kind: trace.Skip, Actor: "checkout-2", To: "checkout.replies", Msg: rep("a1.2", "r1")},
		{Kind: trace.Drop, Actor: "checkout-2", Msg: req("r2", "r2")},
	} {
		c.Event(&e)
	}
	got := map[string]trace.Verdict{}
	for _, v := range c.Verdicts("") {
		got[v.Name] = v
	}
	if v := got["answered-or-failed"]; v.OK || len(v.Evidence) != 2 ||
		!strings.HasPrefix(v.Evidence[0], "r1 ") || !strings.HasPrefix(v.Evidence[1], "r3 ") {
		t.Errorf("answered-or-failed: %s %q; want r1 and r3 left waiting", v.Detail, v.Evidence)
	}
	if v := got["no-duplicate-effects"]; v.OK || v.Detail != "1 call had its work done more than once" {
		t.Errorf("no-duplicate-effects: %s", v.Detail)
	}
	if v := got["replies-to-caller"]; v.OK || len(v.Evidence) != 2 ||
		!strings.Contains(v.Evidence[0], "a1 (reply to r1) matched to r2") ||
		!strings.Contains(v.Evidence[1], "a1.2 (reply to r1, asked by checkout-1) discarded by checkout-2") {
		t.Errorf("replies-to-caller: %s %q", v.Detail, v.Evidence)
	}
}

// TestVerdictsDoNotReadNotes rewords every note of a run: no verdict may
// change.
func TestVerdictsDoNotReadNotes(t *testing.T) {
	cfg := crashBeforeReply()
	cfg.Requesters, cfg.ReplyQueue, cfg.Requests = 2, Shared, 6
	patterntest.VerdictsIgnoreNotes(t, cfg, cfg.Common, NewCalls(), NewCalls())
}

// TestVariantsKeepTheirGuaranteesUnderTheFaults runs every variant with the
// sweep's faults over 50 seeds.
func TestVariantsKeepTheirGuaranteesUnderTheFaults(t *testing.T) {
	patterntest.VariantsKeepTheirGuarantees(t, Definition, 50)
}
