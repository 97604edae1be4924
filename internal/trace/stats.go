package trace

import (
	"fmt"
	"strconv"
	"time"
)

// Stats is a sink that computes the generic statistics of a run from its
// events alone: per consumer, per queue, and the time from send to ack.
// Patterns add their own tables beside it.
type Stats struct {
	consumers byName[consumerStats]
	queues    byName[queueStats]
	latency   Histogram
	end       time.Duration
	counts    [numKinds]int64 // events of each kind, for the totals kinds.go names
}

type consumerStats struct {
	delivered, acked, redelivered int64
	busy                          time.Duration
	held, maxHeld                 int
}

type queueStats struct {
	received, depth, maxDepth, deadLettered int64
	sentAt                                  map[string]time.Duration // by message id, until acked
	numSentAt                               Numbered[time.Duration]  // the same for numbered messages
}

// sentByID notes when the message id was first sent to the queue; a
// numbered message's time is kept by number (see Follow).
func (q *queueStats) sentByID(id string, t time.Duration) {
	if q.sentAt == nil {
		q.sentAt = map[string]time.Duration{}
	}
	if _, ok := q.sentAt[id]; !ok {
		q.sentAt[id] = t
	}
}

// settled forgets when m was sent to the queue and returns it, with false
// when it was not sent there (or already forgotten).
func (q *queueStats) settled(m *Msg) (time.Duration, bool) {
	if m.Num == 0 {
		return q.settledByID(m.ID)
	}
	return q.numSentAt.Take(m.Num)
}

func (q *queueStats) settledByID(id string) (time.Duration, bool) {
	t0, ok := q.sentAt[id]
	if ok {
		delete(q.sentAt, id)
	}
	return t0, ok
}

// forget drops the send time of m on queue, if it was sent there.
func (s *Stats) forget(queue string, m *Msg) {
	if q := s.queues.get(queue); q != nil {
		q.settled(m)
	}
}

// NewStats returns an empty Stats.
func NewStats() *Stats {
	return &Stats{}
}

// consumer returns the statistics of the consumer name, made on first
// use. Its look by address is inline.
func (s *Stats) consumer(name string) *consumerStats {
	if c := s.consumers.recent(name); c != nil {
		return c
	}
	return s.consumers.add(name)
}

// queue returns the statistics of the queue name, made on first use.
func (s *Stats) queue(name string) *queueStats {
	if q := s.queues.recent(name); q != nil {
		return q
	}
	return s.queues.add(name)
}

func (q *queueStats) add(n int64) {
	q.depth += n
	q.maxDepth = max(q.maxDepth, q.depth)
}

// finished ends a consumer's work on a delivery, if it is one.
func (s *Stats) finished(name string, took time.Duration) {
	c := s.consumers.recent(name)
	if c == nil {
		c = s.consumers.get(name)
	}
	if c != nil {
		c.finished(took)
	}
}

// finished ends the consumer's work on a delivery.
func (c *consumerStats) finished(took time.Duration) {
	c.busy += took
	c.held = max(c.held-1, 0)
}

// Numeric implements Numeric: numbered messages are followed by number.
func (s *Stats) Numeric() {}

// Event implements Sink: it counts e as Follow does.
func (s *Stats) Event(e *Event) {
	m := e.AsMsg()
	s.Follow(&m)
}

