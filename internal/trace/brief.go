package trace

import (
	"strconv"
	"strings"
	"time"
)

// Brief is a sink that passes on only the events that carry a run's story
// and folds the bookkeeping into them, for --brief: a delivery, an ack and
// a transaction's begin and commit become words on the handle line they
// belong to ("order placed (delivered at 0s, acked)"); a topic's copies to
// its subscriptions become a count on the publish line; a burst of
// identical sends at one instant becomes one line (m1…m12). Everything
// else — sends, publishes, handles, crashes, restarts, timeouts, drops,
// dead letters, compensations, faults, skips, lost acks, calls — passes
// as it is. It sees the events of one virtual instant together before it
// passes them on, so what it folds need not come in order; Flush passes
// on what it holds. The statistics read the unfolded stream, so the
// summary still counts everything.
type Brief struct {
	next      Sink
	batch     []Event
	delivered map[string]delivery // by message id and receiver
}

// delivery is when a message was last delivered to a receiver, and which
// delivery it was.
type delivery struct {
	t       time.Duration
	attempt int
}

// NewBrief returns a Brief passing what it keeps on to next.
func NewBrief(next Sink) *Brief {
	return &Brief{next: next, delivered: map[string]delivery{}}
}

// Event implements Sink.
func (b *Brief) Event(e *Event) {
	if len(b.batch) > 0 && e.T != b.batch[0].T {
		b.Flush()
	}
	switch e.Kind {
	case Run:
		b.Flush()
		b.next.Event(e)
		return
	case Summary:
		b.Flush()
		b.next.Event(e)
		return
	case Deliver:
		if e.HasMsg() {
			b.delivered[e.Msg.ID+"\x00"+e.To] = delivery{e.T, e.Msg.Attempt}
		}
		return
	case Begin:
		return
	}
	b.batch = append(b.batch, *e)
}

// folded is what Flush learns about one kept event from the events it
// folds into it.
type folded struct {
	acked, committed bool
	copies           int
}

// Flush passes on the events held, folded.
func (b *Brief) Flush() {
	batch := b.batch
	if len(batch) == 0 {
		return
	}
	b.batch = b.batch[:0]
	keep := make([]bool, len(batch))
	info := make([]folded, len(batch))
	for i := range batch {
		keep[i] = true
	}
	for i := range batch {
		e := &batch[i]
		switch {
		case e.Kind == Ack && e.HasMsg():
			keep[i] = false
			if j := findHandle(batch, e); j >= 0 {
				info[j].acked = true
			}
		case e.Kind == Commit && e.HasMsg():
			if j := findHandle(batch, e); j >= 0 {
				keep[i] = false
				info[j].committed = true
			}
		case e.Kind == Ack:
			keep[i] = false
		case e.Kind == Send && e.HasMsg():
			// A topic's copy of an event it was just given counts on
			// the publish line.
			for j := i - 1; j >= 0; j-- {
				p := &batch[j]
				if p.Kind == Publish && p.To == e.Actor && p.Msg.ID == e.Msg.ID {
					keep[i] = false
					info[j].copies++
					break
				}
			}
		}
	}
	var out []Event
	var bursts []burst // of out's lines
	for i := range batch {
		if !keep[i] {
			continue
		}
		e := batch[i]
		switch e.Kind {
		case Handle:
			b.foldHandle(&e, info[i])
		case Publish:
			if n := info[i].copies; n > 0 {
				e.Note = joinNote(e.Note, "· "+plural(n, "copy"))
			}
		}
		if n := len(out); n > 0 && sameSend(&out[n-1], &e) && bursts[n-1].note == e.Note {
			bursts[n-1].add(&out[n-1], &e)
			continue
		}
		if n := len(out); n > 0 && e.Kind == Note && e.HasMsg() && out[n-1].Msg.ID == e.Msg.ID &&
			(e.Why == "" || out[n-1].Why == "") {
			out[n-1].Note = joinNote(out[n-1].Note, "· "+e.Note) // what its actor makes of it
			out[n-1].Why += e.Why
			continue
		}
		if n := len(out); n > 0 && sameFanOut(&out[n-1], &e) {
			out[n-1].To += ", " + e.To
			continue
		}
		out = append(out, e)
		bursts = append(bursts, burst{ids: []string{e.Msg.ID}, note: e.Note})
	}
	for i := range out {
		b.next.Event(&out[i])
	}
}

