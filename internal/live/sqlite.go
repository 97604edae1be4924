//go:build live

package live

import (
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite": SQLite in pure Go

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns/outbox"
)

// schemas are the tables of each database of the outbox, by its name.
var schemas = map[string][]string{
	outbox.OrdersDB: {
		"CREATE TABLE orders (key TEXT PRIMARY KEY, state TEXT NOT NULL)",
		// seq keeps the rows in the order they were committed: the relay
		// publishes the oldest first.
		"CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL)",
	},
	outbox.InventoryDB: {
		"CREATE TABLE stock (key TEXT PRIMARY KEY, reservation TEXT NOT NULL)",
		"CREATE TABLE inbox (id TEXT PRIMARY KEY)",
	},
}

// sqliteFiles is the directory of a run's SQLite files, made on first use
// and removed by Close.
func (b *Broker) sqliteFiles() (string, error) {
	if b.dbDir == "" {
		dir, err := os.MkdirTemp("", "msgplay-sqlite-")
		if err != nil {
			return "", err
		}
		b.dbDir = dir
	}
	return b.dbDir, nil
}

// closeDBs closes the run's databases and removes their files.
func (b *Broker) closeDBs() {
	for _, db := range b.dbs {
		if db.sql != nil {
			db.sql.Close()
		}
	}
	if b.dbDir != "" {
		os.RemoveAll(b.dbDir)
	}
}

// OpenDB implements outbox.Databases: the database called name is a fresh
// SQLite file, NAME.sqlite, in the run's temporary directory, in WAL mode.
// Its transactions run as the simulated store's do and tell the same
// events: begin; then a commit that lists the rows SQLite reports written,
// or a rollback. A failed open is the run's error (Err), and every commit
// of the database then fails.
func (b *Broker) OpenDB(w *sim.World, owner *sim.Actor, name string, failRate float64) outbox.DB {
	db := &sqliteDB{b: b, w: w, name: name, failRate: failRate}
	if failRate > 0 {
		db.fail = w.Rand("faults:db:" + name)
	}
	b.dbs = append(b.dbs, db)
	if err := db.open(); err != nil {
		db.err = fmt.Errorf("opening SQLite database %s: %v", name, err)
		b.fail("%v", db.err)
	} else if len(b.dbs) == 1 {
		w.After(0, nil, func() {
			w.Emit(trace.Event{Kind: trace.Note, Actor: "msgplay",
				Note: "the databases are SQLite files in " + b.dbDir + ", removed at exit"})
		})
	}
	return db.as(owner, db.fail)
}

// open makes the database's file and tables.
func (db *sqliteDB) open() error {
	dir, err := db.b.sqliteFiles()
	if err != nil {
		return err
	}
	path := filepath.Join(dir, db.name+".sqlite")
	// One writer at a time, as SQLite allows; a transaction waits up to
	// 5s for another's lock (it never has to: see sqliteTx).
	s, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"+
		"&_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	db.sql = s
	c, cancel := ctx()
	defer cancel()
	for _, stmt := range schemas[db.name] {
		if _, err := s.ExecContext(c, stmt); err != nil {
			return err
		}
	}
	return nil
}

// sqliteDB is one database of an outbox run in SQLite.
type sqliteDB struct {
	b        *Broker
	w        *sim.World
	name     string
	sql      *sql.DB
	err      error // it could not be opened
	failRate float64
	fail     *rand.Rand // --db-fail-rate's draws for the owner, as the simulated store's
	next     int        // the last transaction's number, for "tx N"
}

// as returns the database as actor a uses it. a's crash rolls back its
// open transactions.
func (db *sqliteDB) as(a *sim.Actor, fail *rand.Rand) *sqliteConn {
	c := &sqliteConn{db: db, a: a, fail: fail}
	a.OnCrash(c.crashed)
	return c
}

// sqliteConn is one actor's use of a SQLite database: outbox.DB.
type sqliteConn struct {
	db   *sqliteDB
	a    *sim.Actor
	fail *rand.Rand
	open []*sqliteTx
}

