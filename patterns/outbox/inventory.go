package outbox

import (
	"math/rand/v2"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
)

// inventory is the consumer: it reserves stock for each OrderCreated,
// adjusts the reservation for each OrderUpdated and, with --inbox, records
// the event's id in the same transaction.
type inventory struct {
	r        *run
	a        *sim.Actor
	db       DB
	work     *rand.Rand
	cur      broker.Work // the delivery in hand: it takes one at a time (prefetch 1)
	finishFn func()
}

func newInventory(r *run) *inventory {
	w := r.w
	inv := &inventory{r: r, a: w.Actor(Inventory), work: w.Rand("work:" + Inventory)}
	inv.db = r.openDB(inv.a, InventoryDB, 0)
	inv.finishFn = inv.finish
	r.topic = r.port.Topic(Topic)
	sub := r.topic.Subscribe(Subscription, broker.SubscriptionOptions{Durable: true})
	sub.Consume(inv.a, broker.ConsumerOptions{Prefetch: 1, Ack: broker.ManualAck}, func(d broker.Work) {
		inv.cur = d
		w.After(r.cfg.Work.Sample(inv.work), inv.a, inv.finishFn)
	})
	return inv
}

// finish handles a delivery in one local transaction.
func (inv *inventory) finish() {
	d := inv.cur
	m := d.Message()
	r := inv.r
	cfg := &r.cfg
	id := m.ID
	tx := inv.db.Begin(m.Msg)
	var inbox string
	if cfg.Inbox {
		var handled bool
		if inbox, handled = tx.Inbox(id); handled {
			tx.Explain(whyAbsorbed)
			tx.Rollback(id + " is in the inbox: already handled")
			d.SkipWhy("duplicate absorbed by the inbox", "")
			d.Ack()
			return
		}
	}
	reservation := "reserved"
	if m.Type == EventTypes[1] {
		reservation = "adjusted"
	}
	tx.Reserve(m.Key, reservation)
	if cfg.Inbox && !cfg.BugSkipInboxRecord {
		tx.RecordInbox(inbox)
	}
	n, ours := r.event(id)
	again := ours && r.told.Get(n).handled > 0
	if again {
		tx.Explain(whyApplied)
	}
	if tx.Commit() != nil {
		d.Nack(true, "commit failed")
		return
	}
	if ours {
		r.told.Update(n, func(t *narration) { t.handled++ })
	}
	switch {
	case again:
		d.Handle("stock " + reservation + " again: a duplicate effect")
	case ours && n%2 == 0 && r.told.Get(n-1).handled == 0:
		d.Handle("reservation adjusted before it was made: its OrderCreated has not arrived")
	case ours && n%2 == 1 && n+1 <= r.events && r.told.Get(n+1).handled > 0:
		d.Handle("stock reserved after its update: the adjustment is overwritten")
	default:
		d.Handle("stock " + reservation)
	}
	d.Ack()
}
