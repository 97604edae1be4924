package broker

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// QueueOptions are the settings of a queue.
type QueueOptions struct {
	// VisibilityTimeout is how long a delivery may stay unacked before the
	// message is visible again (SQS visibility timeout, Service Bus lock
	// duration, JetStream AckWait). Zero means no timeout: as in RabbitMQ, a
	// delivery stays with its consumer until the consumer's connection dies,
	// and then comes back at once.
	VisibilityTimeout time.Duration

	// MaxDeliveries is how many deliveries a message may have; when a
	// delivery past it fails or times out the message goes to the dead-letter
	// queue (Service Bus MaxDeliveryCount, SQS maxReceiveCount). Zero means
	// unlimited.
	MaxDeliveries int

	// DeadLetter names the dead-letter queue; empty means NAME.dlq.
	DeadLetter string

	// DuplicateRate is the chance that an ack is lost on its way, so the
	// broker delivers the message again: the duplicates of at-least-once
	// delivery.
	DuplicateRate float64

	// MaxPriority, when above 0, makes the queue a priority queue, as
	// RabbitMQ's x-max-priority argument does: among the ready messages,
	// one of higher Message.Priority is delivered first; equal priorities
	// keep their FIFO order. A priority above MaxPriority counts as
	// MaxPriority. Only ready messages are reordered: what a consumer has
	// already prefetched is not overtaken. Zero means a plain FIFO queue.
	// At most MaxPriority (255).
	MaxPriority int

	// MaxLength bounds how many messages may wait in the queue; a message
	// sent while MaxLength wait is refused and lost, told as a drop event
	// with the reason (RabbitMQ x-max-length with x-overflow reject-publish,
	// an SQS or Service Bus queue at its size quota). Messages delivered
	// and not yet acked do not count. Zero means unbounded.
	MaxLength int
}

// MaxPriority is the highest QueueOptions.MaxPriority, as RabbitMQ's.
const MaxPriority = 255

// ErrQueueFull is what a send returns when the queue holds MaxLength
// waiting messages: the message was refused and is lost.
var ErrQueueFull = errors.New("queue full")

// Queue is a FIFO queue with competing consumers.
type Queue struct {
	Name string

	b           *Broker
	opts        QueueOptions
	ready       ring[*Message]   // the ready messages; with priorities, those of priority 0
	levels      []ring[*Message] // with priorities, the ready messages of priority 1, 2 …
	consumers   []*Consumer
	open        int // how many consumers are open (see Consumer.open): pick looks for none when 0
	next        int // round-robin position
	dlq         *Queue
	dispatching bool
	dup         func() float64

	// oldest and newest end the list of the manual-ack deliveries still
	// outstanding (see Delivery.next), in the order they were made. The
	// visibility timeout is the same for all, so that is also the order
	// they expire in: one pending timer for the oldest serves the queue,
	// and a delivery leaves the list as it is acked, nacked or expires.
	oldest, newest *Delivery
	timerSet       bool

	transient *Subscription // set when the queue lives only while its subscriber is connected
}

// Queue returns the queue called name, declaring it with opts on first use.
// Later calls return the queue as first declared.
func (b *Broker) Queue(name string, opts QueueOptions) *Queue {
	if q, ok := b.queues[name]; ok {
		return q
	}
	q := &Queue{Name: name, b: b, opts: opts}
	if opts.MaxPriority > 0 {
		q.levels = make([]ring[*Message], min(opts.MaxPriority, MaxPriority))
	}
	if opts.DuplicateRate > 0 {
		q.dup = b.w.Rand("duplicates:" + name).Float64
	}
	b.queues[name] = q
	b.names = append(b.names, name)
	return q
}

// World returns the world the queue lives in.
func (q *Queue) World() *sim.World { return q.b.w }

// Options returns the settings the queue was declared with.
func (q *Queue) Options() QueueOptions { return q.opts }

// Ready returns how many messages wait to be delivered.
func (q *Queue) Ready() int {
	n := q.ready.len()
	for i := range q.levels {
		n += q.levels[i].len()
	}
	return n
}

