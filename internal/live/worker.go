//go:build live

package live

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// unlimitedBatch is the fetch batch of a worker with no prefetch limit.
const unlimitedBatch = 64

// worker is one actor consuming a queue: a NATS connection of its own, a
// goroutine that fetches from the shared durable consumer while the worker
// has room, and, on the world's loop, a buffer worked through one delivery
// at a time, as the simulated consumer does. A crash closes the connection
// and drops the buffer; a restart connects again.
type worker struct {
	q    *queue
	a    *sim.Actor
	opts broker.ConsumerOptions
	h    func(broker.Work)

	life    int // bumped at each crash: what an old connection fetched is stale
	nc      *nats.Conn
	cancel  context.CancelFunc
	credits chan struct{} // one per delivery the worker has room for
	buffer  []*delivery
	current *delivery
}

// start connects the worker and starts fetching.
func (wk *worker) start() {
	nc, js, err := wk.q.b.dial.dial("msgplay " + wk.a.Name)
	var cons jetstream.Consumer
	if err == nil {
		cons, err = wk.q.findConsumer(js)
		if err != nil {
			nc.Close()
			err = fmt.Errorf("no consumer %s on stream %s (is the run going on?): %v", wk.q.durable, wk.q.stream, err)
		}
	}
	if err != nil {
		wk.q.b.fail("%s: %v", wk.a.Name, err)
		return
	}
	c, cancel := context.WithCancel(context.Background())
	wk.nc, wk.cancel = nc, cancel
	room := wk.opts.Prefetch
	if room == 0 {
		room = unlimitedBatch
	}
	wk.credits = make(chan struct{}, room)
	for range room {
		wk.credits <- struct{}{}
	}
	go wk.fetch(c, cons, wk.credits, wk.life)
}

// fetch runs on its own goroutine: it takes the room the worker has,
// fetches that many messages at most, and hands each to the world's loop.
func (wk *worker) fetch(c context.Context, cons jetstream.Consumer, credits chan struct{}, life int) {
	w := wk.q.b.w
	for {
		n := 0
		select {
		case <-credits:
			n = 1
		case <-c.Done():
			return
		}
	more:
		for {
			select {
			case <-credits:
				n++
			default:
				break more
			}
		}
		batch, err := cons.Fetch(n, jetstream.FetchMaxWait(time.Second))
		if err == nil {
			for msg := range batch.Messages() {
				n--
				w.Inject(func() { wk.receive(life, msg) })
			}
			err = batch.Error()
		}
		for range n {
			credits <- struct{}{}
		}
		if c.Err() != nil {
			return
		}
		if err != nil && err != nats.ErrTimeout && err != context.DeadlineExceeded {
			time.Sleep(100 * time.Millisecond) // a broker hiccup: do not spin
		}
	}
}

// receive takes a fetched message on the world's loop.
func (wk *worker) receive(life int, msg jetstream.Msg) {
	q, b := wk.q, wk.q.b
	attempt := 1
	if md, err := msg.Metadata(); err == nil {
		attempt = int(md.NumDelivered)
	}
	m := &broker.Message{Msg: traceMsg(msg.Headers(), attempt)}
	note := ""
	if attempt > 1 {
		note = fmt.Sprintf("delivery #%d", attempt)
	}
	stale := life != wk.life || !wk.a.Up()
	if stale {
		note = "fetched by " + wk.a.Name + "'s connection as it closed"
	}
	b.emit(trace.Event{Kind: trace.Deliver, Actor: q.name, To: wk.a.Name, Msg: m.Msg, Note: note})
	auto := wk.opts.Ack == broker.AutoAck
	if auto {
		b.emit(trace.Event{Kind: trace.Ack, Actor: wk.a.Name, To: q.name, Msg: m.Msg,
			Note: "auto-ack on delivery (AckNone)"})
	}
	if stale {
		if auto {
			b.emit(trace.Event{Kind: trace.Drop, Actor: wk.a.Name, To: q.name, Msg: m.Msg,
				Note: "auto-acked, then " + wk.a.Name + " was down: lost"})
		}
		return // unacked: JetStream delivers it again after AckWait
	}
	b.working++
	wk.buffer = append(wk.buffer, &delivery{wk: wk, life: wk.life, msg: msg, m: m})
	wk.pump()
}

// pump starts work on the next delivery when the worker is free.
func (wk *worker) pump() {
	if wk.current != nil || len(wk.buffer) == 0 || !wk.a.Up() {
		return
	}
	d := wk.buffer[0]
	wk.buffer = wk.buffer[1:]
	wk.current = d
	d.started = wk.q.b.w.Now()
	wk.h(d)
}

// held returns the deliveries in the worker's hands.
func (wk *worker) held() []*delivery {
	var ds []*delivery
	if wk.current != nil {
		ds = append(ds, wk.current)
	}
	return append(ds, wk.buffer...)
}

// describe tells what the worker holds, for the note of its crash.
func (wk *worker) describe() string {
	var ids []string
	for i, d := range wk.held() {
		if i == 0 && wk.current != nil {
			ids = append(ids, d.m.ID+" (working)")
		} else {
			ids = append(ids, d.m.ID)
		}
	}
	if len(ids) == 0 {
		return ""
	}
	if wk.opts.Ack == broker.AutoAck {
		return "held " + strings.Join(ids, ", ") + ", already auto-acked: lost"
	}
	again := " unacked: JetStream delivers them again after AckWait " + trace.FormatDuration(wk.q.opts.VisibilityTimeout)
	if wk.q.transient {
		again += ", or they are lost if the transient subscription ends"
	}
	return "held " + strings.Join(ids, ", ") + again
}

