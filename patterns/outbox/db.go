package outbox

import (
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// DB is what the outbox's actors need from a database, whichever runs
// underneath: the simulated store (internal/store) or, with --live, SQLite
// (internal/live). The order service's database holds the orders and
// outbox tables; the inventory's the stock and inbox tables. Rows are
// named by key, "orders/order-1001", "outbox/e1", "stock/order-1001" and
// "inbox/e1", as the trace's writes show them.
//
// Both tell each step as the same trace events: Begin emits a begin, and
// the transaction's end a commit, listing its writes, or a rollback. A
// crash of the actor whose transaction is open rolls it back (a rollback
// event), as a process dying with an open connection does.
type DB interface {
	// Begin starts a transaction of the database's owner about the
	// message, whose events carry it.
	Begin(about trace.Msg) Tx
	// Connect returns the database as actor a uses it: its transactions
	// are a's, and a's crash rolls them back.
	Connect(a *sim.Actor) DB
	// Unpublished appends to buf the keys of up to n outbox rows, oldest
	// (first committed) first, and returns it.
	Unpublished(n int, buf []string) []string
}

// Tx is one transaction of a DB. Its writes are seen by no one else until
// Commit, which writes all of them or none.
type Tx interface {
	// SaveOrder writes the order's row: its state, "created" or "updated".
	SaveOrder(key, state string)
	// AddOutbox writes an outbox row for the event id of type typ.
	AddOutbox(id, typ string)
	// MarkSent deletes the outbox row at key, as Unpublished names it.
	MarkSent(key string)
	// Reserve writes the stock reservation of the order key.
	Reserve(key, reservation string)
	// Inbox returns the key of the event id's inbox row and whether the
	// inbox holds it: the event was handled before.
	Inbox(id string) (row string, handled bool)
	// RecordInbox writes the inbox row at key, as Inbox named it.
	RecordInbox(row string)
	// Explain sets the teaching sentence the commit or rollback event
	// will carry.
	Explain(why string)
	// Commit applies every write at once. It fails (a rollback event)
	// when the database does, and when the transaction is over or its
	// actor crashed.
	Commit() error
	// Rollback abandons the transaction, saying why.
	Rollback(why string)
}

// Databases opens the databases of a run on something other than the
// simulated store: a patterns.Live that implements it (internal/live's,
// with SQLite) gives the run real ones.
type Databases interface {
	// OpenDB returns the database called name (OrdersDB or InventoryDB),
	// owned by owner, in world w; failRate is --db-fail-rate. One that
	// cannot be opened fails every commit, and the Live says why.
	OpenDB(w *sim.World, owner *sim.Actor, name string, failRate float64) DB
}

// The row keys' prefixes.
const (
	ordersPrefix = "orders/"
	outboxPrefix = "outbox/"
	stockPrefix  = "stock/"
	inboxPrefix  = "inbox/"
)
