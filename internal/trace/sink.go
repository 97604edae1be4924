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

// Tee returns a Sink that passes each event to every one of sinks in
// turn, in the order given, each seeing it before the next. Nil sinks are
// left out and nested tees flattened; with one sink left Tee returns it,
// with none a sink that drops every event. It is the one way msgplay fans
// events out: to the statistics, the checks and the renderers.
func Tee(sinks ...Sink) Sink {
	var t tee
	for _, s := range sinks {
		switch s := s.(type) {
		case nil:
		case tee:
			t = append(t, s...)
		default:
			t = append(t, s)
		}
	}
	switch len(t) {
	case 0:
		return discard{}
	case 1:
		return t[0]
	}
	return t
}

type tee []Sink

func (t tee) Event(e *Event) {
	for _, s := range t {
		s.Event(e)
	}
}

type discard struct{}

func (discard) Event(*Event) {}