// Begin implements outbox.DB.
func (c *sqliteConn) Begin(about trace.Msg) outbox.Tx {
	c.db.next++
	tx := &sqliteTx{c: c, id: c.db.next, about: about}
	c.open = append(c.open, tx)
	tx.emit(trace.Begin, "", nil)
	return tx
}

// Connect implements outbox.DB: a's connection draws its injected commit
// failures from a fault stream of its own, as the simulated store's does.
func (c *sqliteConn) Connect(a *sim.Actor) outbox.DB {
	var fail *rand.Rand
	if c.db.failRate > 0 {
		fail = c.db.w.Rand("faults:db:" + c.db.name + ":" + a.Name)
	}
	return c.db.as(a, fail)
}

// Unpublished implements outbox.DB: the oldest committed outbox rows.
func (c *sqliteConn) Unpublished(n int, buf []string) []string {
	db := c.db
	if db.err != nil {
		return buf
	}
	c2, cancel := ctx()
	defer cancel()
	rows, err := db.sql.QueryContext(c2, "SELECT id FROM outbox ORDER BY seq LIMIT ?", n)
	if err != nil {
		db.b.fail("polling the outbox: %v", err)
		return buf
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if rows.Scan(&id) == nil {
			buf = append(buf, "outbox/"+id)
		}
	}
	return buf
}

// crashed rolls back the actor's open transactions: none has run a
// statement yet, so nothing of them reached the file.
func (c *sqliteConn) crashed() {
	open := c.open
	c.open = nil
	for _, tx := range open {
		tx.done = true
		tx.emit(trace.Rollback, c.a.Name+" crashed before commit; its writes are lost", nil)
	}
}

// close removes tx from the open transactions.
func (c *sqliteConn) close(tx *sqliteTx) {
	for i, o := range c.open {
		if o == tx {
			c.open = append(c.open[:i], c.open[i+1:]...)
			return
		}
	}
}

// sqliteTx is one transaction: outbox.Tx. Its statements wait in it and
// run at Commit, in one SQLite transaction (BEGIN IMMEDIATE … COMMIT).
// Every actor runs on the world's one loop, so a SQLite transaction held
// open across steps would make the relay wait for the order service's
// write lock, and the order service could never take its next step to
// release it.
type sqliteTx struct {
	c     *sqliteConn
	id    int
	about trace.Msg
	why   string
	stmts []stmt
	done  bool
}

// stmt is one statement of a transaction and the write it is, as the
// trace shows it.
type stmt struct {
	sql   string
	args  []any
	write trace.Write
}

func (tx *sqliteTx) add(sql string, w trace.Write, args ...any) {
	tx.stmts = append(tx.stmts, stmt{sql: sql, args: args, write: w})
}

// SaveOrder implements outbox.Tx.
func (tx *sqliteTx) SaveOrder(key, state string) {
	tx.add("INSERT INTO orders (key, state) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state",
		trace.Write{Key: "orders/" + key, Value: state}, key, state)
}

// AddOutbox implements outbox.Tx.
func (tx *sqliteTx) AddOutbox(id, typ string) {
	tx.add("INSERT INTO outbox (id, type) VALUES (?, ?)", trace.Write{Key: "outbox/" + id, Value: typ}, id, typ)
}

// MarkSent implements outbox.Tx: the row is deleted.
func (tx *sqliteTx) MarkSent(key string) {
	tx.add("DELETE FROM outbox WHERE id = ?", trace.Write{Key: key, Deleted: true}, strings.TrimPrefix(key, "outbox/"))
}

// Reserve implements outbox.Tx.
func (tx *sqliteTx) Reserve(key, reservation string) {
	tx.add("INSERT INTO stock (key, reservation) VALUES (?, ?) "+
		"ON CONFLICT (key) DO UPDATE SET reservation = excluded.reservation",
		trace.Write{Key: "stock/" + key, Value: reservation}, key, reservation)
}