// lane returns the ready messages m joins: the queue's one FIFO, or, in a
// priority queue, those of m's priority.
func (q *Queue) lane(m *Message) *ring[*Message] {
	if m.Priority == 0 || q.levels == nil {
		return &q.ready
	}
	return &q.levels[min(int(m.Priority), len(q.levels))-1]
}

// head returns the ready messages the next delivery comes from: the one
// FIFO, or the highest priority that has any.
func (q *Queue) head() *ring[*Message] {
	if q.levels == nil {
		return &q.ready
	}
	for i := len(q.levels) - 1; i >= 0; i-- {
		if q.levels[i].len() > 0 {
			return &q.levels[i]
		}
	}
	return &q.ready
}

// DeadLetterQueue returns the queue that takes this queue's dead letters.
func (q *Queue) DeadLetterQueue() *Queue {
	if q.dlq == nil {
		name := q.opts.DeadLetter
		if name == "" {
			name = q.Name + ".dlq"
		}
		q.dlq = q.b.Queue(name, QueueOptions{})
	}
	return q.dlq
}

// Send puts m at the back of the queue on behalf of from, and delivers it
// at once if a consumer has room. While the broker is down (see Outage) it
// takes nothing and returns ErrUnreachable; a message above the size limit
// (see SetMaxMessageSize) it refuses with ErrTooLarge.
func (q *Queue) Send(from string, m *Message) error {
	if b := q.b; len(b.outages) > 0 || b.maxSize > 0 { // most brokers have neither
		if err := b.refuse(from, q.Name, m); err != nil {
			return err
		}
		if err := b.tooLarge(from, q.Name, m); err != nil {
			return err
		}
	}
	if !q.send(from, m) {
		return ErrQueueFull
	}
	return nil
}

// send puts m on the queue: a client's send, or a move within the broker.
// It reports false when the queue is full and m was refused.
func (q *Queue) send(from string, m *Message) bool {
	w := q.b.w
	m.queue = q
	m.state = ready
	m.SentAt = w.Now()
	q.b.sent++
	m.order = q.b.sent
	q.b.unsettled++
	q.b.busy++
	w.Progress()
	q.b.tell(trace.Send, from, q.Name, &m.Msg, m.Attempt, 0, "")
	if limit := q.opts.MaxLength; limit > 0 && q.Ready() >= limit {
		w.Emit(trace.Event{Kind: trace.Drop, Actor: q.Name, To: q.Name, Msg: m.Msg,
			Note: fmt.Sprintf("queue full: %d waiting, the limit; refused and lost", limit),
			Why: "A queue with no room to spare cannot absorb a burst: what arrives while it is full " +
				"is turned away, and unless the sender keeps it and tries again, it is lost."})
		q.settle(m)
		return false
	}
	if q.ready.len() == 0 && q.levels == nil && !q.dispatching {
		// Nothing waits: m is the head handOut would take, so hand it
		// straight to the next consumer with room, as handOut would,
		// without a trip through the ring.
		if c := q.pick(); c != nil {
			q.dispatching = true
			q.deliver(m, c)
			q.handOutMore()
			return true
		}
	}
	q.lane(m).pushBack(m)
	q.dispatch()
	return true
}

// dispatch hands ready messages, oldest first, to consumers in turn, skipping
// those that are down or full.
func (q *Queue) dispatch() {
	if q.ready.len() == 0 && q.levels == nil { // nothing waits: most acks find so
		return
	}
	q.handOut()
}

// handOut is dispatch once something may wait.
func (q *Queue) handOut() {
	if q.dispatching {
		return
	}
	q.dispatching = true
	q.handOutMore()
}

// handOutMore is handOut's loop, begun with q.dispatching set, which it
// clears once done: what was sent during a delivery is handed out after it.
func (q *Queue) handOutMore() {
	for {
		h := q.head()
		if h.len() == 0 {
			break
		}
		c := q.pick()
		if c == nil {
			break
		}
		q.deliver(h.popFront(), c)
	}
	q.dispatching = false
}

