package broker

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// maxHeld returns the most deliveries name held at once, as the summary
// counts them: delivered and not yet handled, skipped, nacked or dropped.
func (r *rig) maxHeld(name string) int {
	held, most := 0, 0
	for _, e := range r.evs {
		switch {
		case e.Kind == trace.Deliver && e.To == name:
			held++
			most = max(most, held)
		case e.Actor == name && (e.Kind == trace.Handle || e.Kind == trace.Skip || e.Kind == trace.Nack || e.Kind == trace.Drop):
			held--
		case e.Kind == trace.Crash && e.Actor == name:
			held = 0
		}
	}
	return most
}

// An expired delivery still sits in the consumer's buffer until the
// consumer reaches it: prefetch bounds what a consumer holds, as Service
// Bus documents PrefetchCount. Once the same message was pushed again and
// again to the busy consumer every visibility timeout.
func TestPrefetchBoundsHeldEvenWhenDeliveriesExpire(t *testing.T) {
	for _, prefetch := range []int{1, 3} {
		r := newRig(t)
		q := r.b.Queue("q", QueueOptions{VisibilityTimeout: 10 * ms})
		r.worker(q, "w1", ConsumerOptions{Prefetch: prefetch}, 100*ms)
		r.send(q, 3)
		r.w.SetUntil(400 * ms)
		r.run()
		if got := r.maxHeld("w1"); got > prefetch {
			t.Errorf("prefetch %d: w1 held %d deliveries at once", prefetch, got)
		}
		if r.count(trace.Deliver) > 3*prefetch+3 {
			t.Errorf("prefetch %d: %d deliveries in 400ms of 100ms work", prefetch, r.count(trace.Deliver))
		}
	}
}

// A consumer leaving gracefully gives back only what the broker still
// counts as its own: an expired delivery's message is in the queue already.
func TestRemoveGivesNothingBackForAnExpiredDelivery(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{VisibilityTimeout: 10 * ms})
	c := r.worker(q, "w1", ConsumerOptions{Prefetch: 2}, 100*ms)
	r.send(q, 2)
	given := -1
	r.w.At(30*ms, nil, func() { given = c.Remove("scaling in") })
	r.w.At(40*ms, nil, func() { r.worker(q, "w2", ConsumerOptions{Prefetch: 5}, time.Millisecond) })
	r.w.SetUntil(time.Second)
	r.run()
	if given != 0 {
		t.Errorf("Remove gave back %d, want 0: both deliveries had expired", given)
	}
	r.has("40ms deliver m1 q>w2 #2", "40ms deliver m2 q>w2 #2", "41ms ack m1 w2>q #2", "42ms ack m2 w2>q #2")
	if n := r.count(trace.Ack); n != 2 {
		t.Errorf("%d acks, want 2", n)
	}
}
