// Package patterns holds what every pattern shares: the common run options,
// the demos shown in --help, and the scaffolding that starts a simulation,
// runs it to its end and emits the summary. Each pattern lives in a package
// of its own below this one.
package patterns

import (
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// Common are the options every pattern takes.
type Common struct {
	Seed  uint64
	Until time.Duration // cap on virtual time; 0 means run until settled
}

// Demo is one runnable example of a pattern, shown in its --help and run by
// its golden tests.
type Demo struct {
	Title string
	Args  []string // the arguments after the pattern's command name
}

// Sim is one running simulation with the parts every pattern uses: the
// world, its broker, the generic statistics and the delivery check.
type Sim struct {
	Pattern  string
	World    *sim.World
	Broker   *broker.Broker
	Stats    *trace.Stats
	Delivery *check.Delivery
}

// Start makes a world for the pattern, emits the run event with params and
// returns the simulation. Events go to the statistics, the delivery check,
// then out (which may be nil).
func Start(pattern string, c Common, params []trace.Param, out trace.Sink) *Sim {
	s := &Sim{Pattern: pattern, Stats: trace.NewStats(), Delivery: check.NewDelivery()}
	sinks := []trace.Sink{s.Stats, s.Delivery}
	if out != nil {
		sinks = append(sinks, out)
	}
	s.World = sim.New(c.Seed, sinks...)
	s.World.SetUntil(c.Until)
	s.Broker = broker.New(s.World)
	s.World.Emit(trace.Event{Kind: trace.Run, Actor: "msgplay", Note: pattern, Params: params})
	return s
}

// Run runs the world until done reports true (or the time limit).
func (s *Sim) Run(done func() bool) { s.World.Run(done) }

// Finish computes the report — the generic statistics, the tables and the
// verdicts the pattern adds, and the delivery verdicts when withDelivery —
// emits it as the summary event and returns it.
func (s *Sim) Finish(withDelivery bool, tables []trace.Table, verdicts []trace.Verdict) *trace.Report {
	r := &trace.Report{Pattern: s.Pattern, Seed: s.World.Seed(), End: s.World.Now(), Stopped: s.World.Stopped()}
	s.Stats.Fill(r)
	r.Tables = append(r.Tables, tables...)
	if withDelivery {
		v, pending := s.Delivery.Verdicts(r.Stopped)
		r.Checks = append(r.Checks, v...)
		r.InFlight = pending
	}
	r.Checks = append(r.Checks, verdicts...)
	s.World.Emit(trace.Event{Kind: trace.Summary, Actor: "msgplay", Report: r})
	return r
}
