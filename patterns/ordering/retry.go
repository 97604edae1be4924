package ordering

import (
	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/trace"
)

// retrier takes the events an ordered stream parked (--retry park) from the
// queue orders.retry and applies them once their backoff has passed —
// after later events of the same order went ahead, so order breaks.
type retrier struct {
	q *broker.Queue
}

func newRetrier(r *run) *retrier {
	q := r.s.Broker.Queue(RetryQueue, broker.QueueOptions{})
	a := r.w.Actor(Retrier)
	finish := r.finishDelivery
	q.Subscribe(a, broker.ConsumerOptions{Prefetch: 1}, func(d *broker.Delivery) {
		wait := r.cfg.RetryBackoff
		if d.Attempt() == 1 {
			wait = max(0, d.Msg.SentAt+wait-r.w.Now())
		}
		r.w.AfterCall(wait+r.workTime(Retrier), a, finish, d)
	})
	return &retrier{q: q}
}

// finishDelivery ends the work on a broker delivery of a record: the
// handler fails (the broker requeues it) or applies it and acks.
func (r *run) finishDelivery(arg any) {
	d := arg.(*broker.Delivery)
	rec := d.Msg.Body.(*record)
	if r.fails(rec) {
		d.Nack(true, r.failNote(rec))
		return
	}
	d.Handle(r.proj.apply(rec))
	d.Ack()
}

// park puts rec on the retry queue on behalf of from.
func (rt *retrier) park(from string, rec *record) {
	rt.q.Send(from, &broker.Message{Msg: rec.Msg, Body: rec})
}

// parkedNote is the end of the note of a failure that parks its event.
func parkedNote(stream string) string {
	return "; parked in " + RetryQueue + ", " + stream + " goes on without it"
}

// blockedNote is the end of the note of a failure that blocks its stream.
func blockedNote(stream string, r *run) string {
	return "; retry in " + trace.FormatDuration(r.cfg.RetryBackoff) + ", " + stream + " waits behind it"
}

// needsRetrier reports whether the scenario parks failing events.
func needsRetrier(cfg Config) bool { return cfg.Retry == Park && len(cfg.Poison) > 0 }