// Follow implements Follower. The kinds every message has are counted
// here, each finding its queue and consumer inline (recent), by the
// address of the name, and calling out only for a name not seen yet; the
// others in other.
func (s *Stats) Follow(e *MsgEvent) {
	s.end = e.T
	switch e.Kind {
	case Send:
		if e.To == "" || !e.HasMsg() {
			return
		}
		s.counts[Send]++
		q := s.queues.recent(e.To)
		if q == nil {
			q = s.queue(e.To)
		}
		q.received++
		q.add(1)
		if n := e.Msg.Num; n == 0 {
			q.sentByID(e.Msg.ID, e.T)
		} else if t := q.numSentAt.Claim(n); t != nil { // inline: most sends are firsts
			*t = e.T
		} else if t, found := q.numSentAt.Find(n); !found { // first sent: a requeue keeps its time
			*t = e.T
		}
	case Deliver:
		s.counts[Deliver]++
		c := s.consumers.recent(e.To)
		if c == nil {
			c = s.consumer(e.To)
		}
		c.delivered++
		if e.Attempt > 1 {
			c.redelivered++
		}
		c.held++
		c.maxHeld = max(c.maxHeld, c.held)
	case Handle:
		s.counts[Handle]++
		if c := s.consumers.recent(e.Actor); c != nil {
			c.finished(e.Took)
		} else {
			s.finished(e.Actor, e.Took)
		}
	case Ack:
		s.counts[Ack]++
		c := s.consumers.recent(e.Actor)
		if c == nil {
			c = s.consumer(e.Actor)
		}
		c.acked++
		q := s.queues.recent(e.To)
		if q == nil {
			q = s.queue(e.To)
		}
		if q.depth > 0 { // a live join sees acks of messages others sent
			q.add(-1)
		}
		var t0 time.Duration
		var sent bool
		if n := e.Msg.Num; n != 0 {
			t0, sent = q.numSentAt.Take(n) // inline
		} else {
			t0, sent = q.settledByID(e.Msg.ID)
		}
		if d := e.T - t0; sent && !s.latency.fold(d) {
			s.latency.record(d)
		}
	default:
		s.other(e)
	}
}

// other is Follow for the kinds a message meets only on its way to
// going wrong, and those about no message.
func (s *Stats) other(e *MsgEvent) {
	if e.Kind >= numKinds {
		return
	}
	s.counts[e.Kind]++
	switch e.Kind {
	case Skip, Nack:
		s.finished(e.Actor, e.Took)
	case DeadLetter:
		src := s.queue(e.Actor)
		src.deadLettered++
		src.add(-1)
		dlq := s.queue(e.To)
		dlq.received++
		dlq.add(1)
		s.forget(e.Actor, e.Msg)
	case Drop:
		s.finished(e.Actor, e.Took)
		if e.Actor == e.To { // a queue dropped what it held
			if q := s.queues.get(e.To); q != nil {
				q.add(-1)
			}
		}
		s.forget(e.To, e.Msg)
	case Crash:
		if c := s.consumers.get(e.Actor); c != nil {
			c.held = 0
		}
	}
}

// Fill adds the totals and the consumer, queue and latency tables to r.
func (s *Stats) Fill(r *Report) {
	// A run with no queue (a replicated log, say) has no use for the queue
	// totals it cannot have: delivered 0 beside acked 12 would only confuse.
	queued := s.counts[Deliver] > 0 || s.counts[DeadLetter] > 0
	for k := range kinds {
		if ki := &kinds[k]; ki.total != "" && (s.counts[k] > 0 || (!ki.ifAny && queued)) {
			r.Totals = append(r.Totals, Count{ki.total, s.counts[k]})
		}
	}
	if len(s.consumers.names) > 0 {
		t := Table{Title: "consumers", Columns: []string{"consumer", "delivered", "acked", "redelivered", "busy", "max held"}}
		for i, name := range s.consumers.names {
			c := s.consumers.vals[i]
			t.Rows = append(t.Rows, []string{name, itoa(c.delivered), itoa(c.acked), itoa(c.redelivered),
				percent(c.busy, s.end), strconv.Itoa(c.maxHeld)})
		}
		r.Tables = append(r.Tables, t)
	}
	if len(s.queues.names) > 0 {
		t := Table{Title: "queues", Columns: []string{"queue", "received", "max depth", "dead-lettered", "left"}}
		for i, name := range s.queues.names {
			q := s.queues.vals[i]
			t.Rows = append(t.Rows, []string{name, itoa(q.received), itoa(q.maxDepth), itoa(q.deadLettered), itoa(q.depth)})
		}
		r.Tables = append(r.Tables, t)
	}
	if s.latency.Count() > 0 {
		h := &s.latency
		r.Tables = append(r.Tables, Table{Title: "latency",
			Columns: []string{"latency", "acked", "p50", "p95", "p99", "max"},
			Rows: [][]string{{"send → ack", itoa(h.Count()), ShortDuration(h.Percentile(50)), ShortDuration(h.Percentile(95)),
				ShortDuration(h.Percentile(99)), ShortDuration(h.Max())}}})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func percent(part, whole time.Duration) string {
	if whole <= 0 {
		return "0%"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(part)/float64(whole))
}
