package trace

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"
)

// DefaultWidth is how many columns the text trace keeps within.
const DefaultWidth = 100

// TextOptions set how the text trace looks.
type TextOptions struct {
	Color    bool // draw with ANSI colors
	Color256 bool // the terminal has 256 colors: actors get one each
	Quiet    bool // show only the header and the summary
	Width    int  // columns to keep within; 0 means DefaultWidth
	// Explain shows each event's Why under it, indented.
	Explain bool
	// Brief leaves the summary's tables out, keeping its totals and checks.
	Brief bool
}

// Text renders events for a person: a header, one aligned line per event
// (time, actor, kind, message, note), then the summary.
type Text struct {
	w    io.Writer
	opt  TextOptions
	buf  []byte
	err  error
	note []byte          // a note made for one line ("took 5ms · …"), reused
	said map[string]bool // the explanations shown already

	actors byName[actorLook]
	colors int // how many actors have a color so far
	actorW int // width of the actor column
	msgCol int // column where the message starts
	kinds  [numKinds]style
	class  [len(classes)]style
	dim    style // what is there to find, not to read first: times, legends
	bold   style
	good   style
	bad    style
	// Notes and explanations have no style: they are to be read, so they
	// are never dimmed, and a note's line holds no escape to measure.

	// kindLabels are the kind column's labels, by kind (a last row for a
	// kind with none), then 0 for no message or 1+class (see who).
	kindLabels [numKinds + 1][1 + len(classes)]label
	fit        []byte // a line being wrapped, reused
	wholeLines bool   // for tests: measure every line that may pass the width whole
	heads      [1 << memoBits]msgHead
	whos       [1 << whoBits]lineWho
	numHeads   [1 << memoBits]msgHead // the heads of numbered messages, by their number's low bits
	lastT      time.Duration          // the time of the last line, and its column
	lastUs     uint64                 // lastT in microseconds, when lastT >= 0
	lastTime   label
	lastNote   struct {
		s      string
		cols   int
		simple bool   // valid UTF-8 with no escape and no line break: a column a rune
		after  []byte // " · " and the note, as it follows a handler's time
	}
}

const (
	timeWidth = 11 // "99999.999ms"
	kindWidth = 14 // symbol, space, "dead-letter", two spaces
	idWidth   = 3  // message ids are padded to this, so short ones line up

	// The actor column fits the longest name the run event lists, within
	// these bounds; a longer name pushes its line to the right.
	minActorWidth = 8
	maxActorWidth = 20

	minNoteRoom = 20 // a note that must wrap starts on its own line when less room is left
)

// NewText returns a Text renderer writing to w.
func NewText(w io.Writer, opt TextOptions) *Text {
	if opt.Width <= 0 {
		opt.Width = DefaultWidth
	}
	t := &Text{w: w, opt: opt}
	t.setActorWidth(12)
	t.setStyles()
	return t
}

// Event implements Sink.
func (t *Text) Event(e *Event) {
	switch {
	case e.Kind == Run:
		t.header(e)
	case e.Kind == Summary:
		t.summary(e.Report)
	case !t.opt.Quiet:
		m := e.AsMsg()
		t.line(&m, e.Why)
	}
	if len(t.buf) > 32<<10 || e.Kind == Summary {
		t.Flush()
	}
}

// Follow implements Follower: the line of an event every message has,
// as Event writes it.
func (t *Text) Follow(e *MsgEvent) {
	if !t.opt.Quiet {
		t.line(e, "")
	}
	if len(t.buf) > 32<<10 {
		t.Flush()
	}
}

// Numeric implements Numeric: the text of a numbered message's id and
// key is written from its number.
func (t *Text) Numeric() {}

// Flush writes what is buffered and returns the first write error.
func (t *Text) Flush() error {
	if len(t.buf) > 0 && t.err == nil {
		_, t.err = t.w.Write(t.buf)
	}
	t.buf = t.buf[:0]
	return t.err
}

func (t *Text) setActorWidth(n int) {
	t.actorW = min(max(n, minActorWidth), maxActorWidth)
	t.msgCol = timeWidth + 2 + t.actorW + 1 + kindWidth
}

func (t *Text) header(e *Event) {
	if len(e.Actors) > 0 {
		longest := 0
		for _, a := range e.Actors {
			longest = max(longest, utf8.RuneCountInString(a))
		}
		t.setActorWidth(longest)
		for _, a := range e.Actors { // colors in the order the run lists its actors
			t.actor(a)
		}
	}
	b := t.bold.append(t.buf, "msgplay "+e.Note)
	col := len("msgplay ") + len(e.Note)
	for _, p := range e.Params {
		item := p.Name + " " + p.Display()
		n := utf8.RuneCountInString(item)
		if col+3+n > t.opt.Width {
			b = append(b, "\n  "...)
			col = 2
		} else {
			b = append(b, " · "...)
			col += 3
		}
		b = append(b, item...)
		col += n
	}
	b = append(b, '\n')
	b = t.appendLegend(b)
	t.buf = append(b, "\n\n"...)
}

