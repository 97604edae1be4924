package broker

import (
	"testing"

	"github.com/msgplay/msgplay/internal/trace"
)

// TestNackAfterRedeliversOnceTheDelayHasPassed: the message is hidden for
// the delay, the consumer takes other work meanwhile, and past
// MaxDeliveries it is dead-lettered at once instead.
func TestNackAfterRedeliversOnceTheDelayHasPassed(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("orders", QueueOptions{MaxDeliveries: 2})
	a := r.w.Actor("w1")
	q.Subscribe(a, ConsumerOptions{Prefetch: 1}, func(d *Delivery) {
		r.w.After(ms, a, func() {
			if d.Msg.ID == "m1" {
				d.NackAfter(50*ms, "gateway down")
				return
			}
			d.Handle("")
			d.Ack()
		})
	})
	r.send(q, 2)
	r.run()
	r.has("0s deliver m1 orders>w1 #1", "1ms nack m1 w1>orders #1", "1ms deliver m2 orders>w1 #1",
		"2ms ack m2 w1>orders #1", "51ms deliver m1 orders>w1 #2", "52ms nack m1 w1>orders #2",
		"52ms dead-letter m1 orders>orders.dlq #2")
	if n := r.count(trace.Deliver); n != 3 {
		t.Errorf("%d deliveries, want 3", n)
	}
}

// TestMoveToRedrivesWithAFreshDeliveryCount: a redriven message starts its
// deliveries again, so it is not dead-lettered at once.
func TestMoveToRedrivesWithAFreshDeliveryCount(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("orders", QueueOptions{MaxDeliveries: 1})
	failing := true
	a := r.w.Actor("w1")
	q.Subscribe(a, ConsumerOptions{Prefetch: 1}, func(d *Delivery) {
		r.w.After(ms, a, func() {
			if failing {
				d.Nack(true, "down")
				return
			}
			d.Handle("")
			d.Ack()
		})
	})
	r.send(q, 1)
	dlq := q.DeadLetterQueue()
	r.w.At(10*ms, nil, func() {
		failing = false
		if !dlq.MoveTo(q, "redrive") {
			t.Error("nothing to move")
		}
		if dlq.MoveTo(q, "redrive") {
			t.Error("moved a message from an empty queue")
		}
	})
	r.w.Run(nil)
	r.has("1ms dead-letter m1 orders>orders.dlq #1", "10ms send m1 redrive>orders", "10ms deliver m1 orders>w1 #1",
		"11ms ack m1 w1>orders #1")
	if !r.b.Idle() {
		t.Error("the redriven message is not settled")
	}
}
