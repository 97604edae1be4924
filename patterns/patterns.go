// Package patterns holds what every pattern shares: the common run options,
// the demos shown in --help, and the scaffolding that starts a simulation,
// runs it to its end and emits the summary. Each pattern lives in a package
// of its own below this one.
package patterns

import (
	"strconv"
	"strings"
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

	// Halt, when set, is asked before each step of the run; a non-empty
	// reason ends the run there, and the summary says why. It lets a person
	// stop a paced run and still get the whole summary so far.
	Halt func() string

	// Intro explains what the pattern does at the first events it
	// matches, for a run that is shown; a sweep leaves it out.
	Intro []Intro

	// Rewrite, when set, sees every event first and may change it before
	// the statistics, the checks and the output do. msgplay's tests use it
	// to reword every note and prove that no verdict depends on one.
	Rewrite func(e *trace.Event)

	// Live, when set, runs the pattern on a real broker in real time (see
	// Live); nil simulates it.
	Live Live
}

// Demo is one runnable example of a pattern, shown in its --help and run by
// its golden tests.
type Demo struct {
	Title string
	Args  []string // the arguments after the pattern's command name
}

// Runner runs one simulation of a scenario whose pattern flags are already
// fixed, with the given seed and cap, sending events to out (which may be
// nil), and returns the report. Runners are independent: several may run at
// once on different goroutines.
type Runner func(c Common, out trace.Sink) *trace.Report

// Sim is one running simulation with the parts every pattern uses: the
// world, its broker, the generic statistics and the delivery check.
type Sim struct {
	Pattern  string
	params   []trace.Param
	started  bool
	World    *sim.World
	Broker   *broker.Broker
	Stats    *trace.Stats
	Delivery *check.Delivery
	halt     func() string // the reader's stop, when the run is paced

	port      broker.Port // the live broker, or the simulated one once asked for
	live      bool        // the actors run on a live broker (Common.Live)
	producers producers
}

// producers are the arrivals of a run that keep a window: each settle
// event wakes them.
type producers []*Arrivals

// Wants implements trace.Choosy: only the events that settle a message,
// and none while no arrivals keep a window (only those wait for a
// settle: see Arrivals.Settled), so a run whose producers never wait
// tells them nothing.
func (p *producers) Wants() trace.Kinds {
	if !p.windowed() {
		return 0
	}
	return trace.KindsOf(trace.Ack, trace.DeadLetter, trace.Drop)
}

// windowed reports whether some of the arrivals keep a window.
func (p *producers) windowed() bool {
	for _, a := range *p {
		if a.window {
			return true
		}
	}
	return false
}

// Numeric implements trace.Numeric: the producers read no message text.
func (p *producers) Numeric() {}

// Event wakes the producers when a message settles: acked, dead-lettered
// or lost.
func (p *producers) Event(e *trace.Event) { p.settled(e.Kind) }

// Follow implements trace.Follower: as Event.
func (p *producers) Follow(e *trace.MsgEvent) { p.settled(e.Kind) }

// settled wakes the producers when an event of kind k settles a message
// (they want no other kinds but a recorded trace may bring them): small
// enough to be inlined, with Settled.
func (p *producers) settled(k trace.Kind) {
	if k == trace.Ack || k == trace.DeadLetter || k == trace.Drop {
		for _, a := range *p {
			a.Settled()
		}
	}
}

// Produce starts the arrivals a where the pattern would schedule their
// first send. At a gap of 0 they keep a window of the broker's unsettled
// messages (see Arrivals), unless a.InFlight says otherwise.
func (s *Sim) Produce(a *Arrivals) {
	if a.InFlight == nil {
		a.InFlight = s.Broker.UnsettledCount
	}
	was := s.producers.windowed()
	s.producers = append(s.producers, a)
	a.Start(s.World)
	if a.window && !was {
		s.World.Recorder().Reroute() // the producers want the settle events now
	}
}

// Start makes a world for the pattern and returns the simulation, ready to
// be set up: actors made, queues declared, crashes scheduled. Events go to
// c.Rewrite (when set), the statistics, the delivery check, then out (which
// may be nil, or a trace.Tee of the pattern's own checks and the output).
// Setting up must emit nothing: the run event comes first, from Run.
func Start(pattern string, c Common, params []trace.Param, out trace.Sink) *Sim {
	d := check.NewDelivery()
	s := start(pattern, c, params, d, out)
	s.Delivery = d
	return s
}

// StartOwnChecks is Start for a pattern that judges its messages with a
// checks sink of its own, which takes the generic delivery check's place
// (Delivery is nil): a check that would hold every message it never sees
// settled, such as a log's records, which are committed, never acked.
func StartOwnChecks(pattern string, c Common, params []trace.Param, checks, out trace.Sink) *Sim {
	return start(pattern, c, params, checks, out)
}

