package patterns

import "github.com/msgplay/msgplay/internal/trace"

// Intro is an explanation of what a pattern is doing, given to the first
// event of a run it matches — its kind, and its actor and receiver where
// they are told — so that --explain has something to say on every run,
// not only where something goes wrong.
type Intro struct {
	Kind      trace.Kind
	Actor, To string // "" matches any
	Why       string
}

func (in *Intro) matches(e *trace.Event) bool {
	return e.Kind == in.Kind && (in.Actor == "" || in.Actor == e.Actor) && (in.To == "" || in.To == e.To)
}

// explainer gives each Intro's Why to the first event it matches that has
// no Why of its own.
type explainer struct {
	pending []Intro
	said    func() // called once an intro is given: the kinds it wants narrow
}

// Event implements trace.Sink.
func (x *explainer) Event(e *trace.Event) {
	if len(x.pending) == 0 || e.Why != "" || e.Kind == trace.Run || e.Kind == trace.Summary {
		return
	}
	for i := range x.pending {
		if x.pending[i].matches(e) {
			e.Why = x.pending[i].Why
			x.pending = append(x.pending[:i:i], x.pending[i+1:]...)
			if x.said != nil {
				x.said()
			}
			return
		}
	}
}

// Wants implements trace.Choosy: the kinds of its intros, so the events of
// other kinds (most of a long run's) pass it by.
func (x *explainer) Wants() trace.Kinds {
	var k trace.Kinds
	for i := range x.pending {
		k |= trace.KindsOf(x.pending[i].Kind)
	}
	return k
}

// Numeric implements trace.Numeric: it matches on kinds and actors.
func (x *explainer) Numeric() {}

// newExplainer returns the sink that explains intros, or nil for none.
func newExplainer(intros []Intro) trace.Sink {
	if len(intros) == 0 {
		return nil
	}
	return &explainer{pending: append([]Intro(nil), intros...)}
}