// legend says what the class tags mean.
var legend = []string{"cmd = command, expects an outcome", "evt = event, fire-and-forget", "rep = reply"}

// appendLegend writes the legend under the header, dimmed, on as many
// lines as the width needs.
func (t *Text) appendLegend(b []byte) []byte {
	b = append(b, t.dim.on...)
	col := 0
	for i, item := range legend {
		n := utf8.RuneCountInString(item)
		switch {
		case i == 0:
			b = append(b, "  "...)
			col = 2
		case col+3+n > t.opt.Width:
			b = append(b, "\n  "...)
			col = 2
		default:
			b = append(b, " · "...)
			col += 3
		}
		b = append(b, item...)
		col += n
	}
	return append(b, t.dim.off...)
}

// appendTime writes d as milliseconds with three decimals, right-aligned
// in timeWidth columns, without allocating: it runs once per line.
func appendTime(b []byte, d time.Duration) []byte {
	if d < 0 {
		return appendTimeBefore(b, int64(d/time.Microsecond))
	}
	us := uint64(d / time.Microsecond)
	var text [24]byte
	i := len(text) - len("ms")
	copy(text[i:], "ms")
	for range 3 {
		i--
		text[i] = byte('0' + us%10)
		us /= 10
	}
	i--
	text[i] = '.'
	for {
		i--
		text[i] = byte('0' + us%10)
		if us /= 10; us == 0 {
			break
		}
	}
	return append(appendSpaces(b, timeWidth-(len(text)-i)), text[i:]...) // ASCII: bytes are columns
}

// appendTimeBefore writes a time before the start of the run, which no
// run has, as such times were always written: the milliseconds, then
// the remainder's last two digits.
func appendTimeBefore(b []byte, us int64) []byte {
	var tmp, frac [24]byte
	s := strconv.AppendInt(tmp[:0], us/1000, 10)
	s = append(s, '.')
	s = append(s, strconv.AppendInt(frac[:0], us%1000+1000, 10)[1:]...)
	s = append(s, "ms"...)
	return append(appendSpaces(b, timeWidth-len(s)), s...)
}

func appendPadLeft(b []byte, s string, width int) []byte {
	for n := utf8.RuneCountInString(s); n < width; n++ {
		b = append(b, ' ')
	}
	return append(b, s...)
}

func appendPadRight(b []byte, st style, s string, width int) []byte {
	b = st.append(b, s)
	for n := utf8.RuneCountInString(s); n < width; n++ {
		b = append(b, ' ')
	}
	return b
}