// Inbox implements outbox.Tx: a read of the committed inbox.
func (tx *sqliteTx) Inbox(id string) (string, bool) {
	row := "inbox/" + id
	db := tx.c.db
	if db.err != nil {
		return row, false
	}
	c, cancel := ctx()
	defer cancel()
	var n int
	err := db.sql.QueryRowContext(c, "SELECT count(*) FROM inbox WHERE id = ?", id).Scan(&n)
	if err != nil {
		db.b.fail("reading the inbox: %v", err)
	}
	return row, n > 0
}

// RecordInbox implements outbox.Tx. The inbox's primary key is the real
// guard: a second insert of one id fails the commit.
func (tx *sqliteTx) RecordInbox(row string) {
	tx.add("INSERT INTO inbox (id) VALUES (?)", trace.Write{Key: row, Value: "handled"},
		strings.TrimPrefix(row, "inbox/"))
}

// Explain implements outbox.Tx.
func (tx *sqliteTx) Explain(why string) { tx.why = why }

// Commit implements outbox.Tx: it runs the statements in one SQLite
// transaction and emits a commit that lists the rows SQLite reports
// written; an injected fault (--db-fail-rate) or an error from SQLite
// rolls it back instead.
func (tx *sqliteTx) Commit() error {
	c := tx.c
	if tx.done || !c.a.Up() {
		return errAborted
	}
	tx.done = true
	c.close(tx)
	if c.fail != nil && c.fail.Float64() < c.db.failRate {
		tx.emit(trace.Rollback, "commit failed (injected database fault); nothing written", nil)
		return errInjected
	}
	writes, err := tx.run()
	if err != nil {
		tx.emit(trace.Rollback, "SQLite: "+err.Error()+"; nothing written", nil)
		return err
	}
	tx.emit(trace.Commit, "", writes)
	return nil
}

// run runs the statements in one SQLite transaction and returns the
// writes SQLite reported.
func (tx *sqliteTx) run() ([]trace.Write, error) {
	db := tx.c.db
	if db.err != nil {
		return nil, db.err
	}
	c, cancel := ctx()
	defer cancel()
	conn, err := db.sql.Conn(c)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(c, "BEGIN IMMEDIATE"); err != nil {
		return nil, err
	}
	var writes []trace.Write
	for _, s := range tx.stmts {
		res, err := conn.ExecContext(c, s.sql, s.args...)
		if err != nil {
			conn.ExecContext(c, "ROLLBACK")
			return nil, err
		}
		if n, err := res.RowsAffected(); err == nil && n > 0 {
			writes = append(writes, s.write)
		}
	}
	if _, err := conn.ExecContext(c, "COMMIT"); err != nil {
		conn.ExecContext(c, "ROLLBACK")
		return nil, err
	}
	return writes, nil
}

// Rollback implements outbox.Tx.
func (tx *sqliteTx) Rollback(why string) {
	if tx.done {
		return
	}
	tx.done = true
	tx.c.close(tx)
	tx.emit(trace.Rollback, why, nil)
}

// emit tells a step of the transaction as the simulated store does: the
// note "tx N", then what happened or the writes.
func (tx *sqliteTx) emit(k trace.Kind, note string, writes []trace.Write) {
	var b strings.Builder
	b.WriteString("tx " + strconv.Itoa(tx.id))
	if note != "" || len(writes) > 0 {
		b.WriteString(": " + note)
	}
	for i, w := range writes {
		if i > 0 {
			b.WriteString(", ")
		}
		if w.Deleted {
			b.WriteString(w.Key + " deleted")
		} else {
			b.WriteString(w.Key + "=" + w.Value)
		}
	}
	e := trace.Event{Kind: k, Actor: tx.c.a.Name, To: tx.c.db.name, Msg: tx.about, Note: b.String(), Writes: writes}
	if k != trace.Begin {
		e.Why = tx.why
	}
	tx.c.db.w.Emit(e)
}

// The errors of a commit that did not happen.
var (
	errAborted  = errors.New("transaction aborted")
	errInjected = errors.New("commit failed (injected database fault)")
)
