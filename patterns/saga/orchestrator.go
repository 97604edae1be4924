package saga

import (
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/store"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// maxUnansweredSends caps how often the orchestrator sends one command it
// must not give up on (a compensation, or the pivot past its retries) when
// it gets no reply, so a service that never returns cannot keep a run
// going for ever; the order is then left for a person.
const maxUnansweredSends = 20

// The values of the orchestrator's database.
const (
	orderPrefix = "order/"
	sagaPrefix  = "saga/" // the pending command of a saga still running
	pending     = "PENDING"
	approved    = "APPROVED"
	rejected    = "REJECTED"
)

// orchestrator runs the sagas: it sends each step's command to the
// service's queue, handles the replies on its own queue, and keeps each
// saga's pending command in its own database, so that after a crash it
// resumes every saga where it was. Naive, it keeps its progress only in
// memory and never compensates.
type orchestrator struct {
	r     *runner
	a     *sim.Actor
	db    *store.Store
	cmds  [numSteps]*broker.Queue
	reply *broker.Queue
	sagas map[int]*sagaState // by order number: the sagas running in memory

	placeFn, replyFn, timeoutFn func(any)
}

// sagaState is one saga as the orchestrator holds it in memory.
type sagaState struct {
	n       int
	step    Step
	back    bool // compensating
	sends   int  // sends of the current command
	sentAt  time.Duration
	last    trace.Msg // the last command sent
	cause   string    // why the saga goes back
	waiting bool
}

func newOrchestrator(r *runner, checkout *broker.Queue) *orchestrator {
	o := &orchestrator{r: r, a: r.lead, sagas: map[int]*sagaState{}}
	o.db = store.New(r.w, o.a, Orchestrator+"-db", store.Options{})
	o.db.Table(orderPrefix, patterns.OrderNumber, patterns.OrderKey, pending, approved, rejected)
	o.reply = r.b.Queue(RepliesQueue, r.opts)
	for i := range o.cmds {
		s := r.services[i]
		o.cmds[i] = r.b.Queue(steps[i].queue, r.opts)
		s.respond = o.replyFrom(s)
		o.cmds[i].Subscribe(s.a, broker.ConsumerOptions{Prefetch: 1}, func(d *broker.Delivery) {
			if _, undo, _ := commandStep(d.Msg.Type); undo {
				s.onUndo(d)
			} else {
				s.onDo(d)
			}
		})
	}
	o.placeFn = func(arg any) { o.place(arg.(*broker.Delivery)) }
	o.replyFn = func(arg any) { o.onReply(arg.(*broker.Delivery)) }
	o.timeoutFn = func(arg any) { o.onTimeout(arg.(*sagaState)) }
	checkout.Subscribe(o.a, broker.ConsumerOptions{Prefetch: 1}, func(d *broker.Delivery) {
		r.w.AfterCall(0, o.a, o.placeFn, d)
	})
	o.reply.Subscribe(o.a, broker.ConsumerOptions{Prefetch: 1}, func(d *broker.Delivery) {
		r.w.AfterCall(0, o.a, o.replyFn, d)
	})
	o.a.Describe(o.describe)
	o.a.OnCrash(o.crashed)
	o.a.OnRestart(o.restarted)
	return o
}

// replyFrom returns how service s answers the orchestrator: a reply to the
// queue the command names, carrying the command's id as correlation id.
func (o *orchestrator) replyFrom(s *service) func(d *broker.Delivery, oc outcome, cause string, repeat bool) {
	return func(d *broker.Delivery, oc outcome, cause string, repeat bool) {
		b := d.Msg.Body.(*body)
		typ := s.st.ok
		switch oc {
		case failed:
			typ = s.st.failed
		case undone:
			typ = s.st.undone
		}
		o.r.b.Reply(s.st.name, d.Msg, o.r.msg(typ, trace.Reply, b.order,
			&body{order: b.order, step: s.id, outcome: oc, cause: cause}))
	}
}

// place starts the saga of a new order: PENDING, then the first command.
func (o *orchestrator) place(d *broker.Delivery) {
	n := d.Msg.Body.(*body).order
	key := patterns.OrderKey(n)
	if v, ok := o.db.Get(orderPrefix + key); ok {
		d.Skip("repeat: " + key + " is already " + v)
		d.Ack()
		return
	}
	s := &sagaState{n: n}
	tx := o.db.Begin(d.TraceMsg())
	tx.Put(orderPrefix+key, pending)
	if !o.r.cfg.Naive {
		tx.Put(sagaPrefix+key, steps[Payment].do)
	}
	commit(tx)
	d.Handle(key + " is PENDING; the saga starts")
	o.sagas[n] = s
	o.r.waiting++
	o.send(s)
	d.Ack()
}

// send sends the saga's current command and starts its timer.
func (o *orchestrator) send(s *sagaState) {
	st := &steps[s.step]
	typ := st.do
	if s.back {
		typ = st.undo
	}
	m := o.r.msg(typ, trace.Command, s.n, &body{order: s.n, step: s.step, cause: s.cause})
	m.ReplyTo = o.reply.Name
	o.cmds[s.step].Send(Orchestrator, m)
	s.sends++
	s.sentAt = o.r.w.Now()
	s.last = m.Msg
	s.waiting = true
	if t := o.wait(s); t > 0 {
		o.r.w.AfterCall(t, o.a, o.timeoutFn, s)
	}
}

// wait returns how long to wait for the reply to the command just sent:
// --timeout for a step; for a command retried until it is answered (a
// compensation, the pivot past its retries), twice as long at each further
// send (up to 32 times) so the retries do not pile up on a slow service.
func (o *orchestrator) wait(s *sagaState) time.Duration {
	t := o.r.cfg.Timeout
	switch {
	case s.back:
		t <<= min(s.sends-1, 5)
	case s.step == Pivot && s.sends > o.r.cfg.Retries+1:
		t <<= min(s.sends-1-o.r.cfg.Retries, 5)
	}
	return t
}

// unyielding reports whether the saga's current command is sent until it
// is answered: a compensation must not be skipped, and the pivot must not
// be compensated.
func (s *sagaState) unyielding() bool { return s.back || s.step == Pivot }

// onReply moves the saga the reply belongs to, matched by order and step.
func (o *orchestrator) onReply(d *broker.Delivery) {
	b := d.Msg.Body.(*body)
	corr := d.Msg.CorrelationID
	key := patterns.OrderKey(b.order)
	s := o.sagas[b.order]
	back := b.outcome == undone
	switch {
	case s == nil && o.r.cfg.Naive:
		if v, _ := o.db.Get(orderPrefix + key); v == pending {
			d.Skip("reply to " + corr + " for a call it forgot: " + key + " stays PENDING")
			o.r.w.Emit(trace.Event{Kind: trace.Note, Actor: Orchestrator, Msg: d.TraceMsg(),
				Note: key + " is stuck PENDING: payment and stock may be held for ever",
				Why: "Without a saga the orchestrator kept its progress only in memory; the crash forgot " +
					"which calls it had made, so nothing finishes or undoes them."})
		} else {
			d.Skip("late reply to " + corr + ": " + key + " is already " + v)
		}
		d.Ack()
		return
	case s == nil:
		v, _ := o.db.Get(orderPrefix + key)
		d.Skip("late reply to " + corr + ": " + key + " is already " + v)
		d.Ack()
		return
	case !s.waiting || b.step != s.step || back != s.back:
		d.Skip("stale reply to " + corr + ": the saga has moved on")
		d.Ack()
		return
	}
	s.waiting = false
	switch {
	case b.outcome == done && s.step == Shipping:
		o.finish(s, d.TraceMsg(), approved)
		d.Handle("shipment created: " + key + " APPROVED")
	case b.outcome == done:
		s.step++
		s.sends = 0
		o.persist(s, d.TraceMsg())
		d.Handle(steps[s.step-1].name + " done; next " + steps[s.step].do)
		o.send(s)
	case b.outcome == failed:
		cause := steps[b.step].name + " rejected " + key + " (" + b.cause + ")"
		d.Handle(steps[b.step].name + " rejected " + key + "; " + o.backNote(s.step-1))
		o.goBack(s, s.step-1, cause, d.TraceMsg())
	default: // undone
		if s.step == Payment {
			o.finish(s, d.TraceMsg(), rejected)
			d.Handle("every step undone: " + key + " REJECTED")
			break
		}
		s.step--
		s.sends = 0
		o.persist(s, d.TraceMsg())
		d.Handle(steps[s.step+1].name + " undone; next " + steps[s.step].undo)
		o.send(s)
	}
	d.Ack()
}

// backNote says what goBack will do.
func (o *orchestrator) backNote(from Step) string {
	switch {
	case o.r.cfg.Naive:
		return "REJECTED, nothing undone"
	case from < 0:
		return "nothing to undo: REJECTED"
	}
	return "compensate from " + steps[from].name
}

// goBack starts the compensations from step from down to payment, or
// rejects the order when there is nothing to undo.
func (o *orchestrator) goBack(s *sagaState, from Step, cause string, about trace.Msg) {
	key := patterns.OrderKey(s.n)
	if o.r.cfg.Naive {
		o.finish(s, about, rejected)
		if from >= 0 {
			held := ""
			for i := Step(0); i <= from; i++ {
				if held != "" {
					held += " and "
				}
				held += steps[i].name
			}
			o.r.w.Emit(trace.Event{Kind: trace.Note, Actor: Orchestrator, Msg: about,
				Note: key + " REJECTED, but nothing undoes " + held,
				Why: "Without a saga there are no compensations: " + cause + ", yet what the earlier " +
					"steps committed in their own databases stays — a customer charged, stock held for ever."})
		}
		return
	}
	if from < 0 {
		o.finish(s, about, rejected)
		return
	}
	s.back, s.step, s.sends, s.cause = true, from, 0, cause
	o.persist(s, about)
	o.send(s)
}

// persist records the saga's pending command in the orchestrator's
// database.
func (o *orchestrator) persist(s *sagaState, about trace.Msg) {
	if o.r.cfg.Naive {
		return
	}
	st := &steps[s.step]
	typ := st.do
	if s.back {
		typ = st.undo
	}
	tx := o.db.Begin(about)
	tx.Put(sagaPrefix+patterns.OrderKey(s.n), typ)
	commit(tx)
}

// finish records the order's final state and forgets the saga.
func (o *orchestrator) finish(s *sagaState, about trace.Msg, state string) {
	key := patterns.OrderKey(s.n)
	tx := o.db.Begin(about)
	tx.Put(orderPrefix+key, state)
	if !o.r.cfg.Naive {
		tx.Delete(sagaPrefix + key)
	}
	commit(tx)
	s.waiting = false
	delete(o.sagas, s.n)
	o.r.waiting--
	o.r.finished++
}

// onTimeout retries a command whose reply did not come in time, then
// compensates; a compensation is retried, never skipped.
func (o *orchestrator) onTimeout(s *sagaState) {
	t := o.wait(s)
	if !s.waiting || o.sagas[s.n] != s || o.r.w.Now() < s.sentAt+t {
		return
	}
	key := patterns.OrderKey(s.n)
	st := &steps[s.step]
	wait := "no reply to " + s.last.ID + " in " + trace.FormatDuration(t)
	switch {
	case s.unyielding() && s.sends >= maxUnansweredSends:
		// Stop sending, but keep waiting: a late answer still finishes
		// the saga. If none ever comes the run ends with it PENDING.
		what := "A compensation must not be skipped"
		if !s.back {
			what = "The pivot must not be compensated"
		}
		o.note(s, wait+"; "+key+" left for a person after "+strconv.Itoa(s.sends)+" sends",
			what+", and this command got no answer after many tries: the "+
				"orchestrator stops sending it and waits, for a late answer or for someone to look.")
	case !s.back && s.step == Pivot && s.sends > o.r.cfg.Retries:
		o.note(s, wait+": retry "+strconv.Itoa(s.sends)+"; "+st.name+" is the pivot, asked until it answers",
			"Once a shipment may exist the saga can only go forward: the orchestrator never cancels its "+
				"pivot, it asks again until "+st.name+" answers, which is safe because "+st.name+
				" recognises a repeat for "+key+" and answers without redoing it.")
		o.send(s)
	case s.back || s.sends <= o.r.cfg.Retries:
		retry := "retry " + strconv.Itoa(s.sends)
		if !s.back {
			retry += " of " + strconv.Itoa(o.r.cfg.Retries)
		}
		o.note(s, wait+": "+retry+", same correlation id "+key+"/"+st.name,
			"A missing reply does not say whether the step happened; sending the command again is "+
				"safe because "+st.name+" recognises a repeat for "+key+" and answers without redoing it.")
		o.send(s)
	default:
		cause := st.name + " did not answer in time"
		o.note(s, wait+" after "+strconv.Itoa(o.r.cfg.Retries)+" retries: compensate, "+st.name+" included",
			"After its retries the orchestrator gives up on "+st.name+"; it cannot tell whether the step "+
				"happened, so it compensates it too, and "+st.name+" records the cancel so a late "+
				st.do+" is refused.")
		o.goBack(s, s.step, cause, s.last)
	}
}

func (o *orchestrator) note(s *sagaState, note, why string) {
	o.r.w.Emit(trace.Event{Kind: trace.Note, Actor: Orchestrator, Msg: s.last, Note: note, Why: why})
}

// describe tells what the orchestrator held in memory when it crashed.
func (o *orchestrator) describe() string {
	n := o.r.waiting
	if n == 0 {
		return ""
	}
	if o.r.cfg.Naive {
		return strconv.Itoa(n) + " calls in progress, known only in memory"
	}
	if n == 1 {
		return "1 saga in memory; its state is in " + o.db.Name
	}
	return strconv.Itoa(n) + " sagas in memory; their state is in " + o.db.Name
}

// crashed forgets every saga held in memory.
func (o *orchestrator) crashed() {
	clear(o.sagas)
	o.r.waiting = 0
}

// restarted reads the sagas still running from the database and sends each
// one's pending command again; naive, it has nothing to read.
func (o *orchestrator) restarted() {
	if o.r.cfg.Naive {
		return
	}
	for _, k := range o.db.Keys(sagaPrefix) {
		key := k[len(sagaPrefix):]
		v, _ := o.db.Get(k)
		step, back, ok := commandStep(v)
		n := orderNum(key)
		if !ok || n <= 0 || n > o.r.cfg.Orders {
			continue
		}
		s := &sagaState{n: n, step: step, back: back}
		o.sagas[n] = s
		o.r.waiting++
		o.note(s, "resume "+key+" from "+o.db.Name+": send "+v+" again",
			"The saga's state survived the crash in the orchestrator's own database, so it resumes at "+
				"the pending step rather than from the start; if the step already ran, "+steps[step].name+
				" recognises the repeat.")
		o.send(s)
	}
}
