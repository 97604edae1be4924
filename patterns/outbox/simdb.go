package outbox

import (
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/store"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// simDB is a DB on the simulated store: the owner's, or an actor's
// connection to it.
type simDB struct {
	s    *store.Store
	conn *store.Conn // nil for the owner
}

// newSimDB makes the simulated database called name, owned by owner, with
// the orders, stock and inbox tables kept one byte a row and the outbox
// rows indexed in the order they were written.
func newSimDB(w *sim.World, owner *sim.Actor, name string, failRate float64) DB {
	s := store.New(w, owner, name, store.Options{FailRate: failRate})
	switch name {
	case OrdersDB:
		s.Table(ordersPrefix, patterns.OrderNumber, patterns.OrderKey, "created", "updated")
		s.Index(outboxPrefix)
	case InventoryDB:
		s.Table(stockPrefix, patterns.OrderNumber, patterns.OrderKey, "reserved", "adjusted")
		s.Table(inboxPrefix, eventNumber, EventID, "handled")
	}
	return &simDB{s: s}
}

func (d *simDB) Begin(about trace.Msg) Tx {
	if d.conn != nil {
		return simTx{d.conn.Begin(about)}
	}
	return simTx{d.s.Begin(about)}
}

func (d *simDB) Connect(a *sim.Actor) DB { return &simDB{s: d.s, conn: d.s.Connect(a)} }

func (d *simDB) Unpublished(n int, buf []string) []string { return d.s.Oldest(outboxPrefix, n, buf) }

// simTx is a transaction of the simulated store.
type simTx struct{ tx *store.Tx }

func (t simTx) SaveOrder(key, state string) { t.tx.Put(ordersPrefix+key, state) }
func (t simTx) AddOutbox(id, typ string)    { t.tx.Put(outboxPrefix+id, typ) }
func (t simTx) MarkSent(key string)         { t.tx.Delete(key) }
func (t simTx) Reserve(key, r string)       { t.tx.Put(stockPrefix+key, r) }
func (t simTx) RecordInbox(row string)      { t.tx.Put(row, "handled") }
func (t simTx) Explain(why string)          { t.tx.Explain(why) }
func (t simTx) Commit() error               { return t.tx.Commit() }
func (t simTx) Rollback(why string)         { t.tx.Rollback(why) }

func (t simTx) Inbox(id string) (string, bool) {
	row := inboxPrefix + id
	_, ok := t.tx.Get(row)
	return row, ok
}
