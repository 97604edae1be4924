package trace

import "time"

// Recorder numbers events, stamps them with the virtual time and hands them
// to its sinks in order. It is the single door through which a simulation
// speaks.
type Recorder struct {
	clock  *time.Duration // the virtual time, read at each event
	seq    int64
	sink   Sink             // every sink, for a kind beyond the table
	all    []Sink           // every sink, in order, for Reroute
	by     [numKinds][]Sink // the sinks that want each kind, in order
	wants  Kinds            // the kinds some sink wants: the others are numbered, then dropped
	text   Kinds            // the kinds some sink wants with the text of a numbered message
	cur    Event
	msg    MsgEvent             // the event of EmitMsg's narrow path
	follow [numKinds][]Follower // for each kind, the Followers that want it before any other sink does, then a teller if others do
	rest   [numKinds][]Sink     // for each kind, the sinks that want it after those: told the Event by the teller
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
	r := &Recorder{clock: clock, sink: s, all: []Sink{s}}
	if t, ok := s.(*tee); ok {
		r.all = t.sinks
	}
	r.Reroute()
	return r
}

// Reroute asks every sink again which kinds it wants (see Choosy) and
// routes the events to come anew: for a sink whose wants narrow during a
// run, such as one that explains the first event of a kind and then has
// nothing more to say, so that the kinds it leaves may take the narrow
// path. An event being told goes on to the sinks it was routed to.
func (r *Recorder) Reroute() {
	r.wants, r.text = 0, 0
	r.by, r.follow, r.rest = [numKinds][]Sink{}, [numKinds][]Follower{}, [numKinds][]Sink{}
	for _, s := range r.all {
		wants := WantsOf(s)
		r.wants |= wants
		r.text |= textWants(s)
		for k := range r.by {
			if !wants.Has(Kind(k)) {
				continue
			}
			r.by[k] = append(r.by[k], s)
			if f, ok := s.(Follower); ok && len(r.rest[k]) == 0 {
				r.follow[k] = append(r.follow[k], f)
				continue
			}
			if len(r.rest[k]) == 0 {
				r.follow[k] = append(r.follow[k], teller{r})
			}
			r.rest[k] = append(r.rest[k], s)
		}
	}
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
// actor to to. The Followers that want k before any other sink does take
// it on the narrow path, with m pointed at; for the sinks after them the
// event is made in place, with no copy, and only when there are some.
func (r *Recorder) EmitMsg(k Kind, actor, to string, m *Msg, attempt int, took time.Duration, note string) {
	if k >= numKinds {
		r.emitBeyond(k, actor, to, m, attempt, took, note)
		return
	}
	r.seq++
	e := &r.msg // filled even for no Follower: the Event is made from it
	e.Seq, e.T, e.Kind, e.Attempt = r.seq, *r.clock, k, attempt
	e.Actor, e.To, e.Msg, e.Took, e.Note = actor, to, m, took, note
	for _, f := range r.follow[k] {
		f.Follow(e)
	}
}

// teller is the last Follower of a kind that other sinks want after the
// Followers: it tells them the event as an Event, so the narrow path
// asks nothing more when there are none.
type teller struct{ r *Recorder }

func (t teller) Follow(e *MsgEvent) { t.r.emitMsgEvent(e) }
func (t teller) Event(*Event)       {} // never called: a teller is only a Recorder's
func (t teller) Numeric()           {}

// emitBeyond is EmitMsg for a kind beyond the table, which every sink is
// told as an Event: apart, so that the narrow path keeps a small frame.
func (r *Recorder) emitBeyond(k Kind, actor, to string, m *Msg, attempt int, took time.Duration, note string) {
	e := Event{Kind: k, Actor: actor, To: to, Msg: *m, Took: took, Note: note}
	e.Msg.Attempt = attempt
	r.Emit(e)
}

// emitMsgEvent tells m, the event of EmitMsg, as an Event to the sinks
// of its kind that do not take the narrow path.
func (r *Recorder) emitMsgEvent(m *MsgEvent) {
	// Field by field: every one is set, and the event is not cleared
	// first (TestEmitMsgLeavesNothingOfTheEventBefore holds it to that).
	// The fields a message event never has are cleared only when an
	// event before, or a sink, set one.
	e := &r.cur
	e.Msg = *m.Msg
	e.Msg.Attempt = m.Attempt
	e.Seq, e.T = m.Seq, m.T
	e.Kind, e.Actor, e.To, e.Took, e.Note = m.Kind, m.Actor, m.To, m.Took, m.Note
	if e.Why != "" || e.Writes != nil || e.Params != nil || e.Actors != nil || e.Report != nil {
		e.Why, e.Writes, e.Params, e.Actors, e.Report = "", nil, nil, nil, nil
	}
	if r.text.Has(e.Kind) && e.Msg.numbered() {
		e.Msg.ID, e.Msg.Key = r.textOf(&e.Msg)
	}
	for _, s := range r.rest[e.Kind] {
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
