package store

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// events collects what a world emits.
type events []trace.Event

func (ev *events) Event(e *trace.Event) { *ev = append(*ev, *e) }

func (ev events) kinds() string {
	var parts []string
	for _, e := range ev {
		parts = append(parts, e.Actor+" "+e.Kind.String())
	}
	return strings.Join(parts, ", ")
}

func newWorld(t *testing.T) (*sim.World, *events) {
	t.Helper()
	ev := &events{}
	return sim.New(1, ev), ev
}

var order = trace.Msg{ID: "e1", Type: "OrderPlaced", Class: trace.EventMsg, Key: "order-1001"}

func TestUncommittedWritesAreInvisible(t *testing.T) {
	w, _ := newWorld(t)
	s := New(w, w.Actor("svc"), "db", Options{})
	tx := s.Begin(order)
	tx.Put("orders/order-1001", "placed")
	if v, ok := tx.Get("orders/order-1001"); !ok || v != "placed" {
		t.Fatalf("the transaction does not see its own write: %q %v", v, ok)
	}
	if _, ok := s.Get("orders/order-1001"); ok {
		t.Fatal("an uncommitted write is visible outside its transaction")
	}
}

func TestCommitAppliesEveryWriteAtOnce(t *testing.T) {
	w, ev := newWorld(t)
	s := New(w, w.Actor("svc"), "db", Options{})
	tx := s.Begin(order)
	tx.Put("orders/order-1001", "placed")
	tx.Put("outbox/e1", "OrderPlaced")
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if s.Len() != 2 {
		t.Fatalf("committed %d keys, want 2", s.Len())
	}
	last := (*ev)[len(*ev)-1]
	if last.Kind != trace.Commit || last.Note != "tx 1: orders/order-1001=placed, outbox/e1=OrderPlaced" ||
		last.Msg.ID != "e1" || last.Actor != "svc" || last.To != "db" {
		t.Fatalf("commit event %+v", last)
	}
	if err := tx.Commit(); !errors.Is(err, ErrAborted) {
		t.Fatalf("a second commit gave %v, want ErrAborted", err)
	}
	del := s.Begin(trace.Msg{})
	del.Delete("outbox/e1")
	if err := del.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Get("outbox/e1"); ok || s.Len() != 1 {
		t.Fatal("a committed delete left the key")
	}
}

func TestRollbackWritesNothing(t *testing.T) {
	w, ev := newWorld(t)
	s := New(w, w.Actor("svc"), "db", Options{})
	tx := s.Begin(order)
	tx.Put("orders/order-1001", "placed")
	tx.Explain("because")
	tx.Rollback("publish failed")
	if s.Len() != 0 {
		t.Fatal("a rolled back write was kept")
	}
	if err := tx.Commit(); !errors.Is(err, ErrAborted) {
		t.Fatalf("commit after rollback gave %v, want ErrAborted", err)
	}
	last := (*ev)[len(*ev)-1]
	if last.Kind != trace.Rollback || last.Note != "tx 1: publish failed" || last.Why != "because" {
		t.Fatalf("rollback event %+v", last)
	}
}

func TestInjectedCommitFailure(t *testing.T) {
	w, ev := newWorld(t)
	s := New(w, w.Actor("svc"), "db", Options{FailRate: 1})
	tx := s.Begin(order)
	tx.Put("orders/order-1001", "placed")
	if err := tx.Commit(); !errors.Is(err, ErrCommitFailed) {
		t.Fatalf("commit gave %v, want ErrCommitFailed", err)
	}
	if s.Len() != 0 {
		t.Fatal("a failed commit wrote something")
	}
	if got := ev.kinds(); got != "svc begin, svc rollback" {
		t.Fatalf("events %s", got)
	}
}

// The fault stream of a store is drawn once per commit of its owner, so
// the same seed fails the same commits whatever other actors do.
func TestFaultsFollowTheOwnersCommits(t *testing.T) {
	fails := func(withRelay bool) []int {
		w, _ := newWorld(t)
		s := New(w, w.Actor("svc"), "db", Options{FailRate: 0.5})
		c := s.Connect(w.Actor("relay"))
		var failed []int
		for i := 0; i < 40; i++ {
			tx := s.Begin(order)
			tx.Put("k", "v")
			if tx.Commit() != nil {
				failed = append(failed, i)
			}
			if withRelay {
				rtx := c.Begin(trace.Msg{})
				rtx.Delete("k")
				rtx.Commit()
			}
		}
		return failed
	}
	a, b := fails(false), fails(true)
	if len(a) == 0 || len(a) == 40 || !slices.Equal(a, b) {
		t.Fatalf("owner commits failed at %v alone, at %v beside a relay", a, b)
	}
}

