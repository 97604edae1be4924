package saga

import (
	"strconv"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/store"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// stockKey is the inventory's count of units on hand.
const stockKey = "stock"

// service is payment, inventory or shipping: it takes its step and its
// compensation in local transactions of its own database, and recognises
// a repeat by what that database already holds for the order.
type service struct {
	r    *runner
	id   Step
	st   *stepDef
	a    *sim.Actor
	db   *store.Store
	left map[int]int // order → compensation failures still to inject; nil when none

	// respond tells the saga what the step did: a reply to the orchestrator
	// or an event on the service's topic. repeat is true when the message
	// was a repeat (then choreography stays quiet: the event went out the
	// first time).
	respond func(d *broker.Delivery, o outcome, cause string, repeat bool)

	finishDo, finishUndo func(any)
}

func newService(r *runner, id Step) *service {
	s := &service{r: r, id: id, st: &steps[id], a: r.w.Actor(steps[id].name)}
	s.db = store.New(r.w, s.a, s.st.name+"-db", store.Options{})
	s.db.Table(s.st.key, patterns.OrderNumber, patterns.OrderKey, s.st.doneVal, s.st.failVal, s.st.offVal)
	if _, ok := r.cfg.FailCompensation[s.st.name]; ok {
		s.left = map[int]int{}
	}
	s.finishDo = func(arg any) { s.do(arg.(*broker.Delivery)) }
	s.finishUndo = func(arg any) { s.undo(arg.(*broker.Delivery)) }
	return s
}

// onDo and onUndo are the handlers: the work takes time, then finishes.
func (s *service) onDo(d *broker.Delivery) {
	s.r.w.AfterCall(s.r.workTime(s.st.name), s.a, s.finishDo, d)
}

func (s *service) onUndo(d *broker.Delivery) {
	s.r.w.AfterCall(s.r.workTime(s.st.name), s.a, s.finishUndo, d)
}

// do applies the step for the order, once.
func (s *service) do(d *broker.Delivery) {
	b := d.Msg.Body.(*body)
	key := s.st.key + patterns.OrderKey(b.order)
	if v, ok := s.db.Get(key); ok {
		o := done
		note := "repeat: " + key + " is already " + v
		switch v {
		case s.st.failVal:
			o = failed
		case s.st.offVal:
			o = undone
			note = "refused: " + key + " is " + v + ", the saga already went back"
		}
		d.Skip(note)
		s.respond(d, o, b.cause, true)
		d.Ack()
		return
	}
	tx := s.db.Begin(d.TraceMsg())
	o, note := done, s.doneNote()
	if s.r.rejects(s.id, b.order) {
		o, note = failed, s.st.failNote
	} else if s.id == Inventory {
		stock := s.stock()
		if stock < 1 {
			o, note = failed, "out of stock"
		} else {
			tx.Put(stockKey, strconv.Itoa(stock-1))
			note = "1 unit held for the order (PENDING): " + strconv.Itoa(stock-1) + " left"
		}
	}
	if o == done {
		tx.Put(key, s.st.doneVal)
	} else {
		tx.Put(key, s.st.failVal)
	}
	commit(tx)
	d.Handle(note)
	s.respond(d, o, note, false)
	d.Ack()
}

func (s *service) doneNote() string {
	switch s.id {
	case Payment:
		return "payment authorized"
	case Shipping:
		return "shipment created"
	}
	return ""
}

// stock returns the committed units on hand.
func (s *service) stock() int {
	v, ok := s.db.Get(stockKey)
	if !ok {
		return s.r.cfg.stock()
	}
	n, _ := strconv.Atoi(v)
	return n
}

// undo compensates the step for the order, once. An injected failure rolls
// the local transaction back and gives the message back to be retried.
func (s *service) undo(d *broker.Delivery) {
	b := d.Msg.Body.(*body)
	n := b.order
	key := s.st.key + patterns.OrderKey(n)
	if s.left != nil {
		left, seen := s.left[n]
		if !seen {
			left = s.r.cfg.FailCompensation[s.st.name]
		}
		if left > 0 {
			s.left[n] = left - 1
			tx := s.db.Begin(d.TraceMsg())
			tx.Rollback(s.st.undo + " failed: the " + s.st.name + " backend is unavailable")
			d.Nack(true, s.st.undo+" failed; retry, never skip")
			return
		}
		s.left[n] = 0
	}
	v, ok := s.db.Get(key)
	switch {
	case ok && v == s.st.offVal:
		d.Skip("repeat: " + key + " is already " + v)
		s.respond(d, undone, b.cause, true)
	case ok && v == s.st.doneVal:
		tx := s.db.Begin(d.TraceMsg())
		if s.id == Inventory {
			tx.Put(stockKey, strconv.Itoa(s.stock()+1))
		}
		tx.Put(key, s.st.offVal)
		commit(tx)
		d.Handle(s.st.undoNote)
		s.r.w.Emit(trace.Event{Kind: trace.Compensate, Actor: s.st.name, To: s.db.Name, Msg: d.TraceMsg(),
			Note: s.st.undo + ": " + key + " " + v + " → " + s.st.offVal, Why: s.whyUndo(b.cause)})
		s.respond(d, undone, b.cause, false)
	case ok:
		d.Handle("nothing to undo: " + key + " is " + v)
		s.respond(d, undone, b.cause, false)
	default:
		tx := s.db.Begin(d.TraceMsg())
		tx.Put(key, s.st.offVal)
		commit(tx)
		d.Handle("nothing done yet; " + s.st.offVal + " recorded so a late " + s.st.do + " is refused")
		s.respond(d, undone, b.cause, false)
	}
	d.Ack()
}

func (s *service) whyUndo(cause string) string {
	if cause == "" {
		cause = "a later step failed"
	}
	return "There is no rollback across services: " + cause + ", so " + s.st.name +
		" applies a compensating transaction that semantically undoes its own committed step."
}
