package retry

import (
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// feed is a trace written by hand, to plant one bug at a time in front of
// the checks.
type feed struct {
	c *Checks
	t time.Duration
}

func newFeed(capacity string) *feed {
	f := &feed{c: NewChecks()}
	f.c.Event(&trace.Event{Kind: trace.Run, Actor: "msgplay", Params: []trace.Param{{Name: "gateway-capacity", Value: capacity}}})
	return f
}

func (f *feed) at(ms int) *feed { f.t = time.Duration(ms) * time.Millisecond; return f }

func (f *feed) ev(k trace.Kind, actor, to, id, typ string, attempt int, note string) *feed {
	f.c.Event(&trace.Event{T: f.t, Kind: k, Actor: actor, To: to, Note: note,
		Msg: trace.Msg{ID: id, Type: typ, Key: "order-" + id[1:], Attempt: attempt}})
	return f
}

func (f *feed) send(id string) *feed { return f.ev(trace.Send, Shop, Queue, id, "PlaceOrder", 0, "") }
func (f *feed) redrive(id string) *feed {
	return f.ev(trace.Send, Redriver, Queue, id, "PlaceOrder", 0, "")
}
func (f *feed) call(id string, n int) *feed {
	return f.ev(trace.Call, "worker-1", Gateway, id, "Charge", n, "")
}
func (f *feed) charge(id string) *feed {
	return f.ev(trace.Handle, Gateway, "worker-1", id, "Charge", 1, "")
}
func (f *feed) answer(id string, o outcome) *feed {
	return f.ev(trace.Response, Gateway, "worker-1", id, outcomeTypes[o], 1, outcomeNotes[o])
}
func (f *feed) ack(id string) *feed {
	return f.ev(trace.Ack, "worker-1", Queue, id, "PlaceOrder", 1, "")
}
func (f *feed) deadLetter(id, reason string) *feed {
	return f.ev(trace.DeadLetter, Queue, DLQ, id, "PlaceOrder", 1, reason)
}
func (f *feed) outage() *feed {
	f.c.Event(&trace.Event{T: f.t, Kind: trace.Fault, Actor: Gateway})
	return f
}

// pay sends, calls, charges and acks an order.
func (f *feed) pay(id string) *feed {
	return f.send(id).call(id, 1).charge(id).answer(id, charged).ack(id)
}

func (f *feed) verdict(t *testing.T, name string) trace.Verdict {
	t.Helper()
	for _, v := range f.c.Verdicts() {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("no verdict %s", name)
	return trace.Verdict{}
}

func wantVerdict(t *testing.T, v trace.Verdict, ok bool, evidence string) {
	t.Helper()
	if v.OK != ok {
		t.Fatalf("%s: ok = %v, want %v (%s %q)", v.Name, v.OK, ok, v.Detail, v.Evidence)
	}
	if evidence != "" && !strings.Contains(strings.Join(v.Evidence, "\n"), evidence) {
		t.Errorf("%s: evidence %q does not name %q", v.Name, v.Evidence, evidence)
	}
}

func TestNoLossHoldsWhenEveryOrderIsPaid(t *testing.T) {
	f := newFeed("100/s").pay("m1").pay("m2")
	wantVerdict(t, f.verdict(t, "no-loss"), true, "")
}

func TestNoLossCatchesAnOrderNeverSettled(t *testing.T) {
	f := newFeed("100/s").pay("m1").send("m2").call("m2", 1)
	wantVerdict(t, f.verdict(t, "no-loss"), false, "m2 order-2: still in flight")
}

func TestNoLossCatchesADeadLetterNeverRedriven(t *testing.T) {
	f := newFeed("100/s").at(10).outage().send("m1").call("m1", 1).answer("m1", unavailable).
		deadLetter("m1", "no retry policy").at(50).outage()
	wantVerdict(t, f.verdict(t, "no-loss"), false, "m1 order-1: parked in orders.dlq at 10ms after Unavailable, never redriven")
}

func TestNoLossCatchesARedriveDuringTheOutage(t *testing.T) {
	f := newFeed("100/s").at(10).outage().send("m1").call("m1", 1).answer("m1", unavailable).
		deadLetter("m1", "no retry policy").at(20).redrive("m1").call("m1", 2).answer("m1", unavailable).
		deadLetter("m1", "no retry policy").at(50).outage()
	wantVerdict(t, f.verdict(t, "no-loss"), false, "redriven at 20ms while the gateway was still down")
}

func TestNoLossCatchesADeadLetterWithoutReason(t *testing.T) {
	f := newFeed("100/s").send("m1").call("m1", 1).answer("m1", declined).deadLetter("m1", "")
	wantVerdict(t, f.verdict(t, "no-loss"), false, "dead-lettered with no reason")
}

func TestNoLossAcceptsParkedOrdersItCannotPay(t *testing.T) {
	// Declined for good, or redriven after the outage and failing again:
	// both are where they belong, with their reason.
	f := newFeed("100/s").send("m1").call("m1", 1).answer("m1", declined).deadLetter("m1", "permanent error").
		at(10).outage().send("m2").call("m2", 1).answer("m2", unavailable).deadLetter("m2", "no retry policy").
		at(50).outage().at(60).redrive("m2").call("m2", 2).answer("m2", serverError).deadLetter("m2", "no retry policy")
	wantVerdict(t, f.verdict(t, "no-loss"), true, "")
}

func TestNoDuplicateChargesCatchesASecondCharge(t *testing.T) {
	f := newFeed("100/s").send("m1").call("m1", 1).at(5).charge("m1").answer("m1", noResponse).
		at(90).call("m1", 2).charge("m1").answer("m1", charged).ack("m1")
	wantVerdict(t, f.verdict(t, "no-duplicate-charges"), false, "m1 order-1 charged at 5ms and again at 90ms, by a retry")
}

func TestNoDuplicateChargesCatchesAChargeAfterPayment(t *testing.T) {
	f := newFeed("100/s").pay("m1").at(40).charge("m1")
	wantVerdict(t, f.verdict(t, "no-duplicate-charges"), false, "charged again at 40ms, after it was paid")
}

func TestNoDuplicateChargesCountsARecognisedRepeatAsNone(t *testing.T) {
	f := newFeed("100/s").send("m1").call("m1", 1).charge("m1").answer("m1", noResponse).call("m1", 2).
		ev(trace.Skip, Gateway, "worker-1", "m1", "Charge", 2, "already charged").answer("m1", charged).ack("m1")
	wantVerdict(t, f.verdict(t, "no-duplicate-charges"), true, "")
}

func TestAmplificationCatchesAStorm(t *testing.T) {
	f := newFeed("10/s").send("m1")
	for i := 1; i <= 11; i++ {
		f.at(i*50).call("m1", i).answer("m1", unavailable)
	}
	v := f.verdict(t, "amplification")
	wantVerdict(t, v, false, "11 calls, 10 of them retries, against 10/s")
	if !strings.Contains(v.Detail, "11.0 calls per order; peak 11 calls/s at 550ms") {
		t.Errorf("detail %q lacks the figures", v.Detail)
	}
}

func TestAmplificationForgetsCallsOlderThanASecond(t *testing.T) {
	f := newFeed("10/s").send("m1")
	for i := 1; i <= 20; i++ {
		f.at(i*110).call("m1", i).answer("m1", unavailable)
	}
	wantVerdict(t, f.verdict(t, "amplification"), true, "")
}

func TestRecoveryTimeIsMeasuredFromTheOutagesEnd(t *testing.T) {
	f := newFeed("100/s").send("m1").at(100).outage().send("m2").at(300).outage().at(450).
		call("m1", 1).charge("m1").answer("m1", charged).ack("m1")
	v := f.verdict(t, "recovery-time")
	wantVerdict(t, v, true, "")
	if !strings.Contains(v.Detail, "back to 1 (as the outage began) 150ms after it ended") {
		t.Errorf("detail %q lacks the recovery time", v.Detail)
	}
}

func TestRecoveryTimeCatchesABacklogThatNeverDrains(t *testing.T) {
	f := newFeed("100/s").at(100).outage().send("m1").call("m1", 1).answer("m1", unavailable).
		deadLetter("m1", "no retry policy").at(300).outage().at(900).pay("m2")
	wantVerdict(t, f.verdict(t, "recovery-time"), false, "m1 order-1: parked in orders.dlq since 100ms")
}
