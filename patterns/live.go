package patterns

import (
	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// Live runs a pattern on a real broker, in real time, instead of
// simulating it: internal/live provides one on NATS JetStream in the live
// build. A pattern that supports it (Def.Live) takes its broker from
// Sim.Port and nothing else changes: the same actors, events and checks.
type Live interface {
	// Attach puts w on the wall clock and returns the broker the
	// pattern's actors use in it.
	Attach(w *sim.World, pattern string) broker.Port
	// Params returns what the run event adds: live=true and the broker's
	// URL without its token.
	Params() []trace.Param
}

// Port returns the broker the pattern's actors use: the simulated one, or
// the live one when Common.Live was set.
func (s *Sim) Port() broker.Port {
	if s.port == nil {
		s.port = s.Broker.Port()
	}
	return s.port
}
