//go:build live

// Package live runs msgplay's patterns on a real broker, NATS JetStream,
// on the wall clock: the same actors as the simulation (through
// broker.Port), the same trace events, the same checks. It is built only
// with the build tag live, so the default build never compiles the NATS
// server.
package live

import (
	"context"
	"encoding/json"
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

// Options say which broker a live run uses and how.
type Options struct {
	// URL is the broker's nats://HOST:PORT; "" starts an embedded server
	// in this process that opens no port.
	URL   string
	Token string
	// TimeScale makes every duration of the scenario take that many times
	// longer on the wall clock; 1 is real time.
	TimeScale float64
	// Join, when set, makes this process one more worker, called Join, of
	// the run already going on at URL, instead of a run of its own.
	Join string
	// Args are the pattern's flags as given, kept with the run's streams
	// so that a join process works the same way.
	Args []string
	// DuplicateWindow is how long a topic's stream remembers a
	// Nats-Msg-Id and drops a second publish with it; 0 is 2m, JetStream's
	// default. At least 100ms (JetStream's floor).
	DuplicateWindow time.Duration
}

// dupWindow returns the duplicate window of the run's topics.
func (o Options) dupWindow() time.Duration {
	if o.DuplicateWindow > 0 {
		return o.DuplicateWindow
	}
	return 2 * time.Minute
}

// Broker is one live run's connection to NATS JetStream. It implements
// patterns.Live: Attach gives the pattern its broker.Port.
type Broker struct {
	opts    Options
	srv     *Server // the embedded server, or nil
	dial    dialer
	nc      *nats.Conn
	js      jetstream.JetStream
	w       *sim.World
	pattern string
	queues  []*queue
	topics  []*topic
	errs    []string

	// The books, keyed by queue and id (see bookKey): a topic copies one
	// event into several subscriptions.
	unsettled map[string]bool   // sent and not yet acked, dead-lettered or lost
	working   int               // deliveries in this process's workers' hands
	remote    map[string]string // → the join process worker working on it
	holder    map[string]string // → who had its last delivery
	nacked    map[string]bool   // → its last delivery was nacked, not left to time out
	over      bool              // a join process: the presenter said the run is over
	subs      []*nats.Subscription

	dbs   []*sqliteDB // an outbox run's databases (sqlite.go)
	dbDir string      // their files' directory
}

// Open connects to the broker o names (starting an embedded one when
// o.URL is empty) and checks it has JetStream. Its errors are one line; a
// bad URL wraps ErrUsage.
func Open(o Options) (*Broker, error) {
	if o.TimeScale <= 0 {
		o.TimeScale = 1
	}
	b := &Broker{opts: o, unsettled: map[string]bool{}, remote: map[string]string{},
		holder: map[string]string{}, nacked: map[string]bool{}}
	if o.URL == "" {
		srv, err := StartServer(ServerOptions{})
		if err != nil {
			return nil, err
		}
		b.srv = srv
	} else if err := CheckURL(o.URL); err != nil {
		return nil, err
	}
	b.dial = dialer{srv: b.srv, url: o.URL, token: o.Token}
	nc, js, err := b.dial.dial("msgplay")
	if err != nil {
		b.Close()
		return nil, err
	}
	b.nc, b.js = nc, js
	return b, nil
}

// URL returns the broker's URL without its token, or "embedded".
func (b *Broker) URL() string {
	if b.srv != nil {
		return "embedded (in-process, no port)"
	}
	return Redact(b.opts.URL)
}

// Params implements patterns.Live.
func (b *Broker) Params() []trace.Param {
	p := []trace.Param{{Name: "live", Value: "true"}, {Name: "broker", Value: b.URL()}}
	if b.opts.TimeScale != 1 {
		p = append(p, trace.Param{Name: "time-scale", Value: strconv.FormatFloat(b.opts.TimeScale, 'g', -1, 64)})
	}
	if b.opts.Join != "" {
		p = append(p, trace.Param{Name: "join", Value: b.opts.Join})
	}
	return p
}

// Attach implements patterns.Live: it puts w on the wall clock and, in
// the presenter's process, listens for the events of join processes.
func (b *Broker) Attach(w *sim.World, pattern string) broker.Port {
	w.RealTime(b.opts.TimeScale)
	b.w, b.pattern = w, pattern
	w.After(0, nil, func() {
		w.Emit(trace.Event{Kind: trace.Note, Actor: "msgplay",
			Note: "live run on NATS JetStream, " + b.URL() + ": wall-clock time, not reproducible"})
	})
	if b.opts.Join == "" {
		b.subscribe(b.subject("trace"), func(m *nats.Msg) {
			var e wireEvent
			if json.Unmarshal(m.Data, &e) == nil {
				w.Inject(func() { b.emitRemote(e) })
			}
		})
	} else {
		b.subscribe(b.subject("control"), func(m *nats.Msg) {
			if string(m.Data) == "over" {
				w.Inject(func() { b.over = true })
			}
		})
	}
	return b
}

func (b *Broker) subscribe(subject string, fn nats.MsgHandler) {
	sub, err := b.nc.Subscribe(subject, fn)
	if err != nil {
		b.fail("subscribing to %s: %v", subject, err)
		return
	}
	b.subs = append(b.subs, sub)
}

// Names implements broker.Port.
func (b *Broker) Names() []string {
	var names []string
	for _, t := range b.topics {
		names = append(names, t.name)
	}
	for _, q := range b.queues {
		names = append(names, q.name, q.name+".dlq")
	}
	return names
}

// subject returns the NATS subject of one of the run's channels.
func (b *Broker) subject(name string) string { return "msgplay." + b.pattern + "." + name }

// Idle implements broker.Port: every message sent is settled and no
// worker, here or in a join process, is working on one. A join process is
// idle once the presenter said the run is over and its worker is done.
func (b *Broker) Idle() bool {
	if b.opts.Join != "" {
		return b.over && b.working == 0
	}
	return len(b.unsettled) == 0 && b.working == 0 && len(b.remote) == 0
}

// Err returns what went wrong with the broker during the run, or nil.
func (b *Broker) Err() error {
	if len(b.errs) == 0 {
		return nil
	}
	return fmt.Errorf("live broker: %s", strings.Join(b.errs, "; "))
}

func (b *Broker) fail(format string, args ...any) {
	b.errs = append(b.errs, fmt.Sprintf(format, args...))
}

// Close ends the run: the presenter tells join processes it is over; the
// workers' connections close, then the broker's, and an embedded server
// stops.
func (b *Broker) Close() {
	if b.w != nil {
		b.w.Close()
	}
	for _, q := range b.queues {
		q.close()
	}
	if b.nc != nil {
		if b.opts.Join == "" && b.w != nil {
			b.nc.Publish(b.subject("control"), []byte("over"))
		}
		for _, s := range b.subs {
			s.Unsubscribe()
		}
		b.nc.Drain()
		b.nc.Close()
	}
	if b.srv != nil {
		b.srv.Shutdown()
	}
	b.closeDBs()
}

// ctx returns a context bounded by DialTimeout for one call to the broker.
func ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), DialTimeout)
}

