package trace_test

import (
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// briefOf passes events through a Brief and returns what came out, one
// line per event: kind, actor, message id, receiver and note.
func briefOf(events []trace.Event) []string {
	var out []string
	b := trace.NewBrief(trace.SinkFunc(func(e *trace.Event) {
		out = append(out, strings.Join(strings.Fields(e.Kind.String()+" "+e.Actor+" "+e.Msg.ID+" "+e.Msg.Key+" "+e.To+" "+e.Note), " "))
	}))
	for i := range events {
		b.Event(&events[i])
	}
	b.Flush()
	return out
}

func TestBriefFoldsBookkeepingIntoTheHandleLine(t *testing.T) {
	m := trace.Msg{ID: "m1", Type: "PlaceOrder", Key: "order-1001", Attempt: 1}
	m2 := m
	m2.Attempt = 2
	ms := time.Millisecond
	got := briefOf([]trace.Event{
		{Kind: trace.Run, Note: "competing"},
		{Kind: trace.Send, Actor: "producer", To: "orders", Msg: m},
		{Kind: trace.Deliver, Actor: "orders", To: "worker-1", Msg: m},
		{T: 5 * ms, Kind: trace.Timeout, Actor: "orders", Msg: m},
		{T: 5 * ms, Kind: trace.Deliver, Actor: "orders", To: "worker-2", Msg: m2},
		{T: 9 * ms, Kind: trace.Begin, Actor: "worker-2", Msg: m2},
		{T: 9 * ms, Kind: trace.Commit, Actor: "worker-2", Msg: m2, Note: "tx 1"},
		{T: 9 * ms, Kind: trace.Handle, Actor: "worker-2", Msg: m2, Note: "order placed", Took: 4 * ms},
		{T: 9 * ms, Kind: trace.Ack, Actor: "worker-2", Msg: m2},
		{T: 9 * ms, Kind: trace.Summary},
	})
	want := []string{
		"run competing",
		"send producer m1 order-1001 orders",
		"timeout orders m1 order-1001",
		"handle worker-2 m1 order-1001 order placed · delivery #2, committed, acked",
		"summary",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("brief view:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBriefKeepsACommitThatNoHandleExplains(t *testing.T) {
	got := briefOf([]trace.Event{
		{Kind: trace.Begin, Actor: "order-service", Msg: trace.Msg{ID: "e1"}},
		{T: 5, Kind: trace.Commit, Actor: "order-service", Msg: trace.Msg{ID: "e1"}, Note: "tx 1: orders/order-1001=created"},
		{T: 5, Kind: trace.Commit, Actor: "relay", Note: "tx 2: outbox/e1 deleted"},
	})
	if len(got) != 2 || !strings.HasPrefix(got[0], "commit order-service e1") || !strings.HasPrefix(got[1], "commit relay") {
		t.Errorf("the outbox's commits are its story, want both kept: %q", got)
	}
}

func TestBriefFoldsBurstsCopiesFanOutsAndNotes(t *testing.T) {
	var events []trace.Event
	for _, id := range []string{"m1", "m2", "m3"} {
		events = append(events, trace.Event{Kind: trace.Send, Actor: "producer", To: "orders",
			Msg: trace.Msg{ID: id, Type: "PlaceOrder", Key: "order-100" + id[1:]}})
	}
	e1 := trace.Msg{ID: "e1", Type: "OrderPlaced"}
	events = append(events,
		trace.Event{T: 1, Kind: trace.Publish, Actor: "shop", To: "orders", Msg: e1},
		trace.Event{T: 1, Kind: trace.Send, Actor: "orders", To: "orders/email", Msg: e1},
		trace.Event{T: 1, Kind: trace.Send, Actor: "orders", To: "orders/billing", Msg: e1},
		trace.Event{T: 2, Kind: trace.Replicate, Actor: "node-1", To: "node-2", Msg: e1, Note: "entry 1"},
		trace.Event{T: 2, Kind: trace.Replicate, Actor: "node-1", To: "node-3", Msg: e1, Note: "entry 1"},
		trace.Event{T: 3, Kind: trace.Response, Actor: "gateway", To: "worker-1", Msg: e1, Note: "503"},
		trace.Event{T: 3, Kind: trace.Note, Actor: "worker-1", Msg: e1, Note: "retry 1 of 4"},
	)
	want := []string{
		"send producer m1…m3 orders 3 messages",
		"publish shop e1 orders 2 copies",
		"replicate node-1 e1 node-2, node-3 entry 1",
		"response gateway e1 worker-1 503 · retry 1 of 4",
	}
	if got := briefOf(events); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("brief view:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A send at another instant, or of another type, is a line of its own.
func TestBriefBurstsOnlyAlikeSendsAtOneInstant(t *testing.T) {
	got := briefOf([]trace.Event{
		{Kind: trace.Send, Actor: "p", To: "q", Msg: trace.Msg{ID: "m1", Type: "A"}},
		{Kind: trace.Send, Actor: "p", To: "q", Msg: trace.Msg{ID: "m2", Type: "B"}},
		{T: 1, Kind: trace.Send, Actor: "p", To: "q", Msg: trace.Msg{ID: "m3", Type: "B"}},
	})
	if len(got) != 3 {
		t.Errorf("want three lines, got %q", got)
	}
}

// The interesting events are where --step interesting stops, and only
// those: a planted kind in the list, or one missing, fails.
func TestInterestingKinds(t *testing.T) {
	want := map[trace.Kind]bool{trace.Crash: true, trace.Drop: true, trace.Timeout: true, trace.DeadLetter: true,
		trace.Compensate: true, trace.Fault: true, trace.Skip: true}
	for k := trace.Run; k <= trace.Summary; k++ {
		if got := trace.Interesting(&trace.Event{Kind: k}); got != want[k] {
			t.Errorf("Interesting(%s) = %v, want %v", k, got, want[k])
		}
	}
}

func TestPacerStepInterestingWaitsOnlyThere(t *testing.T) {
	lines := make(chan string, 10)
	for range 10 {
		lines <- ""
	}
	p := trace.NewPacer(trace.SinkFunc(func(*trace.Event) {}), func() error { return nil },
		trace.PaceOptions{Step: trace.StepInteresting, Lines: lines})
	for _, k := range []trace.Kind{trace.Send, trace.Deliver, trace.Crash, trace.Handle, trace.Timeout, trace.Ack} {
		p.Event(&trace.Event{Kind: k})
	}
	if left := len(lines); left != 8 {
		t.Errorf("waited for %d Enters, want 2 (at the crash and the timeout)", 10-left)
	}
}

// Ctrl-C during a wait ends the run after the step under way: what that
// step emits is shown, since the summary counts it; after the world has
// asked Stop, nothing but the summary passes.
func TestPacerInterruptShowsTheStepUnderWay(t *testing.T) {
	stop := make(chan struct{})
	var shown []trace.Kind
	p := trace.NewPacer(trace.SinkFunc(func(e *trace.Event) { shown = append(shown, e.Kind) }), func() error { return nil },
		trace.PaceOptions{Speed: 1, Interrupt: stop, Sleep: func(time.Duration, <-chan struct{}) bool {
			close(stop)
			return false
		}})
	p.Event(&trace.Event{Kind: trace.Send})
	p.Event(&trace.Event{T: time.Millisecond, Kind: trace.Handle}) // Ctrl-C while waiting for it
	p.Event(&trace.Event{T: time.Millisecond, Kind: trace.Ack})    // same step
	if p.Stop() != "interrupted at 1ms" || !p.Interrupted() {
		t.Errorf("Stop() = %q, want interrupted at 1ms", p.Stop())
	}
	p.Event(&trace.Event{T: 2 * time.Millisecond, Kind: trace.Send}) // never asked for: the world stopped
	p.Event(&trace.Event{Kind: trace.Summary})
	want := []trace.Kind{trace.Send, trace.Handle, trace.Ack, trace.Summary}
	if len(shown) != len(want) {
		t.Fatalf("shown %v, want %v", shown, want)
	}
	for i := range want {
		if shown[i] != want[i] {
			t.Errorf("shown %v, want %v", shown, want)
		}
	}
}
