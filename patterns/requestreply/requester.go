package requestreply

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// requester is one checkout instance: it asks the services, waits for each
// answer with a timer, retries, and tells its caller the answer or the
// failure. What it waits for lives only in its memory.
type requester struct {
	r       *run
	a       *sim.Actor
	replies *broker.Queue // nil in poll mode
	calls   map[string]*call
	ended   map[string]end // calls finished lately, for the notes on late replies
	order   ring           // the order they finished in, to forget the oldest

	timeoutFn, pollFn func(any)
}

// call is one question a requester waits to have answered.
type call struct {
	n      int
	corr   string
	svc    *service
	tries  int
	start  time.Duration // when the first try was sent
	sentAt time.Duration // when the last try was sent
	last   trace.Msg     // the last try
}

func newRequester(r *run, name string) *requester {
	q := &requester{r: r, a: r.w.Actor(name), calls: map[string]*call{}, ended: map[string]end{}}
	q.timeoutFn = func(arg any) { q.onTimeout(arg.(*call)) }
	q.pollFn = func(arg any) { q.poll(arg.(*call)) }
	if r.cfg.Mode == Await {
		q.replies = r.b.Queue(r.cfg.replyQueueName(name), broker.QueueOptions{})
		q.replies.Subscribe(q.a, broker.ConsumerOptions{Prefetch: 1}, q.onReply)
	}
	q.a.Describe(q.describe)
	q.a.OnCrash(q.crashed)
	return q
}

// call asks the n-th question.
func (q *requester) call(n int) {
	c := &call{n: n, corr: RequestID(n), svc: q.r.svcs[serviceOf(n)], start: q.r.w.Now()}
	q.calls[c.corr] = c
	q.r.open++
	q.send(c)
}

// send sends the call's next try: a new message with the same correlation
// id, naming the reply queue.
func (q *requester) send(c *call) {
	r := q.r
	c.tries++
	m := &broker.Message{Msg: trace.Msg{ID: tryID(c.corr, c.tries), Type: c.svc.ask, Class: trace.Command,
		Key: OrderKey(c.n), CorrelationID: c.corr}}
	if q.replies != nil {
		m.ReplyTo = q.replies.Name
	}
	c.svc.sent(c.corr)
	c.svc.q.Send(q.a.Name, m)
	c.sentAt, c.last = r.w.Now(), m.Msg
	if r.cfg.Mode == Poll {
		r.w.Emit(trace.Event{Kind: trace.Note, Actor: q.a.Name, Msg: c.last,
			Note: "POST → 202 Accepted: status at /status/" + c.corr + ", Retry-After " + trace.FormatDuration(RetryAfter),
			Why: "The service takes the request and answers at once with where to ask for its status; the " +
				"work goes on behind a queue, and the client polls instead of holding a connection open."})
		if c.tries == 1 {
			r.w.AfterCall(RetryAfter, q.a, q.pollFn, c)
		}
	}
	if r.cfg.Timeout > 0 {
		r.w.AfterCall(r.cfg.Timeout, q.a, q.timeoutFn, c)
	}
}

// onTimeout retries a try that got no answer in time, or gives the call up
// and tells the caller it failed.
func (q *requester) onTimeout(c *call) {
	r := q.r
	if q.calls[c.corr] != c || r.w.Now() < sim.Add(c.sentAt, r.cfg.Timeout) {
		return // answered, or a timer of an earlier try
	}
	wait := "no answer to " + c.last.ID + " in " + trace.FormatDuration(r.cfg.Timeout)
	if c.tries <= r.cfg.Retries {
		r.w.Emit(trace.Event{Kind: trace.Note, Actor: q.a.Name, Msg: c.last,
			Note: wait + ": retry " + strconv.Itoa(c.tries) + " of " + strconv.Itoa(r.cfg.Retries) +
				" as " + tryID(c.corr, c.tries+1) + ", same correlation id " + c.corr,
			Why: "A missing answer does not say whether " + c.svc.name + " did the work: the request, the " +
				"work or the reply may be what was lost. Asking again is safe only if " + c.svc.name +
				" recognises the repeat by its request id."})
		q.send(c)
		return
	}
	if r.cfg.bug == bugForgetCaller {
		q.finish(c, false) // forgets the call without telling its caller
		return
	}
	tries := strconv.Itoa(c.tries) + " tries"
	if c.tries == 1 {
		tries = "1 try"
	}
	r.w.Emit(trace.Event{Kind: trace.Drop, Actor: q.a.Name, Msg: c.last,
		Note: wait + ": gave up on " + c.corr + " after " + tries + "; the caller gets an error",
		Why: "A requester must not wait for ever: after its retries it tells the caller the call failed, " +
			"so nothing hangs. Any answer that still comes is late and is discarded."})
	q.finish(c, false)
}

// finish forgets a call the caller has its outcome for.
func (q *requester) finish(c *call, answered bool) {
	delete(q.calls, c.corr)
	q.r.open--
	q.ended[c.corr] = end{answered: answered, at: q.r.w.Now()}
	q.order.push(c.corr)
	if q.order.n > remember {
		delete(q.ended, q.order.pop())
	}
	c.svc.forget(c.corr)
}

