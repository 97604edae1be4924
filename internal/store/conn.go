package store

import (
	"math/rand/v2"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// Conn is another actor's connection to a store, such as an outbox relay
// reading and updating the order service's database. Its transactions carry
// that actor's name, are dropped when that actor crashes, and draw injected
// commit failures (Options.FailRate) from a fault stream of their own, so
// the faults the owner meets stay the same whether or not others write.
type Conn struct {
	s    *Store
	a    *sim.Actor
	fail *rand.Rand
}

// Connect returns a connection to the store on behalf of a.
func (s *Store) Connect(a *sim.Actor) *Conn {
	c := &Conn{s: s, a: a}
	if s.opts.FailRate > 0 {
		c.fail = s.w.Rand("faults:db:" + s.Name + ":" + a.Name)
	}
	a.OnCrash(func() { s.dropOpen(a) })
	return c
}

// Begin starts a transaction of the connection's actor and emits a begin
// event; see Store.Begin.
func (c *Conn) Begin(about trace.Msg) *Tx { return c.s.begin(c, about) }
