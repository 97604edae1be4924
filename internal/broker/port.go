package broker

import "github.com/msgplay/msgplay/internal/sim"

// Port is a broker as a pattern's actors see it, whichever runs underneath:
// this package's simulated broker (Broker.Port) or a live one on NATS
// JetStream (internal/live, in the live build). Actors written against it
// run on both unchanged, and both tell what happens as the same trace
// events, so the same checks judge them.
type Port interface {
	// Queue returns the queue called name, declaring it with opts on
	// first use.
	Queue(name string, opts QueueOptions) QueuePort
	// Topic returns the topic called name, declaring it on first use (see
	// TopicPort).
	Topic(name string) TopicPort
	// Idle reports whether nothing is left to do: every message sent so
	// far is settled and no consumer is working on a delivery.
	Idle() bool
	// Names returns the queues and topics, in the order they were
	// declared.
	Names() []string
}

// QueuePort is a queue as actors see it: FIFO, with competing consumers,
// acks, redelivery after the visibility timeout and a dead-letter queue
// after MaxDeliveries.
type QueuePort interface {
	// Send puts m on the queue on behalf of from.
	Send(from string, m *Message) error
	// Consume makes actor a a consumer of the queue. h gets each delivery
	// on the world's loop, one at a time, and must finish it exactly once,
	// now or later, with Ack or Nack; a crash of a finishes nothing, and
	// what it held comes back after the visibility timeout.
	Consume(a *sim.Actor, opts ConsumerOptions, h func(Work))
}

// Work is one delivery as a handler sees it. *Delivery is the simulated
// one.
type Work interface {
	// Message returns the message delivered; its Attempt is this
	// delivery's.
	Message() *Message
	// Handle records that the handler applied the message's business
	// effect. Call it before Ack.
	Handle(note string)
	// SkipWhy records that the handler recognised the message as a
	// duplicate and did not apply it again; why teaches the reason, for
	// --explain. Call it before Ack.
	SkipWhy(note, why string)
	// Ack finishes the delivery successfully.
	Ack()
	// Nack finishes the delivery as failed: with requeue the message is
	// delivered again (or dead-lettered after MaxDeliveries), without it
	// is dead-lettered at once.
	Nack(requeue bool, why string)
}

// Message returns the message delivered.
func (d *Delivery) Message() *Message { return d.Msg }

// WorkOf returns the Work that arg holds: the argument of a callback a
// handler scheduled with its delivery (sim.World.AfterCall), which spares
// a closure per delivery. The simulated broker's *Delivery is taken out
// as it is, without the method-table lookup an assertion to an interface
// costs; any other Work as usual.
func WorkOf(arg any) Work {
	if d, ok := arg.(*Delivery); ok {
		return d
	}
	return arg.(Work)
}

// Port returns b as a Port.
func (b *Broker) Port() Port { return simPort{b} }

type simPort struct{ b *Broker }

func (p simPort) Queue(name string, opts QueueOptions) QueuePort {
	return simQueue{p.b.Queue(name, opts)}
}

func (p simPort) Idle() bool { return p.b.Idle() }

func (p simPort) Names() []string { return p.b.Names() }

type simQueue struct{ q *Queue }

func (s simQueue) Send(from string, m *Message) error { return s.q.Send(from, m) }

func (s simQueue) Consume(a *sim.Actor, opts ConsumerOptions, h func(Work)) {
	s.q.subscribe(a, opts, nil, h)
}
