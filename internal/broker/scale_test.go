package broker

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// scaleWorld is two consumers with prefetch 3 on one queue, each taking
// 10ms per message, and a log of every event as "kind actor id".
func scaleWorld(t *testing.T, mode AckMode) (*sim.World, *Queue, []*Consumer, *[]string) {
	t.Helper()
	var log []string
	w := sim.New(1, trace.SinkFunc(func(e *trace.Event) {
		log = append(log, fmt.Sprintf("%s %s %s", e.Kind, e.Actor, e.Msg.ID))
	}))
	b := New(w)
	q := b.Queue("orders", QueueOptions{VisibilityTimeout: time.Second})
	var cs []*Consumer
	for _, name := range []string{"c1", "c2"} {
		a := w.Actor(name)
		cs = append(cs, q.Subscribe(a, ConsumerOptions{Prefetch: 3, Ack: mode}, func(d *Delivery) {
			w.After(10*time.Millisecond, a, func() { d.Handle(""); d.Ack() })
		}))
	}
	for i := 1; i <= 6; i++ {
		q.Send("p", &Message{Msg: trace.Msg{ID: fmt.Sprintf("m%d", i), Type: "T", Class: trace.Command}})
	}
	return w, q, cs, &log
}

func TestRemoveGivesBackUnstartedAndFinishesCurrent(t *testing.T) {
	w, q, cs, log := scaleWorld(t, ManualAck)
	// c1 holds m1 (working), m3, m5; c2 holds m2 (working), m4, m6.
	var gave int
	w.At(5*time.Millisecond, nil, func() {
		gave = cs[0].Remove("scaling in")
		if !cs[0].Busy() {
			t.Error("c1 is not busy right after Remove, but it was working on m1")
		}
	})
	w.Run(nil)
	if gave != 2 {
		t.Fatalf("Remove gave back %d deliveries, want 2 (m3 and m5)", gave)
	}
	if cs[0].Busy() || !cs[0].Removed() || cs[1].Removed() {
		t.Errorf("after the run: c1 busy %v removed %v, c2 removed %v", cs[0].Busy(), cs[0].Removed(), cs[1].Removed())
	}
	got := strings.Join(*log, "\n")
	for _, want := range []string{
		"nack c1 m3", "nack c1 m5", // given back, in order
		"handle c1 m1", "ack c1 m1", // the current one is finished
		"handle c2 m3", "handle c2 m5", // and the others take what c1 gave back
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in the trace:\n%s", want, got)
		}
	}
	// The given-back messages go to the front: c2 starts m3 and m5 before
	// nothing else, and handles each message exactly once overall.
	handled := map[string]int{}
	var c2order []string
	for _, l := range *log {
		f := strings.Fields(l)
		if f[0] == "handle" {
			handled[f[2]]++
			if f[1] == "c2" {
				c2order = append(c2order, f[2])
			}
		}
		if f[0] == "handle" && f[1] == "c1" && f[2] != "m1" {
			t.Errorf("c1 handled %s after it was removed", f[2])
		}
	}
	if fmt.Sprint(c2order) != "[m2 m4 m6 m3 m5]" {
		// c2 had m4 and m6 in its buffer already; m3 and m5 come next, in order.
		t.Errorf("c2 handled %v, want [m2 m4 m6 m3 m5]", c2order)
	}
	for i := 1; i <= 6; i++ {
		if id := fmt.Sprintf("m%d", i); handled[id] != 1 {
			t.Errorf("%s handled %d times, want 1", id, handled[id])
		}
	}
	if !q.b.Idle() {
		t.Errorf("broker not idle: %d unsettled, %d busy", q.b.unsettled, q.b.busy)
	}
	if q.b.busy != 0 || cs[0].held != 0 {
		t.Errorf("busy %d, c1 held %d: a given-back delivery is still counted", q.b.busy, cs[0].held)
	}
}

func TestRemoveIdleConsumerAndRemoveTwice(t *testing.T) {
	w, q, cs, _ := scaleWorld(t, ManualAck)
	w.Run(nil)
	if cs[1].Remove("") != 0 || cs[1].Busy() {
		t.Fatal("an idle consumer gave something back or is busy")
	}
	if cs[1].Remove("") != 0 {
		t.Fatal("a second Remove gave something back")
	}
	q.Send("p", &Message{Msg: trace.Msg{ID: "m7", Type: "T", Class: trace.Command}})
	if cs[0].current == nil || cs[0].current.Msg.ID != "m7" {
		t.Fatal("m7 did not go to the one consumer left")
	}
	cs[0].Remove("")
	q.Send("p", &Message{Msg: trace.Msg{ID: "m8", Type: "T", Class: trace.Command}})
	w.Run(nil)
	if q.Ready() != 1 {
		t.Fatalf("with no consumer left, %d ready, want m8 waiting", q.Ready())
	}
}

func TestRemoveWithAutoAckKeepsTheBuffer(t *testing.T) {
	w, _, cs, log := scaleWorld(t, AutoAck)
	w.At(5*time.Millisecond, nil, func() {
		if n := cs[0].Remove(""); n != 0 {
			t.Errorf("auto-ack consumer gave back %d, want 0: the broker already forgot them", n)
		}
	})
	w.Run(nil)
	handled := 0
	for _, l := range *log {
		if strings.HasPrefix(l, "handle c1 ") {
			handled++
		}
	}
	if handled == 0 || cs[0].Busy() {
		t.Errorf("c1 handled %d and busy %v: it should work through what it holds", handled, cs[0].Busy())
	}
}
