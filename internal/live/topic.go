//go:build live

package live

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// topic is a topic on JetStream: a limits stream on TOPIC.> that keeps
// every event, with one consumer per subscription, filtered by subject.
type topic struct {
	b        *Broker
	name     string
	stream   string
	declared bool
	subs     []*subscription
}

// subscription is one subscription on a topic: its consumer, which every
// instance of the subscriber shares (a consumer group), and the queue
// machinery of a queue's workers, reading it.
type subscription struct {
	t     *topic
	name  string
	opts  broker.SubscriptionOptions
	q     *queue
	sent  []trace.Msg // sent to it: what a transient one loses when its last instance goes
	up    bool        // its consumer exists (a durable one's always does)
	once  bool        // an instance has consumed from it at least once
	insts []*sim.Actor
}

// Topic implements broker.Port. The presenter makes the topic's stream
// afresh on first use.
func (b *Broker) Topic(name string) broker.TopicPort {
	for _, t := range b.topics {
		if t.name == name {
			return t
		}
	}
	t := &topic{b: b, name: name, stream: streamName(b.pattern, name)}
	b.topics = append(b.topics, t)
	return t
}

// declare makes the topic's stream, in the presenter's process, once.
func (t *topic) declare() {
	if t.declared || t.b.opts.Join != "" {
		return
	}
	t.declared = true
	c, cancel := ctx()
	defer cancel()
	js := t.b.js
	if err := js.DeleteStream(c, t.stream); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
		t.b.fail("deleting stream %s: %v", t.stream, err)
	}
	// Another pattern's topic on the same subjects (pubsub's and outbox's
	// are both orders.>) is a previous run's: JetStream refuses two
	// streams whose subjects overlap.
	if other, err := js.StreamNameBySubject(c, t.name+".>"); err == nil && strings.HasPrefix(other, "MSGPLAY_") {
		if err := js.DeleteStream(c, other); err != nil {
			t.b.fail("deleting stream %s, whose subjects overlap %s.>: %v", other, t.name, err)
		}
	}
	args, _ := json.Marshal(t.b.opts.Args)
	_, err := js.CreateStream(c, jetstream.StreamConfig{Name: t.stream, Subjects: []string{t.name + ".>"},
		Retention: jetstream.LimitsPolicy, Storage: jetstream.FileStorage, Duplicates: t.b.opts.dupWindow(),
		Metadata: map[string]string{"msgplay-args": string(args),
			"msgplay-time-scale": strconv.FormatFloat(t.b.opts.TimeScale, 'g', -1, 64)}})
	if err != nil {
		t.b.fail("creating the stream of topic %s: %v", t.name, err)
	}
}

// subject returns the NATS subject an event is published on: its own,
// under the topic's.
func (t *topic) subject(m *broker.Message) string {
	if m.Subject == "" {
		return t.name + ".event"
	}
	return m.Subject
}

// Subscribe implements broker.TopicPort. A durable subscription's
// consumer is made now, before anything is published, so it keeps every
// event; a transient one's only when its first instance connects.
func (t *topic) Subscribe(name string, opts broker.SubscriptionOptions) broker.SubscriptionPort {
	t.declare()
	qname := t.name + "/" + name
	qo := opts.Queue
	if qo.VisibilityTimeout == 0 {
		qo.VisibilityTimeout = broker.LiveAckWait
	}
	q := &queue{b: t.b, name: qname, opts: qo, stream: t.stream, dlq: streamName(t.b.pattern, qname+".dlq"),
		subject: t.b.subject(strings.ReplaceAll(qname, "/", "_")), durable: name, shared: true, cons: true,
		transient: !opts.Durable}
	t.b.queues = append(t.b.queues, q)
	s := &subscription{t: t, name: name, opts: opts, q: q}
	t.subs = append(t.subs, s)
	if t.b.opts.Join != "" {
		return s
	}
	c, cancel := ctx()
	defer cancel()
	// Afresh, as the topic's stream: a previous run's dead letters are not this one's.
	err := t.b.js.DeleteStream(c, q.dlq)
	if err == nil || errors.Is(err, jetstream.ErrStreamNotFound) {
		_, err = t.b.js.CreateStream(c, jetstream.StreamConfig{Name: q.dlq, Subjects: []string{q.subject + ".dlq"},
			Retention: jetstream.LimitsPolicy, Storage: jetstream.FileStorage})
	}
	if err != nil {
		t.b.fail("making the dead-letter stream of %s: %v", qname, err)
	}
	q.deadLetters()
	if opts.Durable {
		s.connect()
	}
	return s
}

// connect makes the subscription's consumer: durable, or, for a transient
// subscription, an ephemeral one that delivers only what is published
// from now on.
func (s *subscription) connect() {
	q := s.q
	cfg := jetstream.ConsumerConfig{AckPolicy: jetstream.AckExplicitPolicy, AckWait: q.wall(q.opts.VisibilityTimeout),
		MaxDeliver: q.opts.MaxDeliveries, MaxAckPending: -1, FilterSubject: s.opts.Filter.String()}
	if cfg.MaxDeliver == 0 {
		cfg.MaxDeliver = -1
	}
	if s.opts.Durable {
		cfg.Durable = s.name
	} else {
		// Ephemeral: no Durable. It has a name so instances in join
		// processes can find it; msgplay deletes it when the last instance
		// goes, as JetStream itself would after InactiveThreshold.
		cfg.Name, cfg.DeliverPolicy, cfg.InactiveThreshold = s.name, jetstream.DeliverNewPolicy, time.Minute
	}
	c, cancel := ctx()
	defer cancel()
	if _, err := s.t.b.js.CreateOrUpdateConsumer(c, s.t.stream, cfg); err != nil {
		s.t.b.fail("creating consumer %s on %s: %v", s.name, s.t.stream, err)
		return
	}
	s.up = true
}

