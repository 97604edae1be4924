package broker

import (
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// Topic copies each event published to it into every subscription whose
// filter matches, as RabbitMQ topic exchanges, Service Bus topics, SNS and
// NATS subjects do. The publisher knows none of the subscribers.
type Topic struct {
	Name string

	b    *Broker
	subs []*Subscription
}

// Topic returns the topic called name, declaring it on first use.
func (b *Broker) Topic(name string) *Topic {
	if t, ok := b.topics[name]; ok {
		return t
	}
	t := &Topic{Name: name, b: b}
	b.topics[name] = t
	b.names = append(b.names, name)
	return t
}

// SubscriptionOptions are the settings of a subscription.
type SubscriptionOptions struct {
	// Durable subscriptions keep what is published while no subscriber is
	// connected and deliver the backlog when one returns. A transient one
	// exists only while a subscriber is connected: what is published when
	// none is, or what waits in it when the last one goes, is lost to it.
	Durable bool
	Filter  Filter       // which subjects it takes; the zero Filter takes all
	Queue   QueueOptions // its queue's settings
}

// Subscription is one named subscriber's (or consumer group's) own queue on
// a topic. Several consumers on it compete for its messages.
type Subscription struct {
	Name  string
	Queue *Queue

	topic  *Topic
	opts   SubscriptionOptions
	joined bool // a consumer has attached at least once
}

// Subscribe adds the subscription name to the topic. Its queue is called
// TOPIC/NAME, and its dead-letter queue TOPIC/NAME.dlq.
func (t *Topic) Subscribe(name string, opts SubscriptionOptions) *Subscription {
	s := &Subscription{Name: name, topic: t, opts: opts}
	s.Queue = t.b.Queue(t.Name+"/"+name, opts.Queue)
	if !opts.Durable {
		s.Queue.transient = s
	}
	t.subs = append(t.subs, s)
	return s
}

// Options returns the subscription's settings.
func (s *Subscription) Options() SubscriptionOptions { return s.opts }

// Consume attaches a consumer to the subscription: one more instance of the
// subscriber, competing with the others for its messages.
func (s *Subscription) Consume(a *sim.Actor, opts ConsumerOptions, h Handler) *Consumer {
	s.joined = true
	c := s.Queue.Subscribe(a, opts, h)
	if !s.opts.Durable {
		a.OnCrash(func() {
			if !s.Connected() {
				s.Queue.purge(s.Name+" disconnected and its subscription is transient",
					"A transient subscription lives only while its subscriber is connected: when "+s.Name+
						" went away its queue went too, with every event still waiting in it.")
			}
		})
	}
	return c
}

// Connected reports whether any of the subscription's consumers is up.
func (s *Subscription) Connected() bool {
	for _, c := range s.Queue.consumers {
		if c.up() {
			return true
		}
	}
	return false
}

// Publish emits a publish event and puts a copy of m into every
// subscription whose filter matches its subject. A transient subscription
// with no subscriber connected gets nothing: a drop event says so. While
// the broker is down (see Outage) it takes nothing and returns
// ErrUnreachable.
func (t *Topic) Publish(from string, m *Message) error {
	if err := t.b.refuse(from, t.Name, m); err != nil {
		return err
	}
	w := t.b.w
	m.SentAt = w.Now()
	w.Progress()
	w.Emit(trace.Event{Kind: trace.Publish, Actor: from, To: t.Name, Msg: m.Msg, Note: t.publishNote(m.Subject)})
	for _, s := range t.subs {
		if !s.opts.Filter.Match(m.Subject) {
			continue
		}
		if !s.opts.Durable && !s.Connected() {
			note := "lost to " + s.Name + ": transient, and not connected"
			why := "A transient subscription exists only while its subscriber is connected; " +
				"a durable one would have kept the event until " + s.Name + " came back."
			if !s.joined {
				note = "lost to " + s.Name + ": transient, and not joined yet"
				why = "A transient subscription begins when its subscriber connects, so what was published " +
					"before is never seen; a durable one, declared ahead, would have kept it."
			}
			w.Emit(trace.Event{Kind: trace.Drop, Actor: t.Name, To: s.Queue.Name, Msg: m.Msg, Note: note, Why: why})
			continue
		}
		cp := *m
		cp.first = Delivery{}
		cp.pool, cp.holds, cp.acked = nil, 0, false // the topic's copy, not the pool's
		s.Queue.send(t.Name, &cp)
	}
	return nil
}

// publishNote shows the subject and which subscriptions' filters leave
// the event out.
func (t *Topic) publishNote(subject string) string {
	if subject == "" {
		return ""
	}
	note := "subject " + subject
	for _, s := range t.subs {
		if f := s.opts.Filter; !f.Match(subject) {
			note += "; not for " + s.Name + " (" + f.String() + ")"
		}
	}
	return note
}

// purge drops every message waiting in the queue: note says what
// happened, why teaches the reason.
func (q *Queue) purge(note, why string) {
	w := q.b.w
	for q.Ready() > 0 {
		m := q.head().popFront()
		w.Emit(trace.Event{Kind: trace.Drop, Actor: q.Name, To: q.Name, Msg: m.Msg, Note: note + ": the message is lost", Why: why})
		q.settle(m)
	}
}