// onReply matches a reply to the call waiting for it, by correlation id.
func (q *requester) onReply(d *broker.Delivery) {
	r := q.r
	corr := d.Msg.CorrelationID
	c, ok := q.calls[corr]
	if r.cfg.bug == bugMatchOldest {
		c, ok = q.oldest()
	}
	if ok {
		// The event names the call the reply completes: a check compares it
		// with the correlation id the reply was sent with.
		m := d.TraceMsg()
		m.CorrelationID = c.corr
		r.w.Emit(trace.Event{Kind: trace.Handle, Actor: q.a.Name, To: q.replies.Name, Msg: m, Took: d.Took(),
			Note: q.answerNote(c, "matched reply to "+c.corr, d.Msg.Body.(string))})
		q.finish(c, true)
		d.Ack()
		return
	}
	e, mine := q.ended[corr]
	if !mine && r.cfg.ReplyQueue == SharedForward && d.Attempt() < r.cfg.Requesters {
		d.Nack(true, "not mine: "+q.a.Name+" has no call "+corr+", so it goes back for the others")
		return
	}
	if owner := r.waiter(corr); owner != nil && r.cfg.ReplyQueue == Shared {
		r.w.Emit(trace.Event{Kind: trace.Drop, Actor: q.a.Name, To: q.replies.Name, Msg: d.TraceMsg(),
			Note: "stray: the reply to " + corr + " is for " + owner.a.Name + ", which still waits; lost to it",
			Why: "On a shared reply queue the broker hands each reply to whichever instance is free, not to " +
				"the one that asked: " + q.a.Name + " has no call " + corr + ", so the answer never reaches " +
				owner.a.Name + ". Give each instance its own reply queue."})
		d.Ack()
		return
	}
	switch {
	case !mine:
		d.SkipWhy("late reply to "+corr+": no call waits for it; discarded",
			"The requester no longer knows the call — it crashed, or gave it up long ago — so the answer "+
				"has no one to go to.")
	case e.answered:
		d.SkipWhy("duplicate reply to "+corr+": answered "+r.since(e.at)+"; discarded",
			"Every try that reached the service gets an answer; the first one answers the caller and "+
				"the rest are recognised by their correlation id and dropped.")
	default:
		d.SkipWhy("late reply to "+corr+": the caller was told it failed "+r.since(e.at)+"; discarded",
			"The answer came after the requester gave up. The caller already has its error, so the "+
				"requester discards the answer — though the work it reports was done.")
	}
	d.Ack()
}

// answerNote says what the caller gets: the answer, how long it took and
// after how many tries.
func (q *requester) answerNote(c *call, what, body string) string {
	note := what + " in " + trace.ShortDuration(q.r.w.Now()-c.start)
	if c.tries > 1 {
		note += " (" + strconv.Itoa(c.tries) + " tries)"
	}
	return note + ": " + body
}

// poll asks the status location of a call, in poll mode: running, or done
// with the result to fetch.
func (q *requester) poll(c *call) {
	r := q.r
	if q.calls[c.corr] != c {
		return
	}
	status := "GET /status/" + c.corr
	if r.cfg.DropReplyRate > 0 && r.drops.Float64() < r.cfg.DropReplyRate {
		r.w.Emit(trace.Event{Kind: trace.Note, Actor: q.a.Name, Msg: c.last,
			Note: status + ": the answer is lost on the way; polls again"})
		r.w.AfterCall(RetryAfter, q.a, q.pollFn, c)
		return
	}
	body, ok := c.svc.results[c.corr]
	if !ok {
		r.w.Emit(trace.Event{Kind: trace.Note, Actor: q.a.Name, Msg: c.last,
			Note: status + " → 200 Running, Retry-After " + trace.FormatDuration(RetryAfter)})
		r.w.AfterCall(RetryAfter, q.a, q.pollFn, c)
		return
	}
	delete(c.svc.results, c.corr)
	result := trace.Msg{ID: "a" + c.corr[1:], Type: c.svc.answer, Class: trace.Reply, Key: OrderKey(c.n),
		CorrelationID: c.corr}
	r.w.Emit(trace.Event{Kind: trace.Handle, Actor: q.a.Name, Msg: result,
		Note: q.answerNote(c, status+" → 303 See Other, GET /result/"+c.corr+" → 200: matched result to "+c.corr, body)})
	q.finish(c, true)
}

// describe tells what the requester held in memory when it crashed.
func (q *requester) describe() string {
	if len(q.calls) == 0 {
		return ""
	}
	waiting := make([]*call, 0, len(q.calls))
	for _, c := range q.calls {
		waiting = append(waiting, c)
	}
	slices.SortFunc(waiting, func(a, b *call) int { return a.n - b.n })
	ids := make([]string, 0, min(len(waiting), 6))
	for _, c := range waiting[:min(len(waiting), 6)] {
		ids = append(ids, c.corr)
	}
	list := strings.Join(ids, ", ")
	if len(waiting) > 6 {
		list += " and " + strconv.Itoa(len(waiting)-6) + " more"
	}
	return "waited for " + list + " in memory: their callers never hear back"
}

// crashed forgets every call waiting: their callers never hear back.
func (q *requester) crashed() {
	q.r.open -= len(q.calls)
	forgotten := slices.Collect(maps.Values(q.calls))
	clear(q.calls)
	clear(q.ended)
	q.order = ring{}
	for _, c := range forgotten {
		c.svc.forget(c.corr)
	}
}

// oldest returns the call waiting longest; only the planted bug
// bugMatchOldest uses it.
func (q *requester) oldest() (*call, bool) {
	var first *call
	for _, c := range q.calls {
		if first == nil || c.n < first.n {
			first = c
		}
	}
	return first, first != nil
}
