package ordering

import (
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// feed runs hand-written events through a Checks and returns its verdicts
// by name. Each event is "KIND ID KEY CHANNEL" (a handle or commit names the
// channel it settles on).
func feed(t *testing.T, maxLag int, lines ...string) map[string]trace.Verdict {
	t.Helper()
	c := NewChecks(maxLag)
	for i, line := range lines {
		f := strings.Fields(line)
		k, ok := trace.ParseKind(f[0])
		if !ok || len(f) != 4 {
			t.Fatalf("bad line %q", line)
		}
		e := trace.Event{Seq: int64(i + 1), T: time.Duration(i) * time.Millisecond, Kind: k, Actor: "consumer-1", To: f[3],
			Msg: trace.Msg{ID: f[1], Type: "OrderPaid", Class: trace.EventMsg, Key: f[2]}}
		if k == trace.Send || k == trace.Publish {
			e.Actor = Producer
		}
		c.Event(&e)
	}
	got := map[string]trace.Verdict{}
	for _, v := range c.Verdicts(time.Second, "") {
		got[v.Name] = v
	}
	return got
}

func TestChecksCatchAnEventAppliedAfterALaterOne(t *testing.T) {
	v := feed(t, 0,
		"send m1 order-1 orders", "send m2 order-1 orders", "send m3 order-2 orders",
		"handle m2 order-1 orders", "handle m3 order-2 orders", "handle m1 order-1 orders",
		"ack m1 order-1 orders", "ack m2 order-1 orders", "ack m3 order-2 orders")["per-key-order"]
	if v.OK || len(v.Evidence) != 1 || !strings.HasPrefix(v.Evidence[0], "m1 OrderPaid order-1 applied at 5ms, after m2") {
		t.Errorf("want m1 caught applied after m2, got %+v", v)
	}
}

// A replay applies old events again after newer ones: that is a duplicate,
// not a reordering, and a lost event reorders nothing.
func TestReplaysAndLossesAreNotReorderings(t *testing.T) {
	v := feed(t, 0,
		"publish m1 order-1 p0", "publish m2 order-1 p0", "publish m3 order-1 p0",
		"handle m1 order-1 p0", "handle m2 order-1 p0", "handle m1 order-1 p0", "handle m2 order-1 p0",
		"commit m3 order-1 p0", "handle m3 order-1 p0")
	if !v["per-key-order"].OK || v["no-duplicate-effects"].OK || !v["no-loss"].OK {
		t.Errorf("a replay: %+v", v)
	}
	if e := v["no-duplicate-effects"].Evidence; len(e) != 2 || !strings.Contains(e[0], "m1 OrderPaid order-1 handled 2×") {
		t.Errorf("want m1 and m2 as duplicates, got %q", e)
	}
	v = feed(t, 0, "publish m1 order-1 p0", "publish m2 order-1 p0", "commit m1 order-1 p0", "handle m2 order-1 p0",
		"commit m2 order-1 p0")
	if !v["per-key-order"].OK || v["no-loss"].OK || !strings.Contains(v["no-loss"].Evidence[0], "m1 OrderPaid order-1: settled, never applied") {
		t.Errorf("a commit past an unhandled event: %+v", v)
	}
}

func TestChecksSeeADropAndWhatIsStillInFlight(t *testing.T) {
	v := feed(t, 0, "send m1 order-1 orders", "send m2 order-2 orders", "drop m1 order-1 orders")["no-loss"]
	if v.OK || v.Detail != "1 of 2 lost; 1 never applied" || len(v.Evidence) != 2 {
		t.Errorf("got %+v", v)
	}
}

func TestLagMustDrainAndStayUnderTheLimit(t *testing.T) {
	events := []string{"publish m1 order-1 p0", "publish m2 order-1 p0", "publish m3 order-1 p0",
		"handle m1 order-1 p0", "handle m2 order-1 p0", "handle m3 order-1 p0", "commit m2 order-1 p0"}
	v := feed(t, 0, events...)["lag"]
	if v.OK || len(v.Evidence) != 1 || v.Evidence[0] != "p0 ended 1 behind" {
		t.Errorf("a partition committed short of its end: %+v", v)
	}
	events = append(events, "commit m3 order-1 p0")
	if v := feed(t, 0, events...)["lag"]; !v.OK || !strings.HasPrefix(v.Detail, "worst p0: 3 behind at 2ms") {
		t.Errorf("a drained partition: %+v", v)
	}
	if v := feed(t, 2, events...)["lag"]; v.OK || !strings.HasSuffix(v.Detail, "over --max-lag 2") {
		t.Errorf("a lag of 3 under --max-lag 2: %+v", v)
	}
}

// A parked event lives on two channels: the stream settles it at once,
// the retry queue once it is applied. It is neither lost nor repeated.
func TestAParkedEventIsSettledWhereItWasApplied(t *testing.T) {
	v := feed(t, 0, "publish m1 order-1 p0", "publish m2 order-1 p0", "send m1 order-1 orders.retry",
		"handle m2 order-1 p0", "commit m2 order-1 p0", "handle m1 order-1 orders.retry", "ack m1 order-1 orders.retry")
	if v["per-key-order"].OK || !v["no-loss"].OK || !v["no-duplicate-effects"].OK || !v["lag"].OK {
		t.Errorf("a parked event: %+v", v)
	}
}
