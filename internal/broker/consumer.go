package broker

import (
	"fmt"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// AckMode says when a delivery is acknowledged.
type AckMode uint8

// The acknowledgement modes.
const (
	// ManualAck: the handler acks after its work. A consumer that dies
	// before acking loses nothing: the message comes back.
	ManualAck AckMode = iota
	// AutoAck: the broker counts a message as done the moment it is
	// delivered. A consumer that dies holding it loses it. As in RabbitMQ,
	// prefetch does not apply: the broker pushes as fast as it can.
	AutoAck
)

// String returns "manual" or "auto".
func (m AckMode) String() string {
	if m == AutoAck {
		return "auto"
	}
	return "manual"
}

// ParseAckMode parses "manual" or "auto".
func ParseAckMode(s string) (AckMode, error) {
	switch s {
	case "manual":
		return ManualAck, nil
	case "auto":
		return AutoAck, nil
	}
	return 0, fmt.Errorf("%q is not an ack mode: want manual or auto", s)
}

// ConsumerOptions are the settings of a subscription to a queue.
type ConsumerOptions struct {
	// Prefetch is the most unacked deliveries the consumer holds at once
	// (RabbitMQ basic.qos, Service Bus prefetch count, JetStream
	// MaxAckPending); 0 means unlimited. The consumer works through them one
	// at a time, and their visibility timeouts run while they wait: an
	// expired one keeps its place in the buffer until the consumer reaches
	// it, as Service Bus's prefetch buffer is a strict bound.
	Prefetch int
	Ack      AckMode
}

// Handler processes one delivery. It must finish it exactly once, now or
// later, with Ack or Nack; the consumer takes its next delivery only then.
type Handler func(d *Delivery)

// Consumer is one actor's subscription to a queue: a local buffer of the
// deliveries it holds, worked through one at a time.
type Consumer struct {
	Name string

	actor    *sim.Actor
	q        *Queue
	prefetch int
	room     int // the most deliveries held at once: prefetch, or no bound (auto-ack, prefetch 0); -1 once removed
	mode     AckMode
	handler  Handler
	work     func(Work) // the handler, when given as a Port's (see simQueue.Consume)
	active   bool
	life     uint32 // bumped at each crash: deliveries of an old life are not counted as held
	held     int    // manual-ack deliveries of this life in its hands, expired or not: what prefetch bounds
	buffer   ring[*Delivery]
	current  *Delivery
}

// Actor returns the actor the consumer belongs to.
func (c *Consumer) Actor() *sim.Actor { return c.actor }

// Queue returns the queue the consumer takes from.
func (c *Consumer) Queue() *Queue { return c.q }

// up reports whether the consumer takes deliveries: its actor is running
// (it may be down already, in a crash whose hooks have not all run yet).
func (c *Consumer) up() bool { return c.active && c.actor.Up() }

func (c *Consumer) hasRoom() bool { return c.held < c.room && c.active && c.actor.Up() }

// open reports whether the consumer counts among its queue's open ones
// (Queue.open): active and below its room. Its actor may be down already,
// in a crash whose hooks have not all run, which hasRoom asks too.
func (c *Consumer) open() bool { return c.active && c.held < c.room }

func (c *Consumer) receive(d *Delivery) {
	if c.current == nil && c.buffer.len() == 0 && c.active {
		c.start(d) // free and nothing before it: what pump would start, without the buffer
		return
	}
	c.buffer.pushBack(d)
	c.pump()
}

// pump starts work on the next delivery when the consumer is free.
func (c *Consumer) pump() {
	if c.current != nil || c.buffer.len() == 0 || !c.active {
		return
	}
	c.start(c.buffer.popFront())
}

// start begins the consumer's work on d: the handler has it.
func (c *Consumer) start(d *Delivery) {
	c.current = d
	d.started = c.q.b.w.Now()
	if c.work != nil {
		c.work(d)
		return
	}
	c.handler(d)
}

// describe tells what the consumer holds, for the note of its crash.
func (c *Consumer) describe() string {
	var ids []string
	if c.current != nil {
		ids = append(ids, c.current.Msg.IDText()+" (working)")
	}
	for i := 0; i < c.buffer.len(); i++ {
		ids = append(ids, c.buffer.at(i).Msg.IDText())
	}
	if len(ids) == 0 {
		return ""
	}
	list := strings.Join(ids, ", ")
	if len(ids) > 6 {
		list = strings.Join(ids[:6], ", ") + fmt.Sprintf(" and %d more", len(ids)-6)
	}
	switch {
	case c.mode == AutoAck:
		return "held " + list + ", already auto-acked: lost"
	case c.q.opts.VisibilityTimeout > 0:
		return "held " + list + " unacked: visible again after the " +
			trace.FormatDuration(c.q.opts.VisibilityTimeout) + " visibility timeout"
	}
	return "held " + list + " unacked: requeued as the connection closes"
}

// crashed drops the consumer's local state. Auto-acked deliveries are lost;
// unacked ones come back after their visibility timeout, or at once when
// the queue has none (as RabbitMQ requeues on a closed connection).
func (c *Consumer) crashed() {
	if c.open() {
		c.q.open--
	}
	c.active = false
	c.life++
	c.held = 0
	var lost []*Delivery
	if c.current != nil {
		lost = append(lost, c.current)
	}
	for c.buffer.len() > 0 {
		lost = append(lost, c.buffer.popFront())
	}
	c.current = nil
	w := c.q.b.w
	for _, d := range lost {
		d.done = true
		d.Msg.holds-- // given back below, once its events are told
		c.q.b.busy--
		m := d.Msg
		switch {
		case c.mode == AutoAck:
			w.Emit(trace.Event{Kind: trace.Drop, Actor: c.Name, To: c.q.Name, Msg: d.TraceMsg(),
				Note: "auto-acked, then " + c.Name + " crashed before handling it",
				Why: "With auto-ack the broker forgot the message the moment it handed it over; " +
					"when " + c.Name + " died, no one had it any more. Ack after the work instead."})
		case d.state == outstanding && c.q.opts.VisibilityTimeout == 0:
			d.state = expired
			w.Emit(trace.Event{Kind: trace.Timeout, Actor: c.q.Name, To: c.Name, Msg: d.TraceMsg(),
				Note: c.Name + "'s connection closed with it unacked; visible again"})
			c.q.requeue(m)
		}
		m.retire()
	}
}

func (c *Consumer) restarted() {
	was := c.open()
	c.active = true
	if !was && c.open() {
		c.q.open++
	}
	c.q.dispatch()
}

type deliveryState uint8

const (
	outstanding deliveryState = iota
	acked
	nacked
	expired
)

// Delivery is one delivery of a message to a consumer.
type Delivery struct {
	Msg *Message

	consumer *Consumer
	life     uint32
	attempt  int
	at       time.Duration // when it was delivered
	started  time.Duration // when the consumer began work on it
	state    deliveryState
	done     bool // the consumer finished with it
	linked   bool // in its queue's list of outstanding deliveries, which prev and next link
	// prev and next are the deliveries made before and after it among
	// those of its queue still outstanding, while linked (see Queue.oldest).
	prev, next *Delivery
}

// Consumer returns the consumer the message was delivered to.
func (d *Delivery) Consumer() *Consumer { return d.consumer }

// Begin marks now as the moment work on the delivery begins, for a handler
// that held it back first (a worker reading two queues that works one
// order at a time): Took, and so the handle event and the busy figure,
// count from here, Buffered up to here.
func (d *Delivery) Begin() { d.started = d.consumer.q.b.w.Now() }

// Buffered returns how long the delivery waited in the consumer's buffer,
// behind the deliveries it had prefetched before, until its work began.
func (d *Delivery) Buffered() time.Duration { return d.started - d.at }

// Took returns how long the consumer has worked on the delivery so far.
func (d *Delivery) Took() time.Duration { return d.consumer.q.b.w.Now() - d.started }

// release ends the delivery's claim on its message: acked, nacked or
// expired. It stays in the consumer's buffer, counted against prefetch,
// until the consumer finishes with it.
func (d *Delivery) release(s deliveryState) {
	if d.linked {
		d.consumer.q.unlink(d)
	}
	d.state = s
}

// finish marks the consumer's work on d as over and reports whether it was
// still due (a stale or repeated finish is ignored).
func (d *Delivery) finish() bool {
	c := d.consumer
	if d.done || d.life != c.life {
		return false
	}
	d.leave()
	if c.current == d {
		c.current = nil
	}
	return true
}

// leave frees the delivery's place in the consumer's hands, and so in its
// prefetch: only here, never when the delivery expires, so an expired
// delivery the consumer has not reached still takes its room.
func (d *Delivery) leave() {
	c := d.consumer
	d.done = true
	d.Msg.holds-- // Ack, Nack and NackAfter give m back, if done, once over
	c.q.b.busy--
	if c.mode == ManualAck {
		if c.held--; c.held == c.room-1 { // room again (active: it finished a delivery of this life)
			c.q.open++
		}
	}
}

// after lets the queue hand out more and the consumer take its next delivery.
// It reads nothing of d after the dispatch, which may give d's message
// back to its pool.
func (d *Delivery) after() {
	c := d.consumer
	c.q.dispatch()
	c.pump()
}

// Handle records that the consumer applied the business effect of the
// message, with a short note saying what it did. Call it before Ack.
func (d *Delivery) Handle(note string) {
	d.tellEffect(trace.Handle, note)
}

// Skip records that the consumer recognised the message as a duplicate and
// did not apply it again. Call it before Ack.
func (d *Delivery) Skip(note string) {
	d.emitEffect(trace.Skip, note, "")
}

// SkipWhy is Skip with a teaching sentence for --explain.
func (d *Delivery) SkipWhy(note, why string) {
	d.emitEffect(trace.Skip, note, why)
}

func (d *Delivery) emitEffect(k trace.Kind, note, why string) {
	c := d.consumer
	w := c.q.b.w
	if why == "" {
		d.tellEffect(k, note)
		return
	}
	w.Emit(trace.Event{Kind: k, Actor: c.Name, To: c.q.Name, Msg: d.TraceMsg(), Took: d.Took(), Note: note, Why: why})
}

// tellEffect records a handle or skip event with no teaching sentence:
// small enough to be inlined into Handle, which every message calls.
func (d *Delivery) tellEffect(k trace.Kind, note string) {
	c := d.consumer
	c.q.b.tell(k, c.Name, c.q.Name, &d.Msg.Msg, d.attempt, d.Took(), note)
}

// Ack finishes the delivery successfully. With manual acks the message is
// settled, unless the delivery had expired: then the broker refuses the
// late ack, since the message was made visible again.
func (d *Delivery) Ack() {
	if !d.finish() {
		return
	}
	c, q, m := d.consumer, d.consumer.q, d.Msg
	w := q.b.w
	switch {
	case c.mode == AutoAck:
	case d.state == outstanding:
		if q.dup != nil && q.dup() < q.opts.DuplicateRate {
			// The broker never hears of the ack: to it the delivery is still
			// unacked, and comes back when its visibility timeout runs out —
			// at once where there is none, as when a connection drops.
			note := "lost on the way (at-least-once): the broker will deliver it again"
			if q.opts.VisibilityTimeout > 0 {
				note = "lost on the way (at-least-once): it comes back after the visibility timeout"
			}
			w.Emit(trace.Event{Kind: trace.AckLost, Actor: c.Name, To: q.Name, Msg: d.TraceMsg(), Note: note,
				Why: "Delivery is at least once: when an ack goes missing the broker delivers the message " +
					"again, so a handler must recognise a repeat and not apply it twice."})
			if q.opts.VisibilityTimeout == 0 {
				d.release(acked)
				q.requeue(m)
			}
		} else {
			d.release(acked)
			q.b.tell(trace.Ack, c.Name, q.Name, &m.Msg, d.attempt, 0, "")
			q.settle(m)
			m.acked = true
		}
	default:
		w.Emit(trace.Event{Kind: trace.AckLost, Actor: c.Name, To: q.Name, Msg: d.TraceMsg(),
			Note: d.lateNote("ack"), Why: d.lateWhy()})
	}
	d.after()
	m.retire()
}

// Nack finishes the delivery as failed, saying why. With requeue the
// message goes back to its place in the queue (or to the dead-letter queue
// once it has had its deliveries); without, it is dead-lettered at once.
func (d *Delivery) Nack(requeue bool, why string) {
	if !d.finish() {
		return
	}
	c, q, m := d.consumer, d.consumer.q, d.Msg
	w := q.b.w
	took := d.Took()
	switch {
	case c.mode == AutoAck:
		w.Emit(trace.Event{Kind: trace.Drop, Actor: c.Name, To: q.Name, Msg: d.TraceMsg(), Took: took,
			Note: why + "; it was auto-acked, so it is lost"})
	case d.state == outstanding:
		d.release(nacked)
		if requeue {
			next := "; requeued"
			if max := q.opts.MaxDeliveries; max > 0 && m.Attempt >= max {
				next = "; that was its last delivery"
			}
			w.Emit(trace.Event{Kind: trace.Nack, Actor: c.Name, To: q.Name, Msg: d.TraceMsg(), Took: took,
				Note: why + next})
			q.requeue(m)
		} else {
			w.Emit(trace.Event{Kind: trace.Nack, Actor: c.Name, To: q.Name, Msg: d.TraceMsg(), Took: took,
				Note: why + "; rejected"})
			q.deadLetter(m, "rejected: "+why)
		}
	default:
		w.Emit(trace.Event{Kind: trace.AckLost, Actor: c.Name, To: q.Name, Msg: d.TraceMsg(), Took: took,
			Note: d.lateNote("nack"), Why: d.lateWhy()})
	}
	d.after()
	m.retire()
}

func (d *Delivery) lateNote(what string) string {
	return fmt.Sprintf("%s refused: delivery #%d expired after %s and the message was made visible again",
		what, d.attempt, trace.FormatDuration(d.consumer.q.opts.VisibilityTimeout))
}

func (d *Delivery) lateWhy() string {
	return fmt.Sprintf("The visibility timeout (%s) ran out before %s finished, so the broker had already "+
		"handed the message on: its work was done twice, and this ack settles nothing.",
		trace.FormatDuration(d.consumer.q.opts.VisibilityTimeout), d.consumer.Name)
}

// Attempt returns which delivery of its message this is, from 1.
func (d *Delivery) Attempt() int { return d.attempt }

// TraceMsg returns the message as events show it, with this delivery's
// attempt number.
func (d *Delivery) TraceMsg() trace.Msg {
	m := d.Msg.Msg
	m.Attempt = d.attempt
	return m
}

// NackAfter finishes the delivery as failed and has the broker deliver the
// message again once delay has passed, at the back of the queue: SQS's
// ChangeMessageVisibility, JetStream's NakWithDelay, a RabbitMQ retry
// queue whose TTL dead-letters back. The consumer is free meanwhile. A
// message that has had its deliveries goes to the dead-letter queue at
// once instead; a delay of 0 is Nack with requeue.
func (d *Delivery) NackAfter(delay time.Duration, why string) {
	q := d.consumer.q
	if delay <= 0 || d.consumer.mode == AutoAck || d.state != outstanding {
		d.Nack(true, why)
		return
	}
	if !d.finish() {
		return
	}
	m := d.Msg
	w := q.b.w
	d.release(nacked)
	if max := q.opts.MaxDeliveries; max > 0 && m.Attempt >= max {
		w.Emit(trace.Event{Kind: trace.Nack, Actor: d.consumer.Name, To: q.Name, Msg: d.TraceMsg(), Took: d.Took(),
			Note: why + "; that was its last delivery"})
		q.requeue(m)
	} else {
		w.Emit(trace.Event{Kind: trace.Nack, Actor: d.consumer.Name, To: q.Name, Msg: d.TraceMsg(), Took: d.Took(),
			Note: why + "; redelivered in " + trace.FormatDuration(delay)})
		w.AfterCall(delay, nil, q.returnLater, m)
	}
	d.after()
	m.retire()
}
