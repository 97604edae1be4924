package trace

// Sink receives events. The event is only lent for the call: a sink that
// keeps anything must copy it.
type Sink interface {
	Event(e *Event)
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(e *Event)

// Event calls f(e).
func (f SinkFunc) Event(e *Event) { f(e) }

// Kinds is a set of kinds of event.
type Kinds uint64

// AllKinds holds every kind, those added later too.
const AllKinds = ^Kinds(0)

// KindsOf returns the set of the kinds given.
func KindsOf(ks ...Kind) Kinds {
	var s Kinds
	for _, k := range ks {
		s |= 1 << k
	}
	return s
}

// Has reports whether k is in the set.
func (s Kinds) Has(k Kind) bool { return k >= 64 || s&(1<<k) != 0 }

// Choosy is a sink that wants only some kinds of event: Tee and the
// Recorder hand it no others, so a run builds no event nobody reads (a
// --quiet renderer wants only the run and the summary).
type Choosy interface {
	Sink
	Wants() Kinds
}

// Numeric is a sink that reads a numbered message by its Num and Names
// (see Msg.Text) and needs no ID or Key text: for it alone the Recorder
// does not make them.
type Numeric interface {
	Sink
	Numeric()
}

// Follower is a sink that follows messages through the events every
// message has — send, deliver, handle, ack and the others a broker tells
// with Recorder.EmitMsg — on a narrow path: for those the Recorder calls
// Follow with a MsgEvent, which points at the message instead of copying
// it, and builds no Event at all for a kind when every sink that wants
// it is a Follower. A Follower after another sink that wants the kind is
// told the Event, as that sink may have changed it. Events told any other
// way reach it through Event, which must pass them on to the same code
// (Follow(&m) with m := e.AsMsg()), so a recorded trace is judged as a
// live one. A Follower is Numeric: it reads a numbered message by its
// Num and Names, as on the narrow path it never has its text (as an
// Event it has it only when another sink wanted it). Follow must change
// neither the event nor the message: they are the Recorder's and the
// broker's, and the other Followers read them after it.
type Follower interface {
	Numeric
	Follow(e *MsgEvent)
}

// passer is a sink that passes events on to others (a filter such as
// Focus): it needs the text of a numbered message for the kinds it says,
// those it reads itself and those the sinks after it need.
type passer interface {
	Sink
	textKinds() Kinds
}

// textWants returns the kinds of event for which s needs the text of a
// numbered message.
func textWants(s Sink) Kinds {
	switch s := s.(type) {
	case *tee:
		return s.text
	case Numeric: // Followers too
		return 0
	case passer:
		return s.textKinds()
	}
	return WantsOf(s)
}

// WantsOf returns the kinds s wants: every kind, unless s is Choosy.
func WantsOf(s Sink) Kinds {
	if c, ok := s.(Choosy); ok {
		return c.Wants()
	}
	return AllKinds
}

// Tee returns a Sink that passes each event to every one of sinks in
// turn, in the order given, each seeing it before the next; a Choosy sink
// sees only the kinds it wants. Nil sinks are left out and nested tees
// flattened; with one sink left Tee returns it, with none a sink that
// drops every event. It is the one way msgplay fans events out: to the
// statistics, the checks and the renderers.
func Tee(sinks ...Sink) Sink {
	var t tee
	for _, s := range sinks {
		switch s := s.(type) {
		case nil:
		case *tee:
			t.sinks = append(t.sinks, s.sinks...)
			t.wants = append(t.wants, s.wants...)
			t.text |= s.text
		default:
			t.text |= textWants(s)
			t.sinks = append(t.sinks, s)
			t.wants = append(t.wants, WantsOf(s))
		}
	}
	switch len(t.sinks) {
	case 0:
		return discard{}
	case 1:
		if t.wants[0] == AllKinds {
			return t.sinks[0]
		}
	}
	for _, w := range t.wants {
		t.all |= w
	}
	return &t
}

type tee struct {
	sinks []Sink
	wants []Kinds // what each sink wants
	all   Kinds   // what any of them wants
	text  Kinds   // what any of them wants with the text of a numbered message
}

func (t *tee) Event(e *Event) {
	for i, s := range t.sinks {
		if t.wants[i].Has(e.Kind) {
			s.Event(e)
		}
	}
}

// Wants implements Choosy.
func (t *tee) Wants() Kinds { return t.all }

type discard struct{}

func (discard) Event(*Event) {}

// Wants implements Choosy: nothing.
func (discard) Wants() Kinds { return 0 }
