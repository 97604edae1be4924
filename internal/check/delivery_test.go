package check

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// feed plays a compact script of events into a Delivery check. Each step is
// "kind actor to id".
func feed(c *Delivery, steps ...string) {
	for _, s := range steps {
		e := step(s)
		c.Event(&e)
	}
}

// step returns the event a step of a script tells: "kind actor to id
// [note…]", the message's key k-id.
func step(s string) trace.Event {
	f := strings.Fields(s)
	k, ok := trace.ParseKind(f[0])
	if !ok {
		panic("bad kind " + f[0])
	}
	e := trace.Event{Kind: k, Actor: f[1], To: f[2], Msg: trace.Msg{ID: f[3], Key: "k-" + f[3]}}
	if len(f) > 4 {
		e.Note = strings.Join(f[4:], " ")
	}
	return e
}

// numbered gives e's message, whose id is m and digits, those digits as
// its number.
func numbered(e *trace.Event) {
	e.Msg.Num, _ = strconv.ParseUint(strings.TrimPrefix(e.Msg.ID, "m"), 10, 64)
}

// followNumbered returns a Delivery told the script on the recorder's
// narrow path, each message by its number alone, as a broker tells a
// numbered message.
func followNumbered(script ...string) *Delivery {
	c := NewDelivery()
	rec := trace.NewRecorder(new(time.Duration), c)
	names := &trace.Numbering{ID: "m", Key: "k-m"}
	for _, s := range script {
		e := step(s)
		numbered(&e)
		m := trace.Msg{Num: e.Msg.Num, Names: names}
		rec.EmitMsg(e.Kind, e.Actor, e.To, &m, 1, 0, e.Note)
	}
	return c
}