// pick returns the next consumer in turn that has room, or nil.
func (q *Queue) pick() *Consumer {
	if q.open == 0 { // all full or down: no need to ask each
		return nil
	}
	n := len(q.consumers)
	j := q.next // below n: scale.go keeps it there as consumers go
	if j >= n {
		j = 0
	}
	for range n {
		c := q.consumers[j]
		if j++; j == n {
			j = 0
		}
		if c.hasRoom() {
			q.next = j
			return c
		}
	}
	return nil
}

func (q *Queue) deliver(m *Message, c *Consumer) {
	w := q.b.w
	m.Attempt++
	m.state = delivered
	d := &m.first // most messages are delivered once: spare them an allocation
	if m.Attempt > 1 {
		d = new(Delivery)
	}
	*d = Delivery{Msg: m, consumer: c, life: c.life, attempt: m.Attempt, at: w.Now()}
	m.holds++ // until the consumer finishes with it
	note := ""
	if m.Attempt > 1 {
		note = "delivery #" + strconv.Itoa(m.Attempt) // n ≥ 2: a redelivery, numbered as in --brief
	}
	q.b.tell(trace.Deliver, q.Name, c.Name, &m.Msg, m.Attempt, 0, note)
	q.b.busy++ // until the consumer finishes with it
	if c.mode == AutoAck {
		d.state = acked
		q.b.tell(trace.Ack, c.Name, q.Name, &m.Msg, m.Attempt, 0, "auto-ack on delivery")
		q.settle(m)
		m.acked = true
	} else {
		if c.held++; c.held == c.room { // full now
			q.open--
		}
		if q.opts.VisibilityTimeout > 0 {
			q.link(d)
			if !q.timerSet {
				q.armTimer()
			}
		}
	}
	c.receive(d)
}

// link adds d, a manual-ack delivery just made, to the newest end of the
// queue's outstanding deliveries.
func (q *Queue) link(d *Delivery) {
	d.prev, d.linked = q.newest, true
	if q.newest == nil {
		q.oldest = d
	} else {
		q.newest.next = d
	}
	q.newest = d
}

// unlink takes d out of the queue's outstanding deliveries.
func (q *Queue) unlink(d *Delivery) {
	if d.prev == nil {
		q.oldest = d.next
	} else {
		d.prev.next = d.next
	}
	if d.next == nil {
		q.newest = d.prev
	} else {
		d.next.prev = d.prev
	}
	d.prev, d.next, d.linked = nil, nil, false
}

// armTimer schedules the expiry of the oldest delivery still outstanding,
// unless a timer is already pending.
func (q *Queue) armTimer() {
	if q.timerSet || q.oldest == nil {
		return
	}
	q.timerSet = true
	q.b.w.At(q.oldest.at+q.opts.VisibilityTimeout, nil, q.expireDue)
}

// expireDue expires every delivery whose visibility timeout has run out.
func (q *Queue) expireDue() {
	q.timerSet = false
	now := q.b.w.Now()
	for d := q.oldest; d != nil && d.at+q.opts.VisibilityTimeout <= now; d = q.oldest {
		if d.state != outstanding { // never linked today; unlinked so the loop always ends
			d.release(d.state)
			continue
		}
		q.expire(d) // which unlinks it
	}
	q.armTimer()
}

// expire makes the message of an unacked delivery visible again.
func (q *Queue) expire(d *Delivery) {
	if d.state != outstanding {
		return
	}
	d.release(expired)
	m := d.Msg
	c := d.consumer
	vt := trace.FormatDuration(q.opts.VisibilityTimeout)
	note := fmt.Sprintf("%s held it %s unacked (visibility timeout); visible again", c.Name, vt)
	why := fmt.Sprintf("The broker cannot tell a slow consumer from a dead one: after %s without an ack "+
		"it lets another consumer have the message, and %s may still be working on it.", vt, c.Name)
	if d.life != c.life {
		why = fmt.Sprintf("%s crashed holding the message unacked; the broker waited out the %s "+
			"visibility timeout, never less, before letting another consumer have it.", c.Name, vt)
	}
	q.b.w.Emit(trace.Event{Kind: trace.Timeout, Actor: q.Name, To: c.Name, Msg: d.TraceMsg(), Note: note, Why: why})
	q.requeue(m)
}

