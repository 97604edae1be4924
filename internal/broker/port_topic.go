package broker

import (
	"time"

	"github.com/msgplay/msgplay/internal/sim"
)

// LiveAckWait is the AckWait, in scenario time, a live broker gives a
// subscription whose queue has no visibility timeout. The simulated one
// gives a crashed subscriber's delivery back at once, as RabbitMQ does
// when a connection dies; JetStream cannot tell a dead consumer from a
// slow one and waits for AckWait, so a handler must finish well within it.
const LiveAckWait = 2 * time.Second

// TopicPort is a topic as actors see it, whichever broker runs underneath:
// a publisher knows none of the subscribers; every subscription whose
// filter matches an event's subject gets a copy of its own.
type TopicPort interface {
	// Publish puts a copy of m into every subscription whose filter matches
	// m.Subject, on behalf of from. A transient subscription with no
	// subscriber connected gets nothing, and a drop event says so. It
	// keeps copies, never m itself: a publisher may reuse m.
	Publish(from string, m *Message) error
	// Subscribe declares the subscription name (its queue is TOPIC/NAME).
	// A durable one keeps what is published from now on until a
	// subscriber takes it; a transient one begins only when its first
	// subscriber connects and ends when the last goes.
	Subscribe(name string, opts SubscriptionOptions) SubscriptionPort
}

// SubscriptionPort is one subscription as its subscriber's instances see
// it.
type SubscriptionPort interface {
	// Consume makes actor a one more instance of the subscriber, competing
	// with the others for the subscription's messages. h gets each
	// delivery as QueuePort.Consume's handler does. A crash of a is its
	// connection closing: when the last instance of a transient
	// subscription goes, the subscription goes with what waits in it.
	Consume(a *sim.Actor, opts ConsumerOptions, h func(Work))
}

func (p simPort) Topic(name string) TopicPort { return simTopic{p.b.Topic(name)} }

type simTopic struct{ t *Topic }

func (s simTopic) Publish(from string, m *Message) error { return s.t.Publish(from, m) }

func (s simTopic) Subscribe(name string, opts SubscriptionOptions) SubscriptionPort {
	return simSubscription{s.t.Subscribe(name, opts)}
}

type simSubscription struct{ s *Subscription }

func (s simSubscription) Consume(a *sim.Actor, opts ConsumerOptions, h func(Work)) {
	s.s.Consume(a, opts, func(d *Delivery) { h(d) })
}
