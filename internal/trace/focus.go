package trace

import "strconv"

// Focus is a sink that passes on only the events a reader asked to see: with
// actors, those in which one of them takes part (as the actor or the
// receiver); with a message to follow, those about it, matched by message id
// or by business key, and what caused them: the faults, and the crash and
// restart of the actor holding it. The run and summary events always pass, so the summary
// still counts everything when the statistics read the unfiltered stream.
type Focus struct {
	next   Sink
	only   map[string]bool
	follow string
	seen   map[string]bool
	kept   int
	holder string // with follow: the actor the message was last delivered to, until settled
}

// Kept returns how many events other than the run and the summary passed.
func (f *Focus) Kept() int { return f.kept }

// NewFocus returns a Focus passing events on to next. An empty only keeps
// every actor; an empty follow keeps every message.
func NewFocus(next Sink, only []string, follow string) *Focus {
	f := &Focus{next: next, follow: follow, seen: map[string]bool{}}
	if len(only) > 0 {
		f.only = map[string]bool{}
		for _, a := range only {
			f.only[a] = true
		}
	}
	return f
}

// Keep reports whether e passes the focus.
func (f *Focus) Keep(e *Event) bool {
	if e.Kind == Run || e.Kind == Summary {
		return true
	}
	if f.only != nil && !f.only[e.Actor] && !f.only[e.To] {
		return false
	}
	if f.follow != "" && !f.about(e) {
		return f.causes(e)
	}
	return true
}

// about reports whether e names the message followed.
func (f *Focus) about(e *Event) bool {
	return e.HasMsg() && (e.Msg.ID == f.follow || e.Msg.Key == f.follow)
}

// causes reports whether e, which does not name the message followed,
// still shapes its life: a fault, or a crash or restart of the actor that
// holds it.
func (f *Focus) causes(e *Event) bool {
	switch e.Kind {
	case Fault:
		return true
	case Crash, Restart:
		return f.holder != "" && e.Actor == f.holder
	}
	return false
}

// track follows who holds the message followed.
func (f *Focus) track(e *Event) {
	if f.follow == "" || !f.about(e) {
		return
	}
	switch e.Kind {
	case Deliver, Call:
		f.holder = e.To
	case Ack, Nack, DeadLetter, Drop, Timeout:
		f.holder = ""
	}
}

// Wants implements Choosy: with no actor or message to focus on, what
// the next sink wants; else every kind, to count what passes.
func (f *Focus) Wants() Kinds {
	if f.only == nil && f.follow == "" {
		return WantsOf(f.next)
	}
	return AllKinds
}

// textKinds says for which kinds Focus needs a numbered message's text:
// every kind when it follows one by its id or key, else those the next
// sink needs.
func (f *Focus) textKinds() Kinds {
	if f.follow != "" {
		return AllKinds
	}
	return textWants(f.next)
}

// Event implements Sink.
func (f *Focus) Event(e *Event) {
	f.track(e)
	if !f.Keep(e) {
		return
	}
	if e.Kind != Run && e.Kind != Summary {
		f.kept++
	}
	if f.only != nil && e.Kind != Run && e.Kind != Summary {
		// Only the actors asked for need watching, for Unseen.
		if f.only[e.Actor] {
			f.seen[e.Actor] = true
		}
		if f.only[e.To] {
			f.seen[e.To] = true
		}
	}
	f.next.Event(e)
}

// Unseen returns the actors asked for that took part in no event passed
// on, in the order given: most likely a misspelt name.
func (f *Focus) Unseen(only []string) []string {
	var out []string
	for _, a := range only {
		if !f.seen[a] {
			out = append(out, a)
		}
	}
	return out
}

// Cap is a sink that passes on the run event, the first Max other events
// and the summary; before the summary it adds a note saying how many events
// it left out, when it left any.
type Cap struct {
	// NoNote leaves the note out, for JSON, whose sequence numbers must
	// keep increasing.
	NoNote bool

	next    Sink
	max     int64
	passed  int64
	skipped int64
}

// NewCap returns a Cap passing at most max events (besides the run and the
// summary) on to next.
func NewCap(next Sink, max int) *Cap { return &Cap{next: next, max: int64(max)} }

// textKinds says for which kinds Cap needs a numbered message's text:
// those the next sink needs.
func (c *Cap) textKinds() Kinds { return textWants(c.next) }

// Event implements Sink.
func (c *Cap) Event(e *Event) {
	switch {
	case e.Kind == Run:
	case e.Kind == Summary:
		if c.skipped > 0 && !c.NoNote {
			n := Event{Seq: e.Seq, T: e.T, Kind: Note, Actor: "msgplay", Note: strconv.FormatInt(c.skipped, 10) +
				" more events not drawn (--max-events " + strconv.FormatInt(c.max, 10) + ")"}
			c.next.Event(&n)
		}
	case c.passed >= c.max:
		c.skipped++
		return
	default:
		c.passed++
	}
	c.next.Event(e)
}
