package trace

import "time"

// Recorder numbers events, stamps them with the virtual time and hands them
// to its sinks in order. It is the single door through which a simulation
// speaks.
type Recorder struct {
	now   func() time.Duration
	seq   int64
	sink  Sink
	wants Kinds // the kinds some sink wants: the others are numbered, then dropped
	cur   Event
}

// NewRecorder returns a Recorder that reads the time from now and passes
// events to sinks in the order given (see Tee).
func NewRecorder(now func() time.Duration, sinks ...Sink) *Recorder {
	s := Tee(sinks...)
	return &Recorder{now: now, sink: s, wants: WantsOf(s)}
}

// Emit stamps e with the next sequence number and the current virtual time
// and passes it to every sink that wants its kind.
func (r *Recorder) Emit(e Event) {
	r.seq++
	if !r.wants.Has(e.Kind) {
		return
	}
	e.Seq = r.seq
	e.T = r.now()
	r.cur = e
	r.sink.Event(&r.cur)
}

// Wants reports whether some sink wants events of kind k: an emitter may
// skip building one nobody reads, and call Skip instead.
func (r *Recorder) Wants(k Kind) bool { return r.wants.Has(k) }

// Skip numbers an event of a kind no sink wants, as Emit would, without
// building it.
func (r *Recorder) Skip() { r.seq++ }

// Count returns how many events were emitted.
func (r *Recorder) Count() int64 { return r.seq }
