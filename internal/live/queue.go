//go:build live

package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// Durable is the name of the one durable pull consumer every worker of a
// queue shares: JetStream refuses several unfiltered consumers on a
// work-queue stream.
const Durable = "workers"

// JoinWait is how long a join process waits for the run it joins to
// declare its queue.
const JoinWait = 30 * time.Second

// queue is a queue on JetStream: a work-queue stream, one durable pull
// consumer, and a limits stream for the dead letters.
type queue struct {
	b         *Broker
	name      string
	opts      broker.QueueOptions
	stream    string // the work-queue stream
	dlq       string // the dead-letter stream
	subject   string
	ack       broker.AckMode
	cons      bool   // the consumer is made (on the first Consume)
	durable   string // the consumer's name: Durable, or a subscription's
	shared    bool   // the stream is a topic's, shared by its subscriptions: keep what is dead-lettered
	transient bool   // a transient subscription's: its consumer goes when its last instance does
	workers   []*worker
}

// streamName returns a JetStream name for the queue of the pattern.
func streamName(pattern, queue string) string {
	r := strings.NewReplacer(".", "_", "-", "_", " ", "_", "*", "_", ">", "_", "/", "_")
	return "MSGPLAY_" + strings.ToUpper(r.Replace(pattern)+"_"+r.Replace(queue))
}

// Queue implements broker.Port. The presenter makes the queue's streams
// afresh (a previous run's leftovers would be delivered again); a join
// process finds them, waiting up to JoinWait for the run to begin.
func (b *Broker) Queue(name string, opts broker.QueueOptions) broker.QueuePort {
	for _, q := range b.queues {
		if q.name == name {
			return q
		}
	}
	q := &queue{b: b, name: name, opts: opts, stream: streamName(b.pattern, name),
		dlq: streamName(b.pattern, name+".dlq"), subject: b.subject(name), durable: Durable}
	b.queues = append(b.queues, q)
	return q
}

// declare makes the queue's streams and its consumer, in the presenter's
// process, once: on the first Consume, which knows the ack mode, or the
// first Send. JetStream allows AckNone only on a limits stream, not on a
// work-queue one, so an auto-ack queue is a limits stream: its messages
// stay there once delivered, but are delivered once.
func (q *queue) declare(ack broker.AckMode) {
	if q.cons || q.b.opts.Join != "" {
		return
	}
	q.cons, q.ack = true, ack
	c, cancel := ctx()
	defer cancel()
	js := q.b.js
	for _, s := range []string{q.stream, q.dlq} {
		if err := js.DeleteStream(c, s); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			q.b.fail("deleting stream %s: %v", s, err)
		}
	}
	args, _ := json.Marshal(q.b.opts.Args)
	retention := jetstream.WorkQueuePolicy
	if ack == broker.AutoAck {
		retention = jetstream.LimitsPolicy
	}
	_, err := js.CreateStream(c, jetstream.StreamConfig{Name: q.stream, Subjects: []string{q.subject},
		Retention: retention, Storage: jetstream.FileStorage, Duplicates: 2 * time.Minute,
		Metadata: map[string]string{"msgplay-args": string(args),
			"msgplay-time-scale": strconv.FormatFloat(q.b.opts.TimeScale, 'g', -1, 64)}})
	if err == nil {
		_, err = js.CreateStream(c, jetstream.StreamConfig{Name: q.dlq, Subjects: []string{q.subject + ".dlq"},
			Retention: jetstream.LimitsPolicy, Storage: jetstream.FileStorage})
	}
	if err != nil {
		q.b.fail("creating the streams of queue %s: %v", q.name, err)
		return
	}
	q.deadLetters()
	q.consumer(c, ack)
}

// deadLetters listens to JetStream's max-deliveries advisory for the
// queue's consumer.
func (q *queue) deadLetters() {
	_, err := q.b.nc.Subscribe("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES."+q.stream+"."+q.durable, q.maxDeliveries)
	if err != nil {
		q.b.fail("subscribing to the max-deliveries advisory: %v", err)
	}
}