// wireEvent is an event as a join process sends it to the presenter.
type wireEvent struct {
	Kind  string
	Actor string
	To    string
	Note  string
	Took  time.Duration
	Msg   trace.Msg
}

// emit records e, keeps the books Idle reads, and, in a join process,
// sends it on to the presenter. A delivery that comes back without having
// been nacked is told first as a timeout: its AckWait ran out.
func (b *Broker) emit(e trace.Event) {
	b.book(&e)
	b.w.Emit(e)
	if b.opts.Join != "" {
		data, _ := json.Marshal(wireEvent{Kind: e.Kind.String(), Actor: e.Actor, To: e.To, Note: e.Note,
			Took: e.Took, Msg: e.Msg})
		b.nc.Publish(b.subject("trace"), data)
	}
}

// emitRemote records, in the presenter's trace, an event of a join process.
func (b *Broker) emitRemote(we wireEvent) {
	k, ok := trace.ParseKind(we.Kind)
	if !ok {
		return
	}
	e := trace.Event{Kind: k, Actor: we.Actor, To: we.To, Note: we.Note, Took: we.Took, Msg: we.Msg}
	switch k {
	case trace.Deliver:
		b.remote[bookKey(&e)] = e.To
	case trace.Handle, trace.Skip, trace.Nack, trace.Drop:
		delete(b.remote, bookKey(&e))
	case trace.Crash:
		for id, who := range b.remote {
			if who == e.Actor {
				delete(b.remote, id)
			}
		}
	}
	if k == trace.Deliver || k == trace.Handle || k == trace.Nack || k == trace.Ack || k == trace.Drop {
		b.book(&e)
	}
	b.w.Emit(e)
}

// book keeps what Idle and the timeouts need from an event about to be
// recorded.
func (b *Broker) book(e *trace.Event) {
	key := bookKey(e)
	switch e.Kind {
	case trace.Send:
		b.unsettled[key] = true
	case trace.Deliver:
		if e.Msg.Attempt > 1 && !b.nacked[key] {
			who, ok := b.holder[key]
			if who != e.To {
				delete(b.remote, key)
			}
			m := e.Msg
			m.Attempt--
			wait := b.ackWait(e.Actor)
			note := fmt.Sprintf("%s held it %s unacked (AckWait); JetStream delivers it again", who, wait)
			if !ok {
				// A connection closing with a fetch under way: the server
				// counted the delivery, no worker ever saw it.
				note = fmt.Sprintf("delivery #%d went to a connection that closed before a worker saw it; "+
					"after AckWait %s JetStream delivers it again", m.Attempt, wait)
			}
			b.w.Emit(trace.Event{Kind: trace.Timeout, Actor: e.Actor, To: who, Msg: m, Note: note,
				Why: "JetStream cannot tell a slow consumer from a dead one: after AckWait without an ack " +
					"it hands the message to the next fetch, from any worker."})
		}
		b.holder[key] = e.To
		b.nacked[key] = false
	case trace.Nack:
		b.nacked[key] = true
	case trace.Ack, trace.DeadLetter, trace.Drop:
		// Settled: JetStream delivers it no more, so nothing of it is
		// kept, and a long run's books hold only what is in flight.
		delete(b.unsettled, key)
		delete(b.holder, key)
		delete(b.nacked, key)
	}
}

// bookKey names the message of e in its queue: the queue is the event's
// receiver, or its actor for what a queue does (deliver, time out,
// dead-letter).
func bookKey(e *trace.Event) string {
	q := e.To
	switch e.Kind {
	case trace.Deliver, trace.Timeout, trace.DeadLetter:
		q = e.Actor
	}
	return q + "\x00" + e.Msg.IDText()
}

// ackWait returns the AckWait of the queue called name, as the trace
// shows it (scenario time).
func (b *Broker) ackWait(name string) string {
	for _, q := range b.queues {
		if q.name == name {
			return trace.FormatDuration(q.opts.VisibilityTimeout)
		}
	}
	return "AckWait"
}