// line writes one event's line, and under it, with --explain, why (the
// event's Why) when it was not shown already. It counts the columns it
// writes (at most as many as the bytes of the names and notes), so that
// only a line that may pass the width is measured again and wrapped.
func (t *Text) line(e *MsgEvent, why string) {
	start := len(t.buf)
	buf, cols := t.appendTimeColumn(t.buf, e.T)
	who := t.who(e)
	buf = appendPiece(buf, who.text)
	cols += who.cols
	col := t.msgCol // where the note starts, were the columns before it their usual width
	var head *msgHead
	if who.mark > 0 {
		head = t.msgHead(e.Msg)
		buf = appendPiece(buf, head.text)
		n := head.cols
		if to := who.to; to != nil {
			buf = appendPiece(buf, to.arrow)
			n += 3 + to.cols
		}
		col += n
		cols += n
	}
	note, n := e.Note, 0
	if note != "" {
		n = t.noteCols(note)
	}
	var made []byte // the note when this line makes it, built without allocating
	if e.Took > 0 {
		// Room for the time and the note after it, each copied as a piece.
		made = AppendDuration(append(slices.Grow(t.note[:0], 2*pieceRoom), "took "...), e.Took)
		took := len(made) // ASCII, but for the µ of "µs": two bytes, one column
		if bytes.HasSuffix(made, []byte("µs")) {
			took--
		}
		if note != "" {
			made = appendPiece(made, t.lastNote.after) // noteCols made it this note's
			took += 3
		}
		t.note, n = made, took+n
	}
	oneLine := true // no line break but the last
	broken := false // the note is written broken already: the line needs no fitting
	if n > 0 {
		spaced := false
		if head != nil {
			col += 2
			if col+n <= t.opt.Width || t.opt.Width-col >= minNoteRoom {
				buf = append(buf, "  "...)
				cols += 2
				spaced = true
			}
		}
		switch {
		case n <= t.opt.Width-col: // fits: what appendWrapped would write
			if spaced && cols+n > t.opt.Width && who.plain && head.exact() {
				if made == nil {
					made = append(t.note[:0], note...)
					t.note = made
				}
				if buf, broken = t.appendNoteBroken(buf, made, cols, n, note == "" || t.lastNote.simple); broken {
					break
				}
			}
			if made != nil {
				buf = appendPiece(buf, made)
			} else {
				buf = append(buf, note...)
			}
			cols += n
		default:
			if made != nil {
				// Read while the line is written, not kept, and not
				// written over meanwhile: a view of its bytes, not a copy.
				note = unsafe.String(unsafe.SliceData(made), len(made))
			}
			var first int
			buf, first = t.appendWrapped(buf, note, col, n, t.lastNote.simple || e.Note == "")
			// Only the first line may pass the width: its columns
			// before the note are at most cols.
			cols += first
			oneLine = false
		}
	}
	buf = append(trimSpaces(buf), '\n')
	if !broken && (cols > t.opt.Width || !oneLine && t.wholeLines) {
		buf = t.fitFrom(buf, start)
	}
	if t.opt.Explain && why != "" && !t.said[why] {
		// Each explanation once: the second drop for the same reason
		// teaches nothing the first did not.
		if t.said == nil {
			t.said = map[string]bool{}
		}
		t.said[why] = true
		buf = t.appendWhy(buf, why, t.msgCol)
	}
	t.buf = buf
}

// lineWho is the part of a line that says who did what, made once for
// each actor, receiver, kind and class of message a run shows: the
// actor and kind columns, "  worker-1 ● handle      ", and the receiver
// that follows the message, " → orders".
type lineWho struct {
	actor, receiver string
	kind            Kind
	mark            int // 0 for no message, else 1 + its class
	actorW          int // the width of the actor column it was made for
	text            []byte
	cols            int
	to              *actorLook // the receiver, when the line shows one
	plain           bool       // the names hold no escape or line break: their runes are their columns
}

// who returns the part of e's line that says who did what.
func (t *Text) who(e *MsgEvent) *lineWho {
	mark := 0
	if e.HasMsg() {
		mark = 1 + int(e.Msg.Class.known())
	}
	w, ok := twoWays(t.whos[:], whoSlot(e), func(w *lineWho) bool {
		return w.text != nil && w.kind == e.Kind && w.mark == mark && w.actorW == t.actorW &&
			same(w.actor, e.Actor) && same(w.receiver, e.To)
	})
	if ok {
		return w
	}
	spare := w.text
	*w = lineWho{actor: e.Actor, receiver: e.To, kind: e.Kind, mark: mark, actorW: t.actorW}
	actor := t.look(e.Actor)
	b, n := t.appendActorColumn(append(roomy(spare), "  "...), actor, e.Actor)
	kind := &t.kindLabels[min(e.Kind, numKinds)][mark]
	w.text, w.cols = append(append(b, ' '), kind.text...), 2+n+1+kind.cols
	w.plain = actor.plain
	if mark > 0 && e.To != "" && e.Kind.carries() {
		w.to = t.look(e.To)
		w.plain = w.plain && w.to.plain
	}
	return w
}

// appendTimeColumn writes the time column, dimmed, and returns how many
// columns it took. A time like the last line's (a delivery at the time
// of its send) is copied; a later one is written over the last one's
// digits, only those that differ (see setDecimal), while they keep
// within the column.
func (t *Text) appendTimeColumn(b []byte, d time.Duration) ([]byte, int) {
	made := t.lastTime.text != nil && d == t.lastT
	if !made && t.lastTime.text != nil && d > t.lastT && t.lastT >= 0 {
		last := len(t.lastTime.text) - len(t.dim.off) - len("ms") - 1
		us := uint64(d / time.Microsecond)
		made = setDecimal(t.lastTime.text, len(t.dim.on), last, t.lastUs, us, true)
		t.lastUs = us
	}
	if !made {
		b := append(roomy(t.lastTime.text), t.dim.on...)
		n := len(b)
		b = appendTime(b, d)
		n = len(b) - n
		t.lastTime = label{append(b, t.dim.off...), n}
		t.lastUs = uint64(d / time.Microsecond)
	}
	t.lastT = d
	return appendPiece(b, t.lastTime.text), t.lastTime.cols
}