func TestCrashDropsUncommittedWork(t *testing.T) {
	w, ev := newWorld(t)
	svc := w.Actor("svc")
	s := New(w, svc, "db", Options{})
	done := s.Begin(order)
	done.Put("orders/order-1001", "placed")
	if err := done.Commit(); err != nil {
		t.Fatal(err)
	}
	open := s.Begin(trace.Msg{ID: "e2", Key: "order-1002"})
	open.Put("orders/order-1002", "placed")
	svc.Crash("")
	if err := open.Commit(); !errors.Is(err, ErrAborted) {
		t.Fatalf("commit after the crash gave %v, want ErrAborted", err)
	}
	if _, ok := s.Get("orders/order-1002"); ok {
		t.Fatal("a write not committed before the crash survived it")
	}
	if _, ok := s.Get("orders/order-1001"); !ok {
		t.Fatal("a committed write was lost in the crash")
	}
	last := (*ev)[len(*ev)-1]
	if last.Kind != trace.Rollback || last.Msg.ID != "e2" || !strings.Contains(last.Note, "svc crashed before commit") {
		t.Fatalf("after the crash: %+v", last)
	}
	svc.Restart("")
	again := s.Begin(order)
	again.Put("x", "y")
	if err := again.Commit(); err != nil {
		t.Fatalf("after a restart: %v", err)
	}
}

func TestConnCrashDropsOnlyItsOwnWork(t *testing.T) {
	w, ev := newWorld(t)
	svc, relay := w.Actor("svc"), w.Actor("relay")
	s := New(w, svc, "db", Options{})
	c := s.Connect(relay)
	mine := s.Begin(order)
	mine.Put("a", "1")
	theirs := c.Begin(trace.Msg{})
	theirs.Put("b", "2")
	if (*ev)[len(*ev)-1].Actor != "relay" {
		t.Fatal("a connection's begin is not told as its actor's")
	}
	relay.Crash("")
	if err := theirs.Commit(); !errors.Is(err, ErrAborted) {
		t.Fatalf("the crashed relay's commit gave %v", err)
	}
	if err := mine.Commit(); err != nil {
		t.Fatalf("the owner's transaction died with the relay: %v", err)
	}
	if _, ok := s.Get("b"); ok {
		t.Fatal("the crashed relay's write survived")
	}
}

func TestOldestKeepsFirstWriteOrder(t *testing.T) {
	w, _ := newWorld(t)
	s := New(w, w.Actor("svc"), "db", Options{})
	s.Index("outbox/")
	put := func(keys ...string) {
		tx := s.Begin(trace.Msg{})
		for _, k := range keys {
			tx.Put(k, "x")
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	del := func(keys ...string) {
		tx := s.Begin(trace.Msg{})
		for _, k := range keys {
			tx.Delete(k)
		}
		tx.Commit()
	}
	// e10 sorts before e2 by name; the index keeps the order of writing.
	put("outbox/e2", "orders/x")
	put("outbox/e10")
	put("outbox/e3")
	put("outbox/e2") // an update does not move a row
	lost := s.Begin(trace.Msg{})
	lost.Put("outbox/e99", "x")
	lost.Rollback("no")
	if got := strings.Join(s.Oldest("outbox/", 10, nil), " "); got != "outbox/e2 outbox/e10 outbox/e3" {
		t.Fatalf("oldest: %s", got)
	}
	if got := strings.Join(s.Oldest("outbox/", 2, nil), " "); got != "outbox/e2 outbox/e10" {
		t.Fatalf("oldest 2: %s", got)
	}
	del("outbox/e10")
	if got := strings.Join(s.Oldest("outbox/", 10, nil), " "); got != "outbox/e2 outbox/e3" {
		t.Fatalf("after deleting the middle row: %s", got)
	}
	del("outbox/e2")
	put("outbox/e2", "outbox/e4")
	if got := strings.Join(s.Oldest("outbox/", 10, nil), " "); got != "outbox/e3 outbox/e2 outbox/e4" {
		t.Fatalf("a row written again goes to the back: %s", got)
	}
	for i := 0; i < 100; i++ { // many rows through: the index compacts and stays right
		k := "outbox/n" + string(rune('A'+i%26)) + string(rune('a'+i/26))
		put(k)
		del(k)
	}
	if got := strings.Join(s.Oldest("outbox/", 10, nil), " "); got != "outbox/e3 outbox/e2 outbox/e4" {
		t.Fatalf("after churn: %s", got)
	}
	if got := s.Oldest("orders/", 10, nil); len(got) != 0 {
		t.Fatalf("an undeclared prefix listed %v", got)
	}
}

// TestCommitCarriesItsWritesAsData: the commit event lists the writes as
// data, in order, deletes marked, so a check never parses the note.
func TestCommitCarriesItsWritesAsData(t *testing.T) {
	w, ev := newWorld(t)
	s := New(w, w.Actor("svc"), "db", Options{})
	tx := s.Begin(order)
	tx.Put("outbox/e1", "OrderPlaced")
	tx.Commit()
	tx = s.Begin(order)
	tx.Put("orders/order-1001", "shipped")
	tx.Delete("outbox/e1")
	tx.Put("stock", "4")
	tx.Commit()
	var commits [][]trace.Write
	for _, e := range *ev {
		if e.Kind == trace.Commit {
			commits = append(commits, e.Writes)
		} else if len(e.Writes) > 0 {
			t.Errorf("a %s event carries writes: %v", e.Kind, e.Writes)
		}
	}
	want := [][]trace.Write{
		{{Key: "outbox/e1", Value: "OrderPlaced"}},
		{{Key: "orders/order-1001", Value: "shipped"}, {Key: "outbox/e1", Deleted: true}, {Key: "stock", Value: "4"}},
	}
	if !slices.EqualFunc(commits, want, slices.Equal) {
		t.Errorf("commits carried %v, want %v", commits, want)
	}
}