func start(pattern string, c Common, params []trace.Param, checks, out trace.Sink) *Sim {
	s := &Sim{Pattern: pattern, params: params, Stats: trace.NewStats()}
	var rewrite trace.Sink
	if c.Rewrite != nil {
		rewrite = trace.SinkFunc(c.Rewrite) // each sink in turn is lent the same event
	}
	explain := newExplainer(shown(c.Intro, out))
	s.init(c, sim.New(c.Seed, trace.Tee(rewrite, explain, s.Stats, checks, out, &s.producers)))
	if x, ok := explain.(*explainer); ok {
		// A kind it has explained leaves it, and may take the narrow path.
		x.said = s.World.Recorder().Reroute
	}
	return s
}

// shown returns the intros of the kinds out wants. Only the output reads
// an intro's Why (no check does), so an intro of a kind it never sees,
// such as a send when only the summary is printed, would change nothing
// but keep its kind off the recorder's narrow path (see trace.Follower).
func shown(intros []Intro, out trace.Sink) []Intro {
	if out == nil {
		return nil
	}
	wants := trace.WantsOf(out)
	var keep []Intro
	for _, in := range intros {
		if wants.Has(in.Kind) {
			keep = append(keep, in)
		}
	}
	return keep
}

// StartLean is Start for a run whose events nobody reads, such as one
// row of a sweep, which the pattern measures with its own counters: no
// sink, no statistics, no delivery check. Its Finish must not be called.
func StartLean(pattern string, c Common) *Sim {
	s := &Sim{Pattern: pattern}
	s.init(c, sim.New(c.Seed, &s.producers))
	return s
}

func (s *Sim) init(c Common, w *sim.World) {
	s.World = w
	s.World.SetUntil(c.Until)
	s.World.SetHalt(c.Halt)
	s.halt = c.Halt
	s.Broker = broker.New(s.World)
	if c.Live != nil {
		s.live = true
		s.port = c.Live.Attach(w, s.Pattern)
		s.params = append(s.params, c.Live.Params()...)
	}
}

// Run emits the run event, naming the pattern, its parameters and every
// actor, queue and topic set up so far, then runs the world until done
// reports true (or the time limit). Run may be called again to go on.
func (s *Sim) Run(done func() bool) {
	if !s.started {
		s.started = true
		actors := append(s.World.Actors(), s.Port().Names()...)
		s.World.Emit(trace.Event{Kind: trace.Run, Actor: "msgplay", Note: s.Pattern, Params: s.params, Actors: actors})
	}
	s.World.Run(done)
}

// Ending is what a pattern adds to the report when its run ends.
type Ending struct {
	Delivery  bool // include the delivery check's verdicts (no-loss, no-duplicate-effects)
	OwnTables bool // the pattern's tables replace the generic consumer, queue and latency ones
	Tables    []trace.Table
	Series    []trace.Series
	Verdicts  []trace.Verdict
}

// Finish computes the report — the generic totals and tables, then what the
// pattern adds — emits it as the summary event and returns it.
func (s *Sim) Finish(e Ending) *trace.Report {
	r := &trace.Report{Pattern: s.Pattern, Seed: s.World.Seed(), End: s.World.Now(), Stopped: s.World.Stopped()}
	r.Warnings = s.World.Unhappened()
	s.Stats.Fill(r)
	if e.OwnTables {
		r.Tables = nil
	}
	r.Tables = append(r.Tables, e.Tables...)
	r.Series = e.Series
	if e.Delivery {
		v, pending := s.Delivery.Verdicts(r.Stopped)
		r.Checks = append(r.Checks, v...)
		r.InFlight = pending
	}
	r.Checks = append(r.Checks, e.Verdicts...)
	if s.halt != nil && r.Stopped != "" && r.Stopped == s.halt() {
		// A reader stopped the run: what has not settled yet is not a
		// failure, only unfinished.
		for i := range r.Checks {
			if v := &r.Checks[i]; !v.OK {
				v.NotJudged, v.Detail, v.Evidence = true, "not judged: "+r.Stopped, nil
			}
		}
	}
	s.World.Emit(trace.Event{Kind: trace.Summary, Actor: "msgplay", Report: r})
	return r
}

// OrList writes words as "a, b or c", for errors that list what is allowed.
func OrList(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// Count writes n and the noun, plural unless n is 1: "1 worker", "3 workers".
func Count[N ~int | ~int64](n N, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.FormatInt(int64(n), 10) + " " + noun + "s"
}