// disconnect ends a transient subscription when its last instance has
// gone: its consumer is deleted, and what waited in it, or was in an
// instance's hands, is lost.
func (s *subscription) disconnect() {
	b := s.t.b
	for _, a := range s.insts {
		if a.Up() {
			return
		}
	}
	s.up = false
	c, cancel := ctx()
	err := b.js.DeleteConsumer(c, s.t.stream, s.name)
	cancel()
	if err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		b.fail("deleting consumer %s: %v", s.name, err)
	}
	for _, m := range s.sent {
		e := trace.Event{Kind: trace.Drop, Actor: s.q.name, To: s.q.name, Msg: m,
			Note: s.name + " disconnected and its subscription is transient: its ephemeral consumer is " +
				"deleted: the message is lost",
			Why: "A transient subscription lives only while its subscriber is connected: when " + s.name +
				" went away its consumer went too, with every event it had not acked."}
		if b.unsettled[bookKey(&e)] {
			b.emit(e)
		}
	}
	s.sent = nil
}

// Consume implements broker.SubscriptionPort: a to the subscription's
// consumer as one more worker, with a connection of its own. A transient
// subscription is connected by its first instance, again by the first to
// come back, and gone when the last one goes.
func (s *subscription) Consume(a *sim.Actor, opts broker.ConsumerOptions, h func(broker.Work)) {
	s.insts = append(s.insts, a)
	transient := !s.opts.Durable && s.t.b.opts.Join == ""
	if transient {
		a.OnRestart(func() {
			if !s.up {
				s.connect()
			}
		})
		if !s.up {
			s.connect()
		}
	}
	s.once = true
	s.q.addWorker(a, opts, h)
	if transient {
		a.OnCrash(s.disconnect)
	}
}

// Publish implements broker.TopicPort: one JetStream publish, with the
// event's id as Nats-Msg-Id, confirmed by the server; each subscription
// whose filter matches reads it from the stream through its consumer.
// The trace tells it as the simulation does: a send to each subscription,
// a drop for a transient one that has no consumer now.
func (t *topic) Publish(from string, m *broker.Message) error {
	b := t.b
	t.declare()
	subject := t.subject(m)
	msg, id := natsMsg(subject, m)
	b.w.Progress()
	b.emit(trace.Event{Kind: trace.Publish, Actor: from, To: t.name, Msg: m.Msg, Note: t.publishNote(subject)})
	c, cancel := ctx()
	ack, err := b.js.PublishMsg(c, msg, jetstream.WithMsgID(id))
	cancel()
	if err != nil {
		b.emit(trace.Event{Kind: trace.Drop, Actor: t.name, To: t.name, Msg: m.Msg,
			Note: "JetStream did not confirm the publish: " + err.Error()})
		b.fail("publishing %s: %v", id, err)
		return err
	}
	if ack.Duplicate {
		b.emit(trace.Event{Kind: trace.Note, Actor: t.name, Msg: m.Msg,
			Note: "duplicate Nats-Msg-Id " + id + ": JetStream stored it once already, within the " +
				trace.FormatDuration(t.b.opts.dupWindow()) + " duplicate window; not stored or delivered again",
			Why: "JetStream remembers every Nats-Msg-Id for the stream's duplicate window and drops a second " +
				"publish with the same id: the broker absorbs a relay's repeat, but only within the window; " +
				"after it the repeat is delivered again, and only an inbox absorbs it."})
		return nil
	}
	for _, s := range t.subs {
		if !s.opts.Filter.Match(subject) {
			continue
		}
		if !s.opts.Durable && !s.up {
			note := "lost to " + s.name + ": transient, and no consumer now"
			why := "A transient subscription is an ephemeral consumer that exists only while its subscriber " +
				"is connected; a durable consumer would have kept the event until " + s.name + " came back."
			if !s.once {
				note = "lost to " + s.name + ": transient, and not joined yet"
				why = "An ephemeral consumer delivers only what is published after it is made, so what came " +
					"before is never seen; a durable one, declared ahead, would have kept it."
			}
			b.emit(trace.Event{Kind: trace.Drop, Actor: t.name, To: s.q.name, Msg: m.Msg, Note: note, Why: why})
			continue
		}
		b.emit(trace.Event{Kind: trace.Send, Actor: t.name, To: s.q.name, Msg: m.Msg})
		if !s.opts.Durable {
			s.remember(m.Msg)
		}
	}
	return nil
}

// remember keeps what was sent to a transient subscription, forgetting
// what has settled now and then so a long run does not keep it all.
func (s *subscription) remember(m trace.Msg) {
	if len(s.sent) >= 1024 && len(s.sent) == cap(s.sent) {
		kept := s.sent[:0]
		for _, old := range s.sent {
			e := trace.Event{Kind: trace.Send, To: s.q.name, Msg: old}
			if s.t.b.unsettled[bookKey(&e)] {
				kept = append(kept, old)
			}
		}
		s.sent = kept
	}
	s.sent = append(s.sent, m)
}

// publishNote shows the subject and which subscriptions' filters leave
// the event out, as the simulated topic does.
func (t *topic) publishNote(subject string) string {
	note := "subject " + subject
	for _, s := range t.subs {
		if f := s.opts.Filter; !f.Match(subject) {
			note += "; not for " + s.name + " (" + f.String() + ")"
		}
	}
	return note
}