// consumer makes the durable consumer every worker shares.
func (q *queue) consumer(c context.Context, ack broker.AckMode) {
	cfg := jetstream.ConsumerConfig{Durable: Durable, AckPolicy: jetstream.AckExplicitPolicy,
		AckWait: q.wall(q.opts.VisibilityTimeout), MaxDeliver: q.opts.MaxDeliveries, MaxAckPending: -1}
	if cfg.MaxDeliver == 0 {
		cfg.MaxDeliver = -1
	}
	if ack == broker.AutoAck {
		cfg.AckPolicy, cfg.AckWait, cfg.MaxDeliver = jetstream.AckNonePolicy, 0, -1
	}
	if _, err := q.b.js.CreateOrUpdateConsumer(c, q.stream, cfg); err != nil {
		q.b.fail("creating consumer %s on %s: %v", Durable, q.stream, err)
	}
}

// wall returns d of scenario time as wall time.
func (q *queue) wall(d time.Duration) time.Duration {
	return time.Duration(float64(d) * q.b.opts.TimeScale)
}

// Send implements broker.QueuePort: it publishes m with its id as
// Nats-Msg-Id and waits for JetStream's acknowledgement.
func (q *queue) Send(from string, m *broker.Message) error {
	b := q.b
	q.declare(broker.ManualAck)
	msg, id := natsMsg(q.subject, m)
	c, cancel := ctx()
	defer cancel()
	b.w.Progress()
	b.emit(trace.Event{Kind: trace.Send, Actor: from, To: q.name, Msg: m.Msg})
	if _, err := b.js.PublishMsg(c, msg, jetstream.WithMsgID(id)); err != nil {
		b.emit(trace.Event{Kind: trace.Drop, Actor: q.name, To: q.name, Msg: m.Msg,
			Note: "JetStream did not confirm the publish: " + err.Error()})
		b.fail("publishing %s: %v", id, err)
		return err
	}
	return nil
}

// natsMsg returns m as a NATS message on subject, its trace identity in
// headers (traceMsg reads them back), and its id.
func natsMsg(subject string, m *broker.Message) (*nats.Msg, string) {
	msg := nats.NewMsg(subject)
	id, key := m.Text() // a numbered message has no text until asked
	msg.Header.Set("Msgplay-Id", id)
	msg.Header.Set("Msgplay-Type", m.Type)
	msg.Header.Set("Msgplay-Class", strconv.Itoa(int(m.Class)))
	msg.Header.Set("Msgplay-Key", key)
	msg.Header.Set("Msgplay-Num", strconv.FormatUint(m.Num, 10))
	msg.Data = []byte(key)
	return msg, id
}

// maxDeliveries handles JetStream's max-deliveries advisory: JetStream has
// no dead-letter queue, so msgplay builds the common one. It copies the
// message to the dead-letter stream with the reason, then removes it from
// the work queue, where it would otherwise stay for ever (a topic's stream
// keeps it: the other subscriptions have their own copies to read).
func (q *queue) maxDeliveries(m *nats.Msg) {
	var adv struct {
		StreamSeq  uint64 `json:"stream_seq"`
		Deliveries uint64 `json:"deliveries"`
	}
	if json.Unmarshal(m.Data, &adv) != nil {
		return
	}
	c, cancel := ctx()
	defer cancel()
	js := q.b.js
	s, err := js.Stream(c, q.stream)
	var raw *jetstream.RawStreamMsg
	if err == nil {
		raw, err = s.GetMsg(c, adv.StreamSeq)
	}
	if err != nil {
		q.b.w.Inject(func() { q.b.fail("reading dead letter #%d: %v", adv.StreamSeq, err) })
		return
	}
	reason := fmt.Sprintf("MaxDeliver %d reached (max-deliveries advisory)", adv.Deliveries)
	dead := nats.NewMsg(q.subject + ".dlq")
	dead.Header = raw.Header
	dead.Header.Set("Msgplay-Reason", reason)
	dead.Data = raw.Data
	if _, err = js.PublishMsg(c, dead); err == nil && !q.shared {
		err = s.DeleteMsg(c, adv.StreamSeq)
	}
	tm := traceMsg(raw.Header, int(adv.Deliveries))
	q.b.w.Inject(func() {
		if err != nil {
			q.b.fail("dead-lettering %s: %v", tm.ID, err)
		}
		q.b.emit(trace.Event{Kind: trace.DeadLetter, Actor: q.name, To: q.name + ".dlq", Msg: tm,
			Note: reason + "; republished to stream " + q.dlq,
			Why: "JetStream stops delivering a message after MaxDeliver and only says so in an advisory; " +
				"msgplay republishes it to a dead-letter stream, where a person can look at it and replay it."})
	})
}

