package ordering

import (
	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/patterns"
)

// queueMode carries the events on one FIFO queue to competing consumers:
// the queue hands them out in order, but the consumers finish them in
// whatever order their work takes, and a redelivery comes back late.
type queueMode struct {
	r *run
	q *broker.Queue
}

func newQueueMode(r *run) *queueMode {
	m := &queueMode{r: r, q: r.s.Broker.Queue(QueueName, broker.QueueOptions{VisibilityTimeout: r.cfg.VisibilityTimeout})}
	finish := r.finishDelivery
	subscribe := func(a *sim.Actor) {
		m.q.Subscribe(a, broker.ConsumerOptions{Prefetch: r.cfg.Prefetch, Ack: broker.ManualAck}, func(d *broker.Delivery) {
			r.w.AfterCall(r.workTime(a.Name), a, finish, d)
		})
	}
	for _, name := range r.consumers() {
		subscribe(r.w.Actor(name))
	}
	for _, j := range r.cfg.Joins {
		a := r.w.Actor(j.Consumer)
		r.w.At(j.At, nil, func() { subscribe(a) })
	}
	return m
}

func (m *queueMode) send(rec *record) {
	m.q.Send(Producer, &broker.Message{Msg: rec.Msg, Body: rec})
}

func (m *queueMode) idle() bool { return m.r.s.Broker.Idle() }

func (m *queueMode) ending() patterns.Ending { return patterns.Ending{} }