// crashed closes the worker's connection and drops what it held:
// auto-acked deliveries are lost, unacked ones come back after AckWait.
func (wk *worker) crashed() {
	b := wk.q.b
	lost := wk.held()
	wk.stop()
	wk.life++
	wk.current, wk.buffer = nil, nil
	for _, d := range lost {
		d.done = true
		b.working--
		if wk.opts.Ack == broker.AutoAck {
			b.emit(trace.Event{Kind: trace.Drop, Actor: wk.a.Name, To: wk.q.name, Msg: d.m.Msg,
				Note: "auto-acked, then " + wk.a.Name + " crashed before handling it",
				Why: "With AckNone JetStream forgot the message the moment it handed it over; when " + wk.a.Name +
					" died, no one had it any more. Ack after the work instead."})
		}
	}
	if b.opts.Join != "" {
		b.emit(trace.Event{Kind: trace.Crash, Actor: wk.a.Name, Note: "(join process)"})
	}
}

// stop ends the worker's fetching and closes its connection.
func (wk *worker) stop() {
	if wk.cancel != nil {
		wk.cancel()
		wk.cancel = nil
		nc := wk.nc
		go nc.Close() // closing waits for the fetch in flight: not on the loop
	}
}

// delivery is one message a worker fetched: broker.Work on JetStream.
type delivery struct {
	wk      *worker
	life    int
	msg     jetstream.Msg
	m       *broker.Message
	started time.Duration
	done    bool
}

// Message implements broker.Work.
func (d *delivery) Message() *broker.Message { return d.m }

// Handle implements broker.Work.
func (d *delivery) Handle(note string) { d.effect(trace.Handle, note, "") }

// SkipWhy implements broker.Work.
func (d *delivery) SkipWhy(note, why string) { d.effect(trace.Skip, note, why) }

func (d *delivery) effect(k trace.Kind, note, why string) {
	b := d.wk.q.b
	b.emit(trace.Event{Kind: k, Actor: d.wk.a.Name, To: d.wk.q.name, Msg: d.m.Msg,
		Took: b.w.Now() - d.started, Note: note, Why: why})
}

// finish marks the worker's work on d as over, gives back its room, and
// reports whether it was still due.
func (d *delivery) finish() bool {
	wk := d.wk
	if d.done || d.life != wk.life {
		return false
	}
	d.done = true
	wk.q.b.working--
	if wk.current == d {
		wk.current = nil
	}
	select {
	case wk.credits <- struct{}{}:
	default:
	}
	return true
}

// Ack implements broker.Work: JetStream Ack, waiting for the server's
// confirmation; with AckNone there is nothing to send.
func (d *delivery) Ack() {
	if !d.finish() {
		return
	}
	wk := d.wk
	if wk.opts.Ack != broker.AutoAck {
		c, cancel := ctx()
		err := d.msg.DoubleAck(c)
		cancel()
		if err != nil {
			wk.q.b.emit(trace.Event{Kind: trace.AckLost, Actor: wk.a.Name, To: wk.q.name, Msg: d.m.Msg,
				Note: "JetStream did not confirm the ack: " + err.Error()})
		} else {
			wk.q.b.emit(trace.Event{Kind: trace.Ack, Actor: wk.a.Name, To: wk.q.name, Msg: d.m.Msg})
		}
	}
	wk.pump()
}

// Nack implements broker.Work: Nak to have it delivered again (JetStream
// counts it against MaxDeliver), or Term and a copy to the dead-letter
// stream without requeue.
func (d *delivery) Nack(requeue bool, why string) {
	if !d.finish() {
		return
	}
	wk, b := d.wk, d.wk.q.b
	took := b.w.Now() - d.started
	switch {
	case wk.opts.Ack == broker.AutoAck:
		b.emit(trace.Event{Kind: trace.Drop, Actor: wk.a.Name, To: wk.q.name, Msg: d.m.Msg, Took: took,
			Note: why + "; it was auto-acked (AckNone), so it is lost"})
	case requeue:
		next := "; Nak: delivered again"
		if max := wk.q.opts.MaxDeliveries; max > 0 && d.m.Attempt >= max {
			next = "; that was its last delivery (MaxDeliver)"
		}
		d.msg.Nak()
		b.emit(trace.Event{Kind: trace.Nack, Actor: wk.a.Name, To: wk.q.name, Msg: d.m.Msg, Took: took, Note: why + next})
	default:
		d.msg.Term()
		b.emit(trace.Event{Kind: trace.Nack, Actor: wk.a.Name, To: wk.q.name, Msg: d.m.Msg, Took: took,
			Note: why + "; Term: rejected"})
		dead := nats.NewMsg(wk.q.subject + ".dlq")
		dead.Header = d.msg.Headers()
		dead.Header.Set("Msgplay-Reason", "rejected: "+why)
		dead.Data = d.msg.Data()
		c, cancel := ctx()
		_, err := b.js.PublishMsg(c, dead)
		cancel()
		if err != nil {
			b.fail("dead-lettering %s: %v", d.m.ID, err)
		}
		b.emit(trace.Event{Kind: trace.DeadLetter, Actor: wk.q.name, To: wk.q.name + ".dlq", Msg: d.m.Msg,
			Note: "rejected: " + why + "; republished to stream " + wk.q.dlq})
	}
	wk.pump()
}