// traceMsg reads a message's trace identity from its headers.
func traceMsg(h nats.Header, attempt int) trace.Msg {
	class, _ := strconv.Atoi(h.Get("Msgplay-Class"))
	num, _ := strconv.ParseUint(h.Get("Msgplay-Num"), 10, 64)
	m := trace.Msg{ID: h.Get("Msgplay-Id"), Type: h.Get("Msgplay-Type"), Class: trace.Class(class),
		Key: h.Get("Msgplay-Key"), Attempt: attempt}
	m.Num = num
	return m
}

// Consume implements broker.QueuePort: a worker with a connection of its
// own that fetches in batches of its prefetch.
func (q *queue) Consume(a *sim.Actor, opts broker.ConsumerOptions, h func(broker.Work)) {
	q.declare(opts.Ack)
	q.addWorker(a, opts, h)
}

// addWorker makes actor a a worker of the queue's consumer.
func (q *queue) addWorker(a *sim.Actor, opts broker.ConsumerOptions, h func(broker.Work)) {
	wk := &worker{q: q, a: a, opts: opts, h: h}
	q.workers = append(q.workers, wk)
	a.Describe(wk.describe)
	a.OnCrash(wk.crashed)
	a.OnRestart(wk.start)
	wk.start()
}

func (q *queue) close() {
	for _, wk := range q.workers {
		wk.stop()
	}
}

// findConsumer returns the queue's durable consumer on js, waiting up to
// JoinWait for it in a join process.
func (q *queue) findConsumer(js jetstream.JetStream) (jetstream.Consumer, error) {
	deadline := time.Now().Add(JoinWait)
	for {
		c, cancel := ctx()
		cons, err := js.Consumer(c, q.stream, q.durable)
		cancel()
		if err == nil || q.b.opts.Join == "" || time.Now().After(deadline) {
			return cons, err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// RunArgs waits, up to JoinWait, for a live run of pattern on the broker
// and returns the pattern flags it was started with and its time scale,
// which a join process takes over (see Options.Join).
func (b *Broker) RunArgs(pattern string) ([]string, float64, error) {
	prefix := streamName(pattern, "")
	deadline := time.Now().Add(JoinWait)
	for {
		c, cancel := ctx()
		names := b.js.ListStreams(c)
		for info := range names.Info() {
			raw, ok := info.Config.Metadata["msgplay-args"]
			if !strings.HasPrefix(info.Config.Name, prefix) || !ok {
				continue
			}
			cancel()
			var args []string
			scale, err := strconv.ParseFloat(info.Config.Metadata["msgplay-time-scale"], 64)
			if err == nil {
				err = json.Unmarshal([]byte(raw), &args)
			}
			if err != nil || scale <= 0 {
				return nil, 0, fmt.Errorf("stream %s does not say how its run was started", info.Config.Name)
			}
			b.opts.TimeScale = scale
			return args, scale, nil
		}
		err := names.Err()
		cancel()
		if err != nil {
			return nil, 0, fmt.Errorf("listing the streams: %v", err)
		}
		if time.Now().After(deadline) {
			return nil, 0, fmt.Errorf("no live %s run on %s after waiting %s: start one with msgplay %s --live --broker …",
				pattern, b.URL(), JoinWait, pattern)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