func verdict(t *testing.T, vs []trace.Verdict, name string) trace.Verdict {
	t.Helper()
	for _, v := range vs {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("no verdict %q in %v", name, vs)
	return trace.Verdict{}
}

func TestHandledAndAckedIsNotLost(t *testing.T) {
	c := NewDelivery()
	feed(c, "send p q m1", "deliver q w1 m1", "handle w1 q m1", "ack w1 q m1")
	vs, pending := c.Verdicts("")
	if v := verdict(t, vs, "no-loss"); !v.OK || v.Detail != "all 1 messages handled and acked" {
		t.Errorf("no-loss: %+v", v)
	}
	if len(pending) != 0 || c.kept() != 0 {
		t.Errorf("pending %v, %d fates kept after settling", pending, c.kept())
	}
}

func TestSettledMessagesAreForgotten(t *testing.T) {
	c := NewDelivery()
	feed(c, "send p q m1", "deliver q w1 m1", "handle w1 q m1", "ack w1 q m1")
	if c.kept() != 0 {
		t.Errorf("%d fates kept: memory would grow with the number of messages", c.kept())
	}
}

func TestDropIsLostWithWhy(t *testing.T) {
	c := NewDelivery()
	feed(c, "send p q m1", "deliver q w1 m1", "ack w1 q m1", "drop w1 q m1 auto-acked, then w1 crashed",
		"send p q m2", "deliver q w2 m2", "handle w2 q m2", "ack w2 q m2")
	vs, _ := c.Verdicts("")
	v := verdict(t, vs, "no-loss")
	if v.OK || v.Detail != "1 of 2 lost" || len(v.Evidence) != 1 ||
		v.Evidence[0] != "m1 k-m1: auto-acked, then w1 crashed" {
		t.Errorf("no-loss: %+v", v)
	}
}

// A drop while another delivery of the message is still being worked on
// seals nothing yet: its why is kept for when that delivery ends, and the
// message handled by one consumer twice and by another once names both.
func TestDropWhileStillHeldKeepsItsWhy(t *testing.T) {
	c := NewDelivery()
	feed(c, "send p q m1", "deliver q w1 m1", "deliver q w2 m1", "drop w1 q m1 w1 crashed",
		"nack w2 q m1", "send p q m2", "deliver q w1 m2", "deliver q w2 m2", "deliver q w1 m2",
		"handle w1 q m2", "handle w2 q m2", "handle w1 q m2", "ack w1 q m2")
	vs, _ := c.Verdicts("")
	loss, dup := verdict(t, vs, "no-loss"), verdict(t, vs, "no-duplicate-effects")
	if loss.OK || len(loss.Evidence) != 1 || loss.Evidence[0] != "m1 k-m1: w1 crashed" {
		t.Errorf("no-loss: %+v", loss)
	}
	if dup.OK || len(dup.Evidence) != 1 || dup.Evidence[0] != "m2 k-m2 handled 3× (w1 ×2, w2)" {
		t.Errorf("no-duplicate-effects: %+v", dup)
	}
}

func TestUnsettledAtTheEndIsReportedInFlight(t *testing.T) {
	c := NewDelivery()
	feed(c, "send p q m1", "deliver q w1 m1", "send p q m2")
	vs, pending := c.Verdicts("stopped at --until 1s")
	v := verdict(t, vs, "no-loss")
	if v.OK || v.Detail != "2 never settled (stopped at --until 1s)" {
		t.Errorf("no-loss: %+v", v)
	}
	if strings.Join(pending, ",") != "m1,m2" {
		t.Errorf("pending %v, want m1,m2 in the order sent", pending)
	}
}

func TestDeadLetteredIsNotLost(t *testing.T) {
	c := NewDelivery()
	feed(c, "send p q m1", "deliver q w1 m1", "nack w1 q m1", "dead-letter q q.dlq m1")
	vs, _ := c.Verdicts("")
	if v := verdict(t, vs, "no-loss"); !v.OK || !strings.Contains(v.Detail, "1 dead-lettered") {
		t.Errorf("no-loss: %+v", v)
	}
}

func TestLateHandleAfterSettleCountsAsDuplicate(t *testing.T) {
	c := NewDelivery()
	// w1's delivery expires, w2 handles and acks, then w1 finishes too.
	feed(c, "send p q m1", "deliver q w1 m1", "timeout q w1 m1", "deliver q w2 m1",
		"handle w2 q m1", "ack w2 q m1", "handle w1 q m1", "ack-lost w1 q m1")
	vs, _ := c.Verdicts("")
	v := verdict(t, vs, "no-duplicate-effects")
	if v.OK || len(v.Evidence) != 1 || v.Evidence[0] != "m1 k-m1 handled 2× (w2, w1)" {
		t.Errorf("duplicates: %+v", v)
	}
	if lost := verdict(t, vs, "no-loss"); !lost.OK {
		t.Errorf("no-loss: %+v", lost)
	}
}

func TestSameIDOnTwoQueuesIsTwoMessages(t *testing.T) {
	c := NewDelivery()
	feed(c, "send t a e1", "send t b e1", "deliver a s1 e1", "handle s1 a e1", "ack s1 a e1",
		"deliver b s2 e1", "handle s2 b e1", "ack s2 b e1")
	vs, _ := c.Verdicts("")
	if v := verdict(t, vs, "no-duplicate-effects"); !v.OK {
		t.Errorf("a copy per subscription counted as a duplicate: %+v", v)
	}
	if v := verdict(t, vs, "no-loss"); !v.OK || v.Detail != "all 2 messages handled and acked" {
		t.Errorf("no-loss: %+v", v)
	}
}

func TestEvidenceIsCapped(t *testing.T) {
	c := NewDelivery()
	for i := 0; i < 20; i++ {
		id := "m" + string(rune('a'+i))
		feed(c, "send p q "+id, "deliver q w "+id, "ack w q "+id, "drop w q "+id+" crash")
	}
	vs, _ := c.Verdicts("")
	v := verdict(t, vs, "no-loss")
	if len(v.Evidence) != MaxEvidence+1 || v.Evidence[MaxEvidence] != "and 12 more" {
		t.Errorf("evidence %v", v.Evidence)
	}
}

func TestAutoAckedButUnhandledAtTheEndIsNotSettled(t *testing.T) {
	c := NewDelivery()
	feed(c, "send p q m1", "deliver q w1 m1", "ack w1 q m1") // run cut before the handler ran
	vs, pending := c.Verdicts("stopped at --until 30ms")
	v := verdict(t, vs, "no-loss")
	if v.OK || len(v.Evidence) != 1 || v.Evidence[0] != "m1 k-m1: auto-acked, not yet handled" || len(pending) != 1 {
		t.Errorf("no-loss: %+v, pending %v", v, pending)
	}
}

func TestLossDetailSaysWhatWasLostAndWhatNeverSettled(t *testing.T) {
	for _, c := range []struct {
		lost, unsettled int64
		stopped, want   string
	}{
		{2, 0, "", "2 of 40 lost"},
		{0, 3, "", "3 never settled"},
		{2, 3, "stopped at 1s", "2 of 40 lost; 3 never settled (stopped at 1s)"},
	} {
		if got := LossDetail(c.lost, c.unsettled, 40, "settled", c.stopped); got != c.want {
			t.Errorf("LossDetail(%d, %d, 40, settled, %q) = %q, want %q", c.lost, c.unsettled, c.stopped, got, c.want)
		}
	}
}

// Numbered messages are judged as by their ids: the same verdicts and
// evidence, and nothing kept once settled; told on the recorder's narrow
// path, with no text made (trace.Follower), too.
func TestNumberedMessagesJudgedAsByID(t *testing.T) {
	script := []string{"send p q m1", "send p q m2", "send p q m3", "deliver q w1 m1", "deliver q w2 m2",
		"handle w1 q m1", "ack w1 q m1", "drop w2 q m2 lost in a crash", "deliver q w1 m2",
		"send p q m4", "deliver q w1 m4", "handle w1 q m4", "handle w2 q m4", "ack w1 q m4"}
	byID, byNum, followed := NewDelivery(), NewDelivery(), followNumbered(script...)
	feed(byID, script...)
	for i, s := range script {
		e := step(s)
		numbered(&e)
		byNum.Event(&e)
		if i == 6 && byNum.kept() != 2 {
			t.Errorf("%d numbered fates kept after m1 settled, want 2", byNum.kept())
		}
	}
	a, pa := byID.Verdicts("")
	b, pb := byNum.Verdicts("")
	c, pc := followed.Verdicts("")
	if fmt.Sprint(a, pa) != fmt.Sprint(b, pb) || fmt.Sprint(a, pa) != fmt.Sprint(c, pc) || verdict(t, b, "no-loss").OK {
		t.Errorf("by id: %v %v\nby number: %v %v\nfollowed: %v %v", a, pa, b, pb, c, pc)
	}
}

// A numbered message left in flight while tens of thousands pass it
// spills out of its queue's ring: its events then take the check's other
// path, and it is judged as by its id: here handled twice, then acked.
func TestSpilledNumberedMessageJudgedAsByID(t *testing.T) {
	script := []string{"send p q m1", "deliver q w1 m1"}
	for i := 2; i < 40_000; i++ {
		id := "m" + strconv.Itoa(i)
		script = append(script, "send p q "+id, "deliver q w2 "+id, "handle w2 q "+id, "ack w2 q "+id)
	}
	script = append(script, "handle w1 q m1", "deliver q w2 m1", "handle w2 q m1", "ack w2 q m1")
	byID, followed := NewDelivery(), followNumbered(script...)
	feed(byID, script...)
	a, pa := byID.Verdicts("")
	b, pb := followed.Verdicts("")
	if fmt.Sprint(a, pa) != fmt.Sprint(b, pb) || verdict(t, b, "no-duplicate-effects").OK || !verdict(t, b, "no-loss").OK {
		t.Errorf("by id: %v %v\nby number: %v %v", a, pa, b, pb)
	}
	if followed.kept() != 0 {
		t.Errorf("%d fates kept once all settled", followed.kept())
	}
}
