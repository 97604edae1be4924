package requestreply

import (
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// service is pricing or stock: a queue of requests, its instances, and
// what its database keeps — the answers it gave, by request id, when it is
// idempotent, and in poll mode the results waiting to be fetched. A stored
// answer is kept as long as a repeat can still come: while its call waits
// or a request of it is unacked (a real service keeps it for a retention
// period longer than that), so memory follows what is in flight.
type service struct {
	r           *run
	name        string
	ask, answer string // the request and reply types
	q           *broker.Queue
	stored      map[string]string // --idempotent: request id → the answer given
	results     map[string]string // poll mode: request id → the result to fetch
	pending     map[string]int32  // request id → its requests sent and not yet acked
	done        int               // effects applied, for the notes

	effectFn, replyFn func(any)
}

// job is one request a responder works on.
type job struct {
	rs      *responder
	d       *broker.Delivery
	rest    time.Duration // work left after the effect
	answer  string
	applied bool // the effect landed; the reply is not sent yet
}

// responder is one instance of a service.
type responder struct {
	svc    *service
	a      *sim.Actor
	factor float64
	cur    *job // the request in hand
}

var services = [2]struct{ name, ask, answer string }{
	{Pricing, "QuotePrice", "PriceQuoted"},
	{Stock, "ReserveStock", "StockReserved"},
}

func newService(r *run, i int) *service {
	s := &service{r: r, name: services[i].name, ask: services[i].ask, answer: services[i].answer,
		stored: map[string]string{}, results: map[string]string{}, pending: map[string]int32{}}
	s.q = r.b.Queue(s.name+".requests", broker.QueueOptions{})
	s.effectFn = func(arg any) { s.effect(arg.(*job)) }
	s.replyFn = func(arg any) { s.reply(arg.(*job)) }
	for k := 1; k <= r.cfg.Responders; k++ {
		rs := &responder{svc: s, a: r.w.Actor(r.cfg.ResponderName(s.name, k)), factor: 1}
		if f, ok := r.cfg.Slow[rs.a.Name]; ok {
			rs.factor = f
		}
		s.q.Subscribe(rs.a, broker.ConsumerOptions{Prefetch: 1}, rs.onRequest)
		rs.a.Describe(rs.describe)
		rs.a.OnCrash(func() { rs.cur = nil })
	}
	return s
}

// onRequest starts work on a request: the effect lands halfway through the
// work, the reply at its end.
func (rs *responder) onRequest(d *broker.Delivery) {
	r := rs.svc.r
	w := sim.Scale(r.cfg.Work.Sample(r.work), rs.factor)
	half := (w / 2).Truncate(time.Microsecond)
	j := &job{rs: rs, d: d, rest: w - half}
	rs.cur = j
	r.w.AfterCall(half, rs.a, rs.svc.effectFn, j)
}

// effect applies the request's business effect — or, idempotent, replays
// the answer already given for its request id and replies at once.
func (s *service) effect(j *job) {
	d, corr := j.d, j.d.Msg.CorrelationID
	if s.r.cfg.Idempotent {
		if ans, ok := s.stored[corr]; ok {
			j.answer, j.rest = ans, 0
			d.SkipWhy("repeat of "+corr+": replays the stored answer, does not "+s.verb()+" again",
				"The service keeps each answer under its request id in its own database, in the same "+
					"transaction as the work: a retry or a redelivery finds it and gets the same answer.")
			s.r.w.AfterCall(0, j.rs.a, s.replyFn, j)
			return
		}
	}
	s.done++
	j.applied = true
	key := d.Msg.Key
	if s.name == Pricing {
		j.answer = key + " costs " + price(key)
		d.Handle("quoted " + key + " at " + price(key))
	} else {
		j.answer = "1 unit held for " + key
		d.Handle("reserved 1 unit for " + key + ": reservation #" + strconv.Itoa(s.done))
	}
	if s.r.cfg.Idempotent && s.r.cfg.bug != bugForgetAnswer {
		s.stored[corr] = j.answer
	}
	s.r.w.AfterCall(j.rest, j.rs.a, s.replyFn, j)
}

func (s *service) verb() string {
	if s.name == Pricing {
		return "quote"
	}
	return "reserve"
}

// price is the price of an order, made up from its key.
func price(key string) string {
	h := 0
	for _, c := range key {
		h = h*31 + int(c)
	}
	return strconv.Itoa(20+h%80) + ".00"
}

// reply answers the request: on the queue it names (unless the reply is
// lost on the way), or in poll mode by storing the result behind the
// status location. Then the request is acked.
func (s *service) reply(j *job) {
	r, d, from := s.r, j.d, j.rs.a.Name
	j.rs.cur = nil
	defer s.acked(d.Msg.CorrelationID)
	if r.cfg.Mode == Poll {
		if r.waiter(d.Msg.CorrelationID) != nil {
			s.results[d.Msg.CorrelationID] = j.answer
		}
		r.w.Emit(trace.Event{Kind: trace.Note, Actor: from, Msg: d.TraceMsg(),
			Note: "result stored: /status/" + d.Msg.CorrelationID + " now says done"})
		d.Ack()
		return
	}
	id := "a" + d.Msg.ID[1:]
	if d.Attempt() > 1 {
		id += "#" + strconv.Itoa(d.Attempt())
	}
	m := &broker.Message{Msg: trace.Msg{ID: id, Type: s.answer, Class: trace.Reply, Key: d.Msg.Key}, Body: j.answer}
	if r.cfg.DropReplyRate > 0 && r.drops.Float64() < r.cfg.DropReplyRate {
		m.CorrelationID = d.Msg.CorrelationID
		r.w.Emit(trace.Event{Kind: trace.Drop, Actor: from, Msg: m.Msg,
			Note: "lost on the way: the reply to " + m.CorrelationID + " never reaches " + d.Msg.ReplyTo,
			Why: "A reply can be lost like any message. The requester cannot tell it from a service that " +
				"never answered: only its timeout notices."})
	} else {
		r.b.Reply(from, d.Msg, m)
	}
	d.Ack()
}

// describe tells, for the note of a crash, whether the work of the request
// in hand was done and its reply not yet sent.
func (rs *responder) describe() string {
	if j := rs.cur; j != nil && j.applied {
		return "the work for " + j.d.Msg.CorrelationID + " is done, its reply never sent"
	}
	return ""
}

// sent counts a request of the call corr on its way to the service.
func (s *service) sent(corr string) { s.pending[corr]++ }

// acked counts a request of the call corr acked, and forgets the call's
// stored answer once no repeat of it can come.
func (s *service) acked(corr string) {
	if s.pending[corr]--; s.pending[corr] <= 0 {
		delete(s.pending, corr)
		s.forget(corr)
	}
}

// forget drops what the service keeps of the call corr when no request of
// it is unacked and no requester waits for it: nothing can repeat it.
func (s *service) forget(corr string) {
	if s.pending[corr] == 0 && s.r.waiter(corr) == nil {
		delete(s.stored, corr)
		delete(s.results, corr)
	}
}
