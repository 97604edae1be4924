// Package broker models a message broker on the sim kernel, the way
// RabbitMQ, Amazon SQS, Azure Service Bus and NATS JetStream document theirs:
// FIFO queues with competing consumers, prefetch, manual or automatic
// acknowledgement, visibility timeouts, delivery counts and dead-letter
// queues. Everything it does is told as trace events.
package broker

import (
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// Broker owns the queues of one simulation and knows how many messages are
// still unsettled, so a run can end when there is nothing left to do.
type Broker struct {
	w      *sim.World
	rec    *trace.Recorder // w's, told the events every message has directly
	queues map[string]*Queue
	topics map[string]*Topic
	names  []string // queues and topics, in the order they were declared

	sent      uint64 // messages sent so far: each one's place in publication order
	unsettled int    // messages sent and not yet acked, dead-lettered or lost
	busy      int    // unsettled, plus the deliveries in consumers' hands not yet finished: 0 when idle

	outages []sim.Window // when the broker is unreachable; see Outage
	maxSize int64        // the largest message a queue takes, in bytes; 0 = no limit
}

// New returns a Broker living in w.
func New(w *sim.World) *Broker {
	return &Broker{w: w, rec: w.Recorder(), queues: map[string]*Queue{}, topics: map[string]*Topic{}}
}

// tell records an event of kind k about message m, at the given attempt,
// from actor to to: the events every message has, filled in place.
func (b *Broker) tell(k trace.Kind, actor, to string, m *trace.Msg, attempt int, took time.Duration, note string) {
	b.rec.EmitMsg(k, actor, to, m, attempt, took, note)
}

// Names returns the names of the queues and topics, in the order they were
// declared.
func (b *Broker) Names() []string { return b.names }

// World returns the world the broker lives in.
func (b *Broker) World() *sim.World { return b.w }

// Idle reports whether every message sent so far is settled and no consumer
// is still working on a delivery.
func (b *Broker) Idle() bool { return b.busy == 0 }

// Busy points at a count that is 0 exactly when the broker is Idle, for a
// world whose run cannot end before (see sim.World.Gate): read it, never
// write it.
func (b *Broker) Busy() *int { return &b.busy }

// UnsettledCount returns how many messages are still unsettled.
func (b *Broker) UnsettledCount() int { return b.unsettled }

// Message is one message in the broker. Its trace.Msg is what events show;
// Attempt counts its deliveries so far. ReplyTo and CorrelationID (from
// trace.Msg, so events show them) carry request/reply correlation: a
// request names the queue its replies go to, and Reply sends an answer
// there with the request's correlation id.
type Message struct {
	trace.Msg
	Subject string // routing subject for topics, such as orders.placed.eu
	Body    any    // the pattern's payload

	SentAt time.Duration
	order  uint64 // its place in publication order: requeued, it goes back there
	queue  *Queue
	first  Delivery // the first delivery, kept inline
	pool   *Pool    // where it came from, to go back to once done; nil when not pooled
	holds  int32    // its deliveries not yet finished

	// Priority orders the message among the ready ones of a priority
	// queue (see QueueOptions.MaxPriority): higher goes first. A FIFO
	// queue ignores it. (Beside holds, state and acked: one word for all.)
	Priority uint8

	state msgState
	acked bool // settled by an ack: done, once nothing holds it
}

type msgState uint8

const (
	ready msgState = iota
	delivered
	settled
)

// Settled reports whether the message was acked, dead-lettered or lost.
func (m *Message) Settled() bool { return m.state == settled }

// Reply sends reply, on behalf of from, to the queue the request req names
// in ReplyTo, carrying req's correlation id — req.CorrelationID when it has
// one, else its id — so the requester can match the answer to its request.
// It reports false, sending nothing, when req names no queue the broker
// knows.
func (b *Broker) Reply(from string, req, reply *Message) bool {
	q, ok := b.queues[req.ReplyTo]
	if !ok {
		return false
	}
	reply.CorrelationID = req.CorrelationID
	if reply.CorrelationID == "" {
		reply.CorrelationID = req.IDText()
	}
	q.Send(from, reply)
	return true
}
