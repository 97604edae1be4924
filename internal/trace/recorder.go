package trace

import "time"

// Sink receives events. The event is only lent for the call: a sink that
// keeps anything must copy it.
type Sink interface {
	Event(e *Event)
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(e *Event)

// Event calls f(e).
func (f SinkFunc) Event(e *Event) { f(e) }

// Recorder numbers events, stamps them with the virtual time and hands them
// to its sinks in order. It is the single door through which a simulation
// speaks.
type Recorder struct {
	now   func() time.Duration
	seq   int64
	sinks []Sink
	cur   Event
}

// NewRecorder returns a Recorder that reads the time from now.
func NewRecorder(now func() time.Duration, sinks ...Sink) *Recorder {
	return &Recorder{now: now, sinks: sinks}
}

// Add appends a sink; it sees the events emitted from now on.
func (r *Recorder) Add(s Sink) { r.sinks = append(r.sinks, s) }

// Emit stamps e with the next sequence number and the current virtual time
// and passes it to every sink.
func (r *Recorder) Emit(e Event) {
	r.seq++
	e.Seq = r.seq
	e.T = r.now()
	r.cur = e
	for _, s := range r.sinks {
		s.Event(&r.cur)
	}
}

// Count returns how many events were emitted.
func (r *Recorder) Count() int64 { return r.seq }
