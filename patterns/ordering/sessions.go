package ordering

import (
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// sessionQueue is a queue whose messages carry a session id — the order's
// key — as Azure Service Bus sessions do: a consumer locks a session and
// alone takes its messages, one at a time, in order, completing each; when
// the session is empty it lets go and locks another. A consumer that dies
// keeps its lock until the lock expires (--session-lock); then another
// consumer takes the session from the message it left.
type sessionQueue struct {
	r         *run
	sessions  map[string]*session
	avail     []*session // unlocked sessions with messages, oldest first
	availHead int
	consumers []*sessConsumer
	rr        int
	retry     *retrier
	unsettled int
}

type session struct {
	id       string
	msgs     []*record
	lockedBy *sessConsumer
	waiting  bool // in avail
}

// sessConsumer is one consumer of a session queue.
type sessConsumer struct {
	sq      *sessionQueue
	name    string
	actor   *sim.Actor
	active  bool // joined and up
	sess    *session
	fresh   bool // the session was just locked: the next delivery says so
	cur     *record
	started time.Duration
	blocked bool

	finishFn, retryFn func()
}

func newSessionQueue(r *run) *sessionQueue {
	sq := &sessionQueue{r: r, sessions: map[string]*session{}}
	w := r.w
	w.Actor(QueueName)
	add := func(name string, active bool) *sessConsumer {
		c := &sessConsumer{sq: sq, name: name, actor: w.Actor(name), active: active}
		c.finishFn, c.retryFn = c.finish, c.retryNow
		c.actor.Describe(c.describe)
		c.actor.OnCrash(c.crashed)
		c.actor.OnRestart(func() {
			c.active = true
			sq.dispatch()
		})
		sq.consumers = append(sq.consumers, c)
		return c
	}
	for _, name := range r.consumers() {
		add(name, true)
	}
	for _, j := range r.cfg.Joins {
		c := add(j.Consumer, false)
		w.At(j.At, nil, func() {
			if c.actor.Up() {
				c.active = true
				sq.dispatch()
			}
		})
	}
	if needsRetrier(r.cfg) {
		sq.retry = newRetrier(r)
	}
	return sq
}

func (sq *sessionQueue) send(rec *record) {
	w := sq.r.w
	s := sq.sessions[rec.Key]
	if s == nil {
		s = &session{id: rec.Key}
		sq.sessions[rec.Key] = s
	}
	s.msgs = append(s.msgs, rec)
	sq.unsettled++
	w.Progress()
	w.Emit(trace.Event{Kind: trace.Send, Actor: Producer, To: QueueName, Msg: rec.Msg})
	switch {
	case s.lockedBy != nil:
		s.lockedBy.next()
	case !s.waiting:
		s.waiting = true
		sq.avail = append(sq.avail, s)
		sq.dispatch()
	}
}

// dispatch gives waiting sessions to free consumers, in turn.
func (sq *sessionQueue) dispatch() {
	n := len(sq.consumers)
	for sq.availHead < len(sq.avail) {
		var free *sessConsumer
		for i := 0; i < n; i++ {
			c := sq.consumers[(sq.rr+i)%n]
			if c.active && c.sess == nil {
				free = c
				sq.rr = (sq.rr + i + 1) % n
				break
			}
		}
		if free == nil {
			break
		}
		s := sq.avail[sq.availHead]
		sq.avail[sq.availHead] = nil
		sq.availHead++
		s.waiting = false
		s.lockedBy, free.sess, free.fresh = free, s, true
		free.next()
	}
	if sq.availHead > 32 && sq.availHead > len(sq.avail)/2 {
		sq.avail = append([]*session(nil), sq.avail[sq.availHead:]...)
		sq.availHead = 0
	}
}

func (sq *sessionQueue) idle() bool {
	if sq.unsettled > 0 || !sq.r.s.Broker.Idle() {
		return false
	}
	for _, c := range sq.consumers {
		if c.cur != nil || c.blocked {
			return false
		}
	}
	return true
}

func (sq *sessionQueue) ending() patterns.Ending { return patterns.Ending{} }

// next takes the next message of the locked session, or lets the session
// go when it is empty.
func (c *sessConsumer) next() {
	if c.cur != nil || c.blocked || !c.active || c.sess == nil {
		return
	}
	sq := c.sq
	w := sq.r.w
	s := c.sess
	if len(s.msgs) == 0 {
		s.lockedBy, c.sess = nil, nil
		delete(sq.sessions, s.id)
		sq.dispatch()
		return
	}
	rec := s.msgs[0]
	rec.deliveries++
	c.cur, c.started = rec, w.Now()
	note := ""
	if c.fresh {
		note = "session " + s.id + " locked by " + c.name
		c.fresh = false
	}
	msg := rec.Msg
	msg.Attempt = rec.deliveries
	w.Emit(trace.Event{Kind: trace.Deliver, Actor: QueueName, To: c.name, Msg: msg, Note: note})
	w.After(sq.r.workTime(c.name), c.actor, c.finishFn)
}

func (c *sessConsumer) finish() {
	sq := c.sq
	r := sq.r
	w := r.w
	rec := c.cur
	took := w.Now() - c.started
	c.cur = nil
	msg := rec.Msg
	msg.Attempt = rec.deliveries
	stream := "session " + c.sess.id
	if r.fails(rec) {
		note := r.failNote(rec)
		if r.cfg.Retry == Block {
			w.Emit(trace.Event{Kind: trace.Nack, Actor: c.name, To: QueueName, Msg: msg, Took: took,
				Note: note + blockedNote(stream, r)})
			c.blocked = true
			w.After(r.cfg.RetryBackoff, c.actor, c.retryFn)
			return
		}
		w.Emit(trace.Event{Kind: trace.Nack, Actor: c.name, To: QueueName, Msg: msg, Took: took,
			Note: note + parkedNote(stream)})
		sq.retry.park(c.name, rec)
		w.Emit(trace.Event{Kind: trace.Ack, Actor: c.name, To: QueueName, Msg: msg, Note: "completed: its copy waits in " + RetryQueue})
	} else {
		w.Emit(trace.Event{Kind: trace.Handle, Actor: c.name, To: QueueName, Msg: msg, Took: took, Note: r.proj.apply(rec)})
		w.Emit(trace.Event{Kind: trace.Ack, Actor: c.name, To: QueueName, Msg: msg})
	}
	s := c.sess
	s.msgs[0] = nil
	s.msgs = s.msgs[1:]
	sq.unsettled--
	w.Progress()
	c.next()
}

// retryNow ends the backoff: the consumer takes the failed message again.
func (c *sessConsumer) retryNow() {
	c.blocked = false
	c.next()
}

// describe tells what the consumer held, for the note of its crash.
func (c *sessConsumer) describe() string {
	if c.sess == nil {
		return ""
	}
	held := ""
	if c.cur != nil {
		held = ", " + c.cur.ID + " not completed"
	}
	return "held the lock of session " + c.sess.id + held + "; the lock lasts " + trace.FormatDuration(c.sq.r.cfg.SessionLock)
}

// crashed leaves the session locked: Service Bus cannot tell a dead
// consumer from a slow one until the lock expires.
func (c *sessConsumer) crashed() {
	sq := c.sq
	w := sq.r.w
	c.active, c.blocked = false, false
	s, rec := c.sess, c.cur
	c.sess, c.cur = nil, nil
	if s == nil {
		return
	}
	lock := sq.r.cfg.SessionLock
	w.After(lock, nil, func() {
		s.lockedBy = nil
		e := trace.Event{Kind: trace.Timeout, Actor: QueueName, To: c.name,
			Note: "session " + s.id + ": " + c.name + "'s lock expired after " + trace.FormatDuration(lock) + "; free again",
			Why: "The broker cannot tell a dead consumer from a slow one: it keeps the session locked, " +
				"and every message of that order waiting, until the lock runs out. Then any consumer may " +
				"lock the session and carry on from the message that was not completed."}
		if rec != nil {
			e.Msg = rec.Msg
			e.Msg.Attempt = rec.deliveries
		}
		w.Emit(e)
		if len(s.msgs) == 0 {
			delete(sq.sessions, s.id)
			return
		}
		s.waiting = true
		sq.avail = append(sq.avail, s)
		sq.dispatch()
	})
}