// requeue puts a message whose delivery failed back in its place in the
// queue (see putBack), or dead-letters it when it has had its deliveries.
func (q *Queue) requeue(m *Message) {
	if max := q.opts.MaxDeliveries; max > 0 && m.Attempt >= max {
		q.deadLetter(m, fmt.Sprintf("MaxDeliveryCountExceeded: %d deliveries", m.Attempt))
		return
	}
	if q.transient != nil && !q.transient.Connected() {
		q.b.w.Emit(trace.Event{Kind: trace.Drop, Actor: q.Name, To: q.Name, Msg: m.Msg,
			Note: q.transient.Name + " disconnected and its subscription is transient: the message is lost",
			Why: "A transient subscription lives only while its subscriber is connected: what came back " +
				"to it after the last one left has nowhere to go."})
		q.settle(m)
		return
	}
	q.putBack(m)
	q.dispatch()
}

// putBack returns m to the ready messages at its place in publication
// order, as RabbitMQ (since 2.7.0) and Service Bus requeue: ahead of every
// newer message, behind the older ones requeued before it. Only requeued
// messages can be older than m, so the walk is short.
func (q *Queue) putBack(m *Message) {
	m.state = ready
	r := q.lane(m)
	r.pushFront(m)
	for i := 0; i+1 < r.len() && r.at(i+1).order < m.order; i++ {
		r.swap(i, i+1)
	}
}

// returnLater puts back a message whose redelivery was delayed, at the
// back of the queue, as a message made visible again joins it.
func (q *Queue) returnLater(arg any) {
	m := arg.(*Message)
	m.state = ready
	q.lane(m).pushBack(m)
	q.dispatch()
}

// MoveTo takes the oldest message waiting in q and sends it to dst on
// behalf of by, with its delivery count reset: the redrive of a
// dead-letter queue (SQS StartMessageMoveTask, a Service Bus resubmit). It
// reports false when nothing waits in q.
func (q *Queue) MoveTo(dst *Queue, by string) bool {
	h := q.head()
	if h.len() == 0 {
		return false
	}
	m := h.popFront()
	m.Attempt = 0
	dst.send(by, m)
	return true
}

// deadLetter moves m to the dead-letter queue with the reason.
func (q *Queue) deadLetter(m *Message, reason string) {
	dlq := q.DeadLetterQueue()
	why := fmt.Sprintf("Rather than retry forever and block the queue, the broker parks the message in %s, "+
		"where a person can look at it and replay it once the cause is fixed.", dlq.Name)
	q.b.w.Emit(trace.Event{Kind: trace.DeadLetter, Actor: q.Name, To: dlq.Name, Msg: m.Msg, Note: reason, Why: why})
	q.settle(m)
	m.queue = dlq
	dlq.lane(m).pushBack(m)
	dlq.dispatch()
	q.dispatch()
}

func (q *Queue) settle(m *Message) {
	if m.state == settled {
		return
	}
	m.state = settled
	q.b.unsettled--
	q.b.busy--
	q.b.w.Progress() // a run still settling its backlog is not stuck
}

// Subscribe attaches a consumer to the queue. See ConsumerOptions.
func (q *Queue) Subscribe(a *sim.Actor, opts ConsumerOptions, h Handler) *Consumer {
	return q.subscribe(a, opts, h, nil)
}

// subscribe is Subscribe with the handler given either way: h, or work,
// which a Port's handlers are, called without a closure to convert.
func (q *Queue) subscribe(a *sim.Actor, opts ConsumerOptions, h Handler, work func(Work)) *Consumer {
	c := &Consumer{Name: a.Name, actor: a, q: q, prefetch: opts.Prefetch, room: opts.Prefetch, mode: opts.Ack,
		handler: h, work: work, active: a.Up()}
	if opts.Ack == AutoAck || opts.Prefetch == 0 {
		c.room = math.MaxInt
	}
	q.consumers = append(q.consumers, c)
	if c.open() {
		q.open++
	}
	a.Describe(c.describe)
	a.OnCrash(c.crashed)
	a.OnRestart(c.restarted)
	q.dispatch()
	return c
}
