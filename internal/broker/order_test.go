package broker

import (
	"slices"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// redeliveries returns the ids of the deliveries after the first, in order.
func (r *rig) redeliveries() []string {
	var ids []string
	for _, e := range r.evs {
		if e.Kind == trace.Deliver && e.Msg.Attempt > 1 {
			ids = append(ids, e.Msg.ID)
		}
	}
	return ids
}

// A crashed consumer's messages go back in publication order, as RabbitMQ
// (since 2.7.0) and Service Bus requeue: once they came back reversed.
func TestCrashRequeuesInPublicationOrder(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{})
	for _, w := range []string{"w1", "w2", "w3"} {
		r.worker(q, w, ConsumerOptions{Prefetch: 5}, 20*ms)
	}
	r.w.Actor("w1").CrashAt(10*ms, 0)
	r.send(q, 30)
	r.run()
	if got, want := r.redeliveries(), []string{"m1", "m4", "m7", "m10", "m13"}; !slices.Equal(got, want) {
		t.Errorf("redelivered %v, want %v", got, want)
	}
}

// Expired deliveries, too, take their original places.
func TestExpiryRequeuesInPublicationOrder(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{VisibilityTimeout: time.Second})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 3}, 50*ms)
	r.w.Actor("w1").CrashAt(5*ms, 1200*ms)
	r.send(q, 5)
	r.run()
	r.has("1.205s deliver m1 q>w1 #2", "1.205s deliver m2 q>w1 #2", "1.205s deliver m3 q>w1 #2",
		"1.255s deliver m4 q>w1 #1")
}

// A requeued message goes before the newer ones still waiting and after
// the older ones, whatever order the requeues come in.
func TestRequeueKeepsItsPlaceAmongWaitingMessages(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{})
	w1 := r.worker(q, "w1", ConsumerOptions{Prefetch: 2}, 10*ms)
	r.worker(q, "w2", ConsumerOptions{Prefetch: 2}, 10*ms)
	r.w.At(time.Millisecond, nil, func() {
		// w1 holds m1 (working) and m3, w2 m2 and m4; m5 and m6 wait.
		// w1 leaves gracefully, giving m3 back; then w2 crashes and
		// m2, m4 come back.
		w1.Remove("scaling in")
		r.w.Actor("w2").Crash("")
	})
	r.w.At(2*time.Millisecond, nil, func() {
		r.worker(q, "w3", ConsumerOptions{Prefetch: 1}, 10*ms)
	})
	r.send(q, 6)
	r.run()
	var order []string
	for _, e := range r.evs {
		if e.Kind == trace.Deliver && e.To == "w3" {
			order = append(order, e.Msg.ID)
		}
	}
	if want := []string{"m2", "m3", "m4", "m5", "m6"}; !slices.Equal(order, want) {
		t.Errorf("w3 took %v, want %v", order, want)
	}
}
