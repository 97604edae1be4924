package trace

import "time"

// Recorder numbers events, stamps them with the virtual time and hands them
// to its sinks in order. It is the single door through which a simulation
// speaks.
type Recorder struct {
	clock  *time.Duration // the virtual time, read at each event
	seq    int64
	sink   Sink             // every sink, for a kind beyond the table
	by     [numKinds][]Sink // the sinks that want each kind, in order
	wants  Kinds            // the kinds some sink wants: the others are numbered, then dropped
	text   Kinds            // the kinds some sink wants with the text of a numbered message
	cur    Event
	msg    MsgEvent             // the event of EmitMsg's narrow path
	follow [numKinds][]Follower // for a kind every sink that wants it follows: those sinks; else nil
	names  *[1 << 10]madeText   // the text last made for numbers, by their low bits; made on first use
}

// madeText is the text of one numbered message, kept so that the events
// of a message in flight share one string.
type madeText struct {
	num     uint64
	names   *Numbering
	id, key string
}

// NewRecorder returns a Recorder that reads the time from clock at each
// event and passes events to sinks in the order given (see Tee). Read,
// not called: the hottest path keeps its arguments in registers.
func NewRecorder(clock *time.Duration, sinks ...Sink) *Recorder {
	s := Tee(sinks...)
	r := &Recorder{clock: clock, sink: s, wants: WantsOf(s), text: textWants(s)}
	all, wants := []Sink{s}, []Kinds{r.wants}
	if t, ok := s.(*tee); ok {
		all, wants = t.sinks, t.wants
	}
	for k := range r.by {
		var follow []Follower
		for i, s := range all {
			if wants[i].Has(Kind(k)) {
				r.by[k] = append(r.by[k], s)
				if f, ok := s.(Follower); ok {
					follow = append(follow, f)
				}
			}
		}
		if len(follow) == len(r.by[k]) {
			r.follow[k] = follow
		}
	}
	return r
}

// Emit stamps e with the next sequence number and the current virtual time
// and passes it to every sink that wants its kind. A numbered message
// gets its ID and Key text when a sink that is not Numeric wants it.
func (r *Recorder) Emit(e Event) {
	r.seq++
	if !r.wants.Has(e.Kind) {
		return
	}
	r.cur = e
	r.record(&r.cur)
}

// EmitMsg is Emit for the events every message has, the hottest path of
// a long run: the event of kind k about m, at the given attempt, from
// actor to to. When every sink that wants k is a Follower, they take it
// on the narrow path, with m pointed at; otherwise the event is made in
// place, with no copy, and only when some sink wants it.
func (r *Recorder) EmitMsg(k Kind, actor, to string, m *Msg, attempt int, took time.Duration, note string) {
	if k < numKinds {
		if fs := r.follow[k]; fs != nil {
			r.seq++
			e := &r.msg
			e.Seq, e.T, e.Kind, e.Attempt = r.seq, *r.clock, k, attempt
			e.Actor, e.To, e.Msg, e.Took, e.Note = actor, to, m, took, note
			for _, f := range fs {
				f.Follow(e)
			}
			return
		}
	}
	r.emitMsgEvent(k, actor, to, m, attempt, took, note)
}

// emitMsgEvent is EmitMsg for a kind some sink wants as an Event, or no
// sink at all: apart, so that the narrow path keeps a small frame.
func (r *Recorder) emitMsgEvent(k Kind, actor, to string, m *Msg, attempt int, took time.Duration, note string) {
	if k >= numKinds {
		e := Event{Kind: k, Actor: actor, To: to, Msg: *m, Took: took, Note: note}
		e.Msg.Attempt = attempt
		r.Emit(e)
		return
	}
	r.seq++
	sinks := r.by[k]
	if len(sinks) == 0 {
		return
	}
	// Field by field: every one is set, and the event is not cleared
	// first (TestEmitMsgLeavesNothingOfTheEventBefore holds it to that).
	// The fields a message event never has are cleared only when an
	// event before, or a sink, set one.
	e := &r.cur
	e.Msg = *m
	e.Msg.Attempt = attempt
	e.Seq, e.T = r.seq, *r.clock
	e.Kind, e.Actor, e.To, e.Took, e.Note = k, actor, to, took, note
	if e.Why != "" || e.Writes != nil || e.Params != nil || e.Actors != nil || e.Report != nil {
		e.Why, e.Writes, e.Params, e.Actors, e.Report = "", nil, nil, nil, nil
	}
	if r.text.Has(k) && e.Msg.numbered() {
		e.Msg.ID, e.Msg.Key = r.textOf(&e.Msg)
	}
	for _, s := range sinks {
		s.Event(e)
	}
}

// Next numbers the next event, of kind k, and returns it, empty but for
// its kind, for the caller to fill in and pass to Record; or nil when no
// sink wants k, and then there is nothing more to do. It spares the
// caller the copies of Emit, and the making of what no sink reads; the
// event is the Recorder's, lent until the next call.
func (r *Recorder) Next(k Kind) *Event {
	r.seq++
	if !r.wants.Has(k) {
		return nil
	}
	r.cur = Event{Kind: k}
	return &r.cur
}

// Record stamps e, which Next returned, with its sequence number and the
// current virtual time, and passes it to every sink that wants its kind.
func (r *Recorder) Record(e *Event) { r.record(e) }

// record stamps e, the recorder's own, with its sequence number and the
// current virtual time, and passes it to every sink that wants its kind.
func (r *Recorder) record(e *Event) {
	e.Seq = r.seq
	e.T = *r.clock
	if r.text.Has(e.Kind) && e.Msg.numbered() {
		e.Msg.ID, e.Msg.Key = r.textOf(&e.Msg)
	}
	if e.Kind >= numKinds {
		r.sink.Event(e)
		return
	}
	for _, s := range r.by[e.Kind] {
		s.Event(e)
	}
}

// textOf returns the id and key of a numbered message, made once for all
// its events while it is in flight.
func (r *Recorder) textOf(m *Msg) (id, key string) {
	if r.names == nil {
		// 48 KB: a run without numbered messages, or with no sink that
		// reads their text (each run of a sweep), spares it.
		r.names = new([1 << 10]madeText)
	}
	t := &r.names[m.Num&(uint64(len(r.names))-1)]
	if t.num != m.Num || t.names != m.Names {
		t.num, t.names = m.Num, m.Names
		t.id, t.key = m.Names.Text(m.Num)
	}
	return t.id, t.key
}

// Wants reports whether some sink wants events of kind k.
func (r *Recorder) Wants(k Kind) bool { return r.wants.Has(k) }

// Count returns how many events were emitted.
func (r *Recorder) Count() int64 { return r.seq }
