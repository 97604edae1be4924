package trace

import "time"

// Recorder numbers events, stamps them with the virtual time and hands them
// to its sinks in order. It is the single door through which a simulation
// speaks.
type Recorder struct {
	now  func() time.Duration
	seq  int64
	sink Sink
	cur  Event
}

// NewRecorder returns a Recorder that reads the time from now and passes
// events to sinks in the order given (see Tee).
func NewRecorder(now func() time.Duration, sinks ...Sink) *Recorder {
	return &Recorder{now: now, sink: Tee(sinks...)}
}

// Emit stamps e with the next sequence number and the current virtual time
// and passes it to every sink.
func (r *Recorder) Emit(e Event) {
	r.seq++
	e.Seq = r.seq
	e.T = r.now()
	r.cur = e
	r.sink.Event(&r.cur)
}

// Count returns how many events were emitted.
func (r *Recorder) Count() int64 { return r.seq }
