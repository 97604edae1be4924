package broker

import (
	"fmt"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// sendPooled sends message id from pool at time at, and returns where the
// pointer it got will be written.
func (r *rig) sendPooled(pool *Pool, q *Queue, at time.Duration, id string, got *[]*Message) {
	r.w.At(at, nil, func() {
		r.sent = true
		m := pool.Get()
		m.Msg = trace.Msg{ID: id, Type: "T", Class: trace.Command}
		*got = append(*got, m)
		q.Send("producer", m)
	})
}

// checkedWorker acks after work, failing the test if the message of its
// delivery changed while it worked: a pooled message reused too early.
func (r *rig) checkedWorker(q *Queue, name string, work time.Duration) {
	a := r.w.Actor(name)
	q.Subscribe(a, ConsumerOptions{Prefetch: 1}, func(d *Delivery) {
		id := d.Msg.ID
		r.w.After(work, a, func() {
			if d.Msg.ID != id {
				r.t.Errorf("%s delivered %s, finished %s: its message was reused while held", name, id, d.Msg.ID)
			}
			d.Handle("")
			d.Ack()
		})
	})
}

func TestPoolReusesAckedMessages(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{})
	r.checkedWorker(q, "w1", 10*ms)
	var pool Pool
	var got []*Message
	for i := range 5 {
		r.sendPooled(&pool, q, time.Duration(i)*20*ms, fmt.Sprintf("m%d", i+1), &got)
	}
	r.w.Run(nil)
	r.has("0s send m1 producer>q", "10ms ack m1 w1>q #1", "20ms send m2 producer>q", "90ms ack m5 w1>q #1")
	for i, m := range got[1:] {
		if m != got[0] {
			t.Errorf("message %d is a new one: each was acked before the next send, so the first should be reused", i+2)
		}
	}
}

func TestPoolKeepsAMessageWhileAnOldDeliveryIsHeld(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{VisibilityTimeout: 10 * ms})
	r.checkedWorker(q, "slow", 30*ms) // takes m1 at 0s, still works on it after it expires at 10ms
	var pool Pool
	var got []*Message
	r.sendPooled(&pool, q, 0, "m1", &got)
	r.w.At(5*ms, nil, func() { r.checkedWorker(q, "fast", 5*ms) }) // takes m1 again at 10ms, acks it at 15ms
	r.sendPooled(&pool, q, 20*ms, "m2", &got)
	r.run()
	r.has("10ms timeout m1 q>slow #1", "15ms ack m1 fast>q #2", "20ms send m2 producer>q",
		"30ms ack-lost m1 slow>q #1")
	if got[1] == got[0] {
		t.Error("m1 was reused for m2 while slow still held its first delivery")
	}
}

// The first delivery of a pooled message that was acked and given out
// again is, in place, another message's delivery: the queue must not take
// it for the old one when it looks for the oldest delivery to expire. Here
// m1 is acked at 1ms and its message reused for m3, delivered at 60ms; m2,
// delivered at 10ms and never acked, still expires at 110ms, not when m3
// would (160ms).
func TestExpiryOfAReusedMessageIsNotItsNewDeliverys(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{VisibilityTimeout: 100 * ms})
	r.checkedWorker(q, "w1", ms)
	hoard := r.w.Actor("hoard")
	r.w.At(5*ms, nil, func() { // from now on w1 is down and hoard keeps what it gets
		r.w.Actor("w1").Crash("")
		q.Subscribe(hoard, ConsumerOptions{Prefetch: 5}, func(d *Delivery) {})
	})
	var pool Pool
	var got []*Message
	r.sendPooled(&pool, q, 0, "m1", &got)
	r.w.At(10*ms, nil, func() { q.Send("producer", &Message{Msg: trace.Msg{ID: "m2", Type: "T", Class: trace.Command}}) })
	r.sendPooled(&pool, q, 60*ms, "m3", &got)
	r.w.Run(func() bool { return r.w.Now() >= 200*ms })
	if got[1] != got[0] {
		t.Fatal("m3 is not m1's message reused: the test needs it to be")
	}
	r.has("1ms ack m1 w1>q #1", "10ms deliver m2 q>hoard #1", "60ms deliver m3 q>hoard #1",
		"110ms timeout m2 q>hoard #1", "160ms timeout m3 q>hoard #1")
}
