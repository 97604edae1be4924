package broker

import "github.com/msgplay/msgplay/internal/trace"

// Remove takes the consumer off its queue gracefully, as an autoscaler
// scales in: from now on it is offered no deliveries; the one it is working
// on (if any) it finishes and settles as usual; the deliveries it holds but
// has not started go back to the queue at once, each to its place in
// publication order, each told as a nack with why. It returns how many it gave back.
//
// Given-back messages keep their delivery count: the broker did deliver
// them once, as RabbitMQ marks them redelivered. With AutoAck nothing can
// be given back (the broker already forgot those messages), so the
// consumer works through its buffer before it is idle.
//
// Removing a removed consumer does nothing. Busy reports when the consumer
// has finished its last delivery.
func (c *Consumer) Remove(why string) int {
	q := c.q
	i := q.indexOf(c)
	if i < 0 {
		return 0
	}
	q.consumers = append(q.consumers[:i], q.consumers[i+1:]...)
	if c.open() {
		q.open--
	}
	c.room = -1 // open no more, whatever it finishes
	switch {
	case len(q.consumers) == 0:
		q.next = 0
	case q.next > i:
		q.next--
	case q.next >= len(q.consumers):
		q.next = 0
	}
	if c.mode == AutoAck {
		return 0
	}
	var back []*Delivery
	for c.buffer.len() > 0 {
		back = append(back, c.buffer.popFront())
	}
	w := q.b.w
	note := "not started; back to the front of the queue"
	if why != "" {
		note = why + "; " + note
	}
	n := 0
	for _, d := range back {
		d.leave()
		if d.state != outstanding { // expired while it waited: the message is back already
			w.Emit(trace.Event{Kind: trace.Nack, Actor: c.Name, To: q.Name, Msg: d.TraceMsg(),
				Note: "not started, and its delivery had expired: nothing to give back"})
			continue
		}
		d.release(nacked)
		n++
		w.Emit(trace.Event{Kind: trace.Nack, Actor: c.Name, To: q.Name, Msg: d.TraceMsg(), Note: note,
			Why: c.Name + " is leaving gracefully: it gives back what it had not begun, " +
				"so the other consumers take it at once rather than after a timeout."})
		q.putBack(d.Msg)
	}
	q.dispatch()
	return n
}

// Busy reports whether the consumer is still working on a delivery or holds
// deliveries it has not started.
func (c *Consumer) Busy() bool { return c.current != nil || c.buffer.len() > 0 }

// Removed reports whether the consumer was taken off its queue by Remove.
func (c *Consumer) Removed() bool { return c.q.indexOf(c) < 0 }

func (q *Queue) indexOf(c *Consumer) int {
	for i, x := range q.consumers {
		if x == c {
			return i
		}
	}
	return -1
}