// sameFanOut reports whether b only sends a's message to one more
// receiver, as a leader replicating an entry does: one line names them all.
func sameFanOut(a, b *Event) bool {
	return a.Kind == b.Kind && a.Kind != Send && a.Kind != Publish && a.HasMsg() && a.T == b.T &&
		a.Actor == b.Actor && a.Msg == b.Msg && a.Note == b.Note && a.Why == b.Why &&
		a.To != "" && b.To != "" && a.To != b.To && b.Kind.carries()
}

// burst is a line standing for sends alike: their ids and the note they
// share.
type burst struct {
	ids  []string
	note string
}

// add folds the send e into the burst line l.
func (u *burst) add(l, e *Event) {
	u.ids = append(u.ids, e.Msg.ID)
	l.Msg.ID = span(u.ids)
	l.Msg.Key = ""
	l.Msg.Key = "" // the ids say which; keys would push the line past the width
	l.Note = joinNote(u.note, "· "+plural(len(u.ids), "message"))
}

// span writes names that count up one by one as "m1…m12", and others as
// a list: "o3,o5,o7".
func span(names []string) string {
	first, last := names[0], names[len(names)-1]
	prefix := commonPrefix(first, last)
	from, err1 := strconv.Atoi(first[len(prefix):])
	to, err2 := strconv.Atoi(last[len(prefix):])
	if err1 != nil || err2 != nil || to-from != len(names)-1 {
		return strings.Join(names, ",")
	}
	for i, n := range names {
		if n != prefix+strconv.Itoa(from+i) {
			return strings.Join(names, ",")
		}
	}
	return first + "…" + last
}

// findHandle returns the index of the handle in batch of the message e
// settles, by the same actor, or -1.
func findHandle(batch []Event, e *Event) int {
	for j := range batch {
		h := &batch[j]
		if h.Kind == Handle && h.Actor == e.Actor && h.Msg.ID == e.Msg.ID {
			return j
		}
	}
	return -1
}

// foldHandle writes on a handle line what became of the message —
// "committed, acked", and which delivery it was when it was a redelivery —
// and leaves out how long the handler took, which the summary's tables
// tell.
func (b *Brief) foldHandle(e *Event, f folded) {
	e.Took = 0
	var parts []string
	if d, ok := b.delivered[e.Msg.ID+"\x00"+e.Actor]; ok && d.attempt >= 2 {
		parts = append(parts, "delivery #"+strconv.Itoa(d.attempt))
	}
	if f.committed {
		parts = append(parts, "committed")
	}
	if f.acked {
		parts = append(parts, "acked")
	}
	if len(parts) == 0 {
		return
	}
	e.Note = joinNote(e.Note, "· "+strings.Join(parts, ", "))
}

// sameSend reports whether b is one more of a burst of sends a began: the
// same sender, receiver, type and class, at the same instant.
func sameSend(a, b *Event) bool {
	return a.Kind == Send && b.Kind == Send && a.HasMsg() && b.HasMsg() && a.T == b.T &&
		a.Actor == b.Actor && a.To == b.To && a.Msg.Type == b.Msg.Type && a.Msg.Class == b.Msg.Class &&
		a.Why == "" && b.Why == ""
}

// commonPrefix returns the longest prefix of a and b that ends before a
// digit run they differ in, so m1 and m12 share "m".
func commonPrefix(a, b string) string {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	for n > 0 && a[n-1] >= '0' && a[n-1] <= '9' {
		n--
	}
	return a[:n]
}

// joinNote adds more, which may begin with "· ", to a note.
func joinNote(note, more string) string {
	if note == "" {
		return strings.TrimPrefix(more, "· ")
	}
	return note + " " + more
}

func plural(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "y"):
		return strconv.Itoa(n) + " " + noun[:len(noun)-1] + "ies"
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
