package broker

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// sendPrio puts messages on q at time 0, with the given priorities: m1 has
// prios[0], and so on.
func (r *rig) sendPrio(q *Queue, prios ...uint8) {
	r.w.At(0, nil, func() {
		r.sent = true
		for i, p := range prios {
			q.Send("producer", &Message{Msg: trace.Msg{ID: fmt.Sprintf("m%d", i+1), Type: "T", Class: trace.Command},
				Priority: p})
		}
	})
}

// firstDeliveries returns the ids in the order they were first delivered.
func (r *rig) firstDeliveries() []string {
	var ids []string
	for _, e := range r.evs {
		if e.Kind == trace.Deliver && e.Msg.Attempt == 1 {
			ids = append(ids, e.Msg.ID)
		}
	}
	return ids
}

// A priority queue delivers the highest priority ready first, FIFO within
// one priority; a priority above the queue's maximum counts as the maximum.
// A FIFO queue ignores priorities: the same sends come out in order.
func TestPriorityQueueDeliversHigherFirst(t *testing.T) {
	for _, c := range []struct {
		max  int
		want []string
	}{
		// m1 goes straight to the idle worker; the rest wait and are reordered.
		{2, []string{"m1", "m5", "m6", "m3", "m7", "m2", "m4"}},
		{0, []string{"m1", "m2", "m3", "m4", "m5", "m6", "m7"}},
	} {
		r := newRig(t)
		q := r.b.Queue("q", QueueOptions{MaxPriority: c.max})
		r.worker(q, "w1", ConsumerOptions{Prefetch: 1}, 10*ms)
		r.sendPrio(q, 0, 0, 1, 0, 9, 2, 1)
		r.run()
		if got := r.firstDeliveries(); !slices.Equal(got, c.want) {
			t.Errorf("max priority %d: delivered %v, want %v", c.max, got, c.want)
		}
	}
}

// What a consumer prefetched is not overtaken: with prefetch 3 the worker
// holds m1…m3 before the urgent m4 arrives, and works them first.
func TestPriorityDoesNotOvertakePrefetched(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{MaxPriority: 1})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 3}, 10*ms)
	r.sendPrio(q, 0, 0, 0, 0, 1)
	r.run()
	want := []string{"m1", "m2", "m3", "m5", "m4"}
	if got := r.firstDeliveries(); !slices.Equal(got, want) {
		t.Errorf("delivered %v, want %v", got, want)
	}
	if q.Ready() != 0 {
		t.Errorf("%d still ready", q.Ready())
	}
}

// A requeued message goes back among those of its own priority, at its
// place in publication order, and still goes before lower ones.
func TestPriorityRequeueKeepsItsLevel(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{MaxPriority: 1, MaxDeliveries: 2})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 1}, 10*ms, "m2")
	r.sendPrio(q, 0, 1, 0, 1)
	r.run()
	// m2 fails; it goes back ahead of m4 (published later) and m3 (lower).
	want := []string{"m1", "m2", "m2", "m4", "m3"}
	var got []string
	for _, e := range r.evs {
		if e.Kind == trace.Deliver {
			got = append(got, e.Msg.ID)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("delivered %v, want %v", got, want)
	}
}

// Begin moves the start of the work to when the handler begins it: the
// handle event's Took counts from there, Buffered up to there.
func TestBeginStartsTheWork(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{})
	a := r.w.Actor("w1")
	var buffered time.Duration
	q.Subscribe(a, ConsumerOptions{Prefetch: 1}, func(d *Delivery) {
		r.w.After(30*ms, a, func() {
			d.Begin()
			buffered = d.Buffered()
			r.w.After(10*ms, a, func() { d.Handle(""); d.Ack() })
		})
	})
	r.send(q, 1)
	r.run()
	for _, e := range r.evs {
		if e.Kind == trace.Handle && e.Took != 10*ms {
			t.Errorf("handle took %v, want 10ms", e.Took)
		}
	}
	if buffered != 30*ms {
		t.Errorf("buffered %v, want 30ms", buffered)
	}
}
