// Package store is a small transactional key-value store on the sim
// kernel, owned by one actor: a service's own database. A transaction
// begins, writes, and commits or rolls back; the writes of a committed
// transaction appear together or not at all, and a crash of the owner
// drops every transaction not yet committed. Each step is a trace event,
// so the audience sees exactly where a crash falls.
package store

import (
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// ErrCommitFailed is returned by Commit when the commit fails (an injected
// database fault); the transaction is rolled back.
var ErrCommitFailed = errors.New("commit failed")

// ErrAborted is returned when the transaction can no longer commit: it was
// rolled back, already committed, or its owner crashed.
var ErrAborted = errors.New("transaction aborted")

// Options are the settings of a store.
type Options struct {
	// FailRate is the chance that a commit fails, drawn from the store's own
	// fault stream so that it is the same in every variant of a pattern.
	FailRate float64
}

// Store is one actor's database.
type Store struct {
	Name string

	w    *sim.World
	own  Conn // the owner's own connection
	opts Options
	data map[string]string
	open []*Tx // open transactions, oldest first
	next int

	indexes []*index // keys kept in the order they were first written; see Index
	tables  []*table // rows kept one byte each; see Table
	note    []byte   // scratch space for event notes
}

// New returns an empty store called name, owned by owner, living in w.
func New(w *sim.World, owner *sim.Actor, name string, opts Options) *Store {
	s := &Store{Name: name, w: w, opts: opts, data: map[string]string{}}
	s.own = Conn{s: s, a: owner}
	if opts.FailRate > 0 {
		s.own.fail = w.Rand("faults:db:" + name)
	}
	owner.OnCrash(func() { s.dropOpen(owner) })
	return s
}

// Get returns the committed value of key.
func (s *Store) Get(key string) (string, bool) {
	if len(s.tables) > 0 {
		if t, n := s.tableRow(key); t != nil {
			if v, ok := t.get(n); ok {
				return v, true
			}
		}
	}
	v, ok := s.data[key]
	return v, ok
}

// Keys returns the committed keys that start with prefix, sorted.
func (s *Store) Keys(prefix string) []string {
	var keys []string
	for k := range s.data {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	for _, t := range s.tables {
		keys = t.keys(prefix, keys)
	}
	sort.Strings(keys)
	return keys
}

// Len returns how many keys are committed.
func (s *Store) Len() int {
	n := len(s.data)
	for _, t := range s.tables {
		n += t.n
	}
	return n
}

// put commits key = value, in its table when it fits one.
func (s *Store) put(key, value string) {
	if _, ok := s.Get(key); !ok {
		s.indexNew(key)
	}
	if t, n := s.tableRow(key); t != nil && t.set(n, value) {
		delete(s.data, key)
		return
	} else if t != nil {
		t.clear(n)
	}
	s.data[key] = value
}

// remove deletes key.
func (s *Store) remove(key string) {
	if t, n := s.tableRow(key); t != nil {
		t.clear(n)
	}
	delete(s.data, key)
	s.unindex(key)
}

// Begin starts a transaction and emits a begin event. about, when it has an
// id, is the message the transaction is for; its events carry it.
func (s *Store) Begin(about trace.Msg) *Tx {
	return s.own.Begin(about)
}

func (s *Store) begin(c *Conn, about trace.Msg) *Tx {
	s.next++
	tx := &Tx{c: c, id: uint32(s.next), about: about}
	tx.writes = tx.inline[:0]
	s.open = append(s.open, tx)
	s.emit(trace.Begin, tx, "")
	return tx
}

func (s *Store) emit(k trace.Kind, tx *Tx, note string) {
	s.emitWrites(k, tx, note, false)
}

// emitWrites emits a transaction event whose note is "tx N", then note, then
// (with writes) the transaction's writes, built in one allocation.
func (s *Store) emitWrites(k trace.Kind, tx *Tx, note string, writes bool) {
	e := s.w.NextEvent(k)
	if e == nil {
		return // no sink wants it: no note to write
	}
	b := append(s.note[:0], "tx "...)
	b = strconv.AppendInt(b, int64(tx.id), 10)
	if note != "" || (writes && len(tx.writes) > 0) {
		b = append(b, ": "...)
	}
	b = append(b, note...)
	if writes {
		b = tx.appendWrites(b)
	}
	s.note = b
	e.Actor, e.To, e.Msg, e.Note = tx.c.a.Name, s.Name, tx.about, string(b)
	if writes {
		// Only ever appended to, so the event may keep what it is lent.
		e.Writes = tx.writes
	}
	if k != trace.Begin {
		e.Why = tx.why
	}
	s.w.Record(e)
}

// dropOpen drops every open transaction of actor a, which crashed: what it
// had not committed is gone.
func (s *Store) dropOpen(a *sim.Actor) {
	var dropped []*Tx
	for _, tx := range s.open {
		if tx.c.a == a {
			dropped = append(dropped, tx)
		}
	}
	for _, tx := range dropped {
		tx.done = true
		s.close(tx)
		s.emit(trace.Rollback, tx, a.Name+" crashed before commit; its writes are lost")
	}
}

// close removes tx from the open transactions.
func (s *Store) close(tx *Tx) {
	for i, o := range s.open {
		if o == tx {
			copy(s.open[i:], s.open[i+1:])
			s.open[len(s.open)-1] = nil
			s.open = s.open[:len(s.open)-1]
			return
		}
	}
}

// Tx is one transaction. Its writes are invisible to others until Commit.
// It fits in 256 bytes, a transaction being made for every write.
type Tx struct {
	c      *Conn // whose transaction it is (the owner's, or another actor's) and its fault stream
	about  trace.Msg
	why    string // the teaching sentence of its commit or rollback event
	writes []trace.Write
	inline [2]trace.Write // room for the writes of most transactions, spared an allocation
	id     uint32
	done   bool
}

// Put writes key = value in the transaction.
func (tx *Tx) Put(key, value string) {
	tx.writes = append(tx.writes, trace.Write{Key: key, Value: value})
}

// Delete removes key in the transaction.
func (tx *Tx) Delete(key string) { tx.writes = append(tx.writes, trace.Write{Key: key, Deleted: true}) }

// Get reads key as the transaction sees it: its own writes first, then what
// is committed.
func (tx *Tx) Get(key string) (string, bool) {
	for i := len(tx.writes) - 1; i >= 0; i-- {
		if w := tx.writes[i]; w.Key == key {
			return w.Value, !w.Deleted
		}
	}
	return tx.c.s.Get(key)
}

// Commit applies every write at once and emits a commit event that lists
// them. It fails, rolling back, when the store injects a failure, and
// returns ErrAborted when the transaction is over or its owner crashed.
func (tx *Tx) Commit() error {
	s := tx.c.s
	if tx.done || !tx.c.a.Up() {
		return ErrAborted
	}
	tx.done = true
	s.close(tx)
	if f := tx.c.fail; f != nil && f.Float64() < s.opts.FailRate {
		s.emit(trace.Rollback, tx, "commit failed (injected database fault); nothing written")
		return ErrCommitFailed
	}
	for _, w := range tx.writes {
		if w.Deleted {
			s.remove(w.Key)
		} else {
			s.put(w.Key, w.Value)
		}
	}
	s.emitWrites(trace.Commit, tx, "", true)
	return nil
}

// Explain sets the teaching sentence (trace.Event.Why) that the event
// closing the transaction, its commit or rollback, will carry.
func (tx *Tx) Explain(why string) { tx.why = why }

// Rollback abandons the transaction, saying why.
func (tx *Tx) Rollback(why string) {
	if tx.done {
		return
	}
	tx.done = true
	tx.c.s.close(tx)
	tx.c.s.emit(trace.Rollback, tx, why)
}

// appendWrites lists the writes: "orders/order-1001=PENDING, outbox/e1 deleted".
func (tx *Tx) appendWrites(b []byte) []byte {
	for i, w := range tx.writes {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, w.Key...)
		if w.Deleted {
			b = append(b, " deleted"...)
		} else {
			b = append(b, '=')
			b = append(b, w.Value...)
		}
	}
	return b
}
