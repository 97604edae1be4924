package trace

import (
	"bytes"
	"io"
	"strconv"
	"strings"
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
	prose  style // notes and explanations: to be read, so never dimmed
	bold   style
	good   style
	bad    style

	// kindLabels are the kind column's labels, by kind (a last row for a
	// kind with none), then 0 for no message or 1+class (see who).
	kindLabels [numKinds + 1][1 + len(classes)]label
	fit        []byte // a line being wrapped, reused
	wholeLines bool   // for tests: measure every line that may pass the width whole
	heads      [1 << memoBits]msgHead
	whos       [1 << memoBits]lineWho
	numHeads   [1 << memoBits]msgHead // the heads of numbered messages, by their number's low bits
	lastT      time.Duration          // the time of the last line, and its column
	lastTime   label
	lastNote   struct {
		s      string
		cols   int
		simple bool // valid UTF-8 with no escape and no line break: a column a rune
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
		t.line(e)
	}
	if len(t.buf) > 32<<10 || e.Kind == Summary {
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

// line writes one event's line. It counts the columns it writes (at most
// as many as the bytes of the names and notes), so that only a line that
// may pass the width is measured again and wrapped.
func (t *Text) line(e *Event) {
	start := len(t.buf)
	buf, cols := t.appendTimeColumn(t.buf, e.T)
	who := t.who(e)
	buf = append(buf, who.text...)
	cols += who.cols
	col := t.msgCol // where the note starts, were the columns before it their usual width
	var head *msgHead
	if who.mark > 0 {
		head = t.msgHead(&e.Msg)
		buf = append(buf, head.text...)
		n := head.cols
		if to := who.to; to != nil {
			buf = append(buf, to.arrow...)
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
		made = AppendDuration(append(t.note[:0], "took "...), e.Took)
		took := utf8.RuneCount(made)
		if note != "" {
			made = append(append(made, " · "...), note...)
			took += 3 // " · "
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
			buf = append(buf, t.prose.on...)
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
				buf = append(buf, made...)
			} else {
				buf = append(buf, note...)
			}
			buf = append(buf, t.prose.off...)
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
	if t.opt.Explain && e.Why != "" && !t.said[e.Why] {
		// Each explanation once: the second drop for the same reason
		// teaches nothing the first did not.
		if t.said == nil {
			t.said = map[string]bool{}
		}
		t.said[e.Why] = true
		buf = t.appendWhy(buf, e.Why, t.msgCol)
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
func (t *Text) who(e *Event) *lineWho {
	mark := 0
	if e.HasMsg() {
		mark = 1 + int(e.Msg.Class.known())
	}
	i := slot(addr(e.Actor)+31*addr(e.To)+uint64(e.Kind)) &^ 1
	if w := twoWays(t.whos[:], i, func(w *lineWho) bool {
		return w.text != nil && w.kind == e.Kind && w.mark == mark && w.actorW == t.actorW &&
			same(w.actor, e.Actor) && same(w.receiver, e.To)
	}); w != nil {
		return w
	}
	spare := t.whos[i+1].text
	t.whos[i+1] = t.whos[i]
	w := &t.whos[i]
	*w = lineWho{actor: e.Actor, receiver: e.To, kind: e.Kind, mark: mark, actorW: t.actorW}
	actor := t.look(e.Actor)
	b, n := t.appendActorColumn(append(spare[:0], "  "...), actor, e.Actor)
	kind := &t.kindLabels[min(e.Kind, numKinds)][mark]
	w.text, w.cols = append(append(b, ' '), kind.text...), 2+n+1+kind.cols
	w.plain = actor.plain
	if mark > 0 && e.To != "" && e.Kind.carries() {
		w.to = t.look(e.To)
		w.plain = w.plain && w.to.plain
	}
	return w
}

// appendNoteBroken writes a note that starts at column col, on a line
// whose columns before it are exact and hold no escape, after two
// spaces, broken where fitFrom would break the whole line, and reports
// whether it did; when it did not (the note has a line break or ends in
// a space, its style writes escapes, or the line breaks before the
// note), it writes nothing. The last place to break the line, when
// there is one in the note, is found from the note alone: the last space
// breakAt would find in the whole line. It spares writing the line, then
// measuring and copying it again.
//
// A simple note (see noteCols) of n columns is searched from its end: the
// last space that fits is most often a word or two before it.
func (t *Text) appendNoteBroken(b, note []byte, col, n int, simple bool) ([]byte, bool) {
	if t.wholeLines || t.prose.on != "" || t.prose.off != "" || len(note) == 0 || note[len(note)-1] == ' ' ||
		bytes.IndexByte(note, '\n') >= 0 {
		return b, false
	}
	width := t.opt.Width
	indent := min(t.msgCol+2, width-minNoteRoom)
	var cut int
	var wide bool
	if simple && col > 0 {
		cut, wide = lastBreak(note, col+n, width, indent)
	} else {
		cut, wide = breakAt(note, col, width, indent, false)
	}
	switch {
	case !wide:
		return append(b, note...), true
	case cut < 0:
		return b, false
	}
	b, rest := appendBreak(b, note, cut, indent)
	return appendBroken(b, rest, max(indent, 0), width, indent, false), true
}

// lastBreak returns what breakAt returns for a line that starts after a
// space, holds valid UTF-8 with no escape and no line break, and ends at
// column end: found from its end, counting a column a rune.
func lastBreak(line []byte, end, width, indent int) (cut int, wide bool) {
	if end <= width {
		return -1, false
	}
	col := end
	for i := len(line) - 1; i > 0 && col > indent; i-- {
		c := line[i]
		if c&0xc0 == 0x80 {
			continue // within a rune
		}
		col-- // the column of the rune at i
		if c != ' ' || col > width {
			continue
		}
		// No break after a space, nor after an arrow: "→ orders" stays whole.
		if p := line[i-1]; col > indent && p != ' ' && !(i >= 3 && p == 0x92 && line[i-2] == 0x86 && line[i-3] == 0xe2) {
			return i, true
		}
	}
	return -1, true
}

// noteCols returns the runes of a note, counted again only when the note
// is not the last one counted: most events of a run say the same few.
func (t *Text) noteCols(note string) int {
	if note == "" {
		return 0 // most lines have none: the last note stays
	}
	if !same(note, t.lastNote.s) {
		t.lastNote.s, t.lastNote.cols = note, utf8.RuneCountInString(note)
		t.lastNote.simple = utf8.ValidString(note) && !strings.ContainsAny(note, "\x1b\n")
	}
	return t.lastNote.cols
}

// fitFrom wraps the lines of b from start that pass the width, through a
// buffer kept for it, so wrapping allocates nothing.
func (t *Text) fitFrom(b []byte, start int) []byte {
	t.fit = appendFitLines(t.fit[:0], b[start:], t.opt.Width, t.msgCol+2, false)
	return append(b[:start], t.fit...)
}

// whyMark opens an explanation line of --explain.
const whyMark = "» "

// appendWhy writes an event's explanation on lines of its own, starting at
// column indent, wrapped to the width.
func (t *Text) appendWhy(b []byte, why string, indent int) []byte {
	indent = min(indent, t.opt.Width-minNoteRoom-len(whyMark))
	room := t.opt.Width - indent - utf8.RuneCountInString(whyMark)
	first := true
	for why != "" {
		b = appendSpaces(b, indent)
		b = append(b, t.prose.on...)
		if first {
			b = append(b, whyMark...)
		} else {
			b = append(b, "  "...)
		}
		first = false
		cut := len(why)
		if utf8.RuneCountInString(why) > room {
			cut, _ = wrapAt(why, room)
		}
		b = append(b, strings.TrimRight(why[:cut], " ")...)
		b = append(b, t.prose.off...)
		b = append(b, '\n')
		why = strings.TrimLeft(why[cut:], " ")
	}
	return b
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
		made = setDecimal(t.lastTime.text, len(t.dim.on), last, uint64(t.lastT/time.Microsecond), uint64(d/time.Microsecond), true)
	}
	if !made {
		b := append(t.lastTime.text[:0], t.dim.on...)
		n := len(b)
		b = appendTime(b, d)
		n = len(b) - n
		t.lastTime = label{append(b, t.dim.off...), n}
	}
	t.lastT = d
	return append(b, t.lastTime.text...), t.lastTime.cols
}

// msgHead is the start of a message's part of a line, as written for its
// last event, "m1  cmd PlaceOrder order-1001": the events of a message
// in flight repeat it.
type msgHead struct {
	id, typ, key string // for a numbered message (names set), what its id and key start with
	class        Class
	names        *Numbering
	num          uint64
	idEnd, keyAt int // for a numbered message: where its id's digits end, where its key's start (0: no key)
	text         []byte
	cols         int // its columns, a byte of the id, type and key counted as one
	ascii        int // 1 when the id, type and key are printable ASCII, so cols are exact; -1 when not; 0 not known yet
}

// exact reports whether the head's columns are exact: its id, type and
// key are printable ASCII, a byte a column.
func (h *msgHead) exact() bool {
	if h.ascii == 0 {
		ascii := func(s string) bool { return plainJSON(s) == len(s) }
		h.ascii = -1
		if ascii(h.id) && ascii(h.typ) && ascii(h.key) {
			h.ascii = 1
		}
	}
	return h.ascii > 0
}

// msgHead returns the start of m's part of a line, made when m's is not
// among the heads made lately.
func (t *Text) msgHead(m *Msg) *msgHead {
	if m.ID == "" && m.Names != nil {
		return t.numHead(m)
	}
	i := slot(addr(m.ID)) &^ 1
	if h := twoWays(t.heads[:], i, func(h *msgHead) bool {
		return h.text != nil && h.class == m.Class && same(h.id, m.ID) && same(h.typ, m.Type) && same(h.key, m.Key)
	}); h != nil {
		return h
	}
	spare := t.heads[i+1].text
	t.heads[i+1] = t.heads[i]
	h := &t.heads[i]
	*h = msgHead{id: m.ID, typ: m.Type, key: m.Key, class: m.Class}
	h.text, h.cols = t.appendMsgHead(spare[:0], m)
	return h
}

// numHead returns the start of a numbered message's part of a line,
// found by its number, and made from it, not from the text of its id and
// key, when it is not the one of the last message of that number's slot.
//
// A later number of the same numbering, type and class (most often the
// one the slot held before, 256 less) is written over the digits of the
// head the slot holds, only those that differ.
func (t *Text) numHead(m *Msg) *msgHead {
	h := &t.numHeads[m.Num&(uint64(len(t.numHeads))-1)]
	if h.text != nil && h.names == m.Names && h.class == m.Class && same(h.typ, m.Type) {
		if h.num == m.Num {
			return h
		}
		if m.Num > h.num && h.renumber(m.Num) {
			return h
		}
	}
	spare := h.text
	*h = msgHead{id: m.Names.ID, typ: m.Type, key: m.Names.Key, class: m.Class, names: m.Names, num: m.Num}
	h.text, h.cols = t.appendMsgHead(spare[:0], m)
	h.idEnd = len(h.id) + decimalDigits(m.Num)
	if h.key != "" {
		h.keyAt = len(h.text) - decimalDigits(m.Names.KeyFrom+m.Num)
	}
	return h
}

// renumber makes h, the head of a numbered message, the head of the
// later number num, by writing the digits of its id and key that differ,
// and reports whether they keep their places (when they do not, the head
// must be made again).
func (h *msgHead) renumber(num uint64) bool {
	key := h.names.KeyFrom
	if !setDecimal(h.text, len(h.id), h.idEnd-1, h.num, num, false) ||
		h.keyAt > 0 && !setDecimal(h.text, h.keyAt, len(h.text)-1, key+h.num, key+num, false) {
		return false // half written, perhaps: made again
	}
	h.num = num
	return true
}

// decimalDigits returns how many decimal digits n has.
func decimalDigits(n uint64) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}

// appendMsgHead writes the id, the class and type, and the key of m, and
// returns how many columns they took.
func (t *Text) appendMsgHead(b []byte, m *Msg) ([]byte, int) {
	st := t.class[m.Class.known()]
	start := len(b)
	id, key := m.ID, m.Key
	numbered := id == "" && m.Names != nil
	if numbered {
		id, key = m.Names.ID, m.Names.Key
		b = strconv.AppendUint(append(b, id...), m.Num, 10)
	} else {
		b = append(b, id...)
	}
	n := len(b) - start
	for ; n < idWidth; n++ {
		b = append(b, ' ')
	}
	b = append(b, ' ')
	b = append(b, st.on...)
	b = append(append(append(b, m.Class.info().tag...), ' '), m.Type...)
	b = append(b, st.off...)
	n += 1 + 4 + len(m.Type)
	if key != "" {
		k := len(b)
		b = append(append(b, ' '), key...)
		if numbered {
			b = strconv.AppendUint(b, m.Names.KeyFrom+m.Num, 10)
		}
		n += len(b) - k
	}
	return b, n
}

// noteIndent returns the column a note's own lines start at: the message
// column plus more, or, on a terminal too narrow to leave minNoteRoom
// columns there, as far left as it takes, so a note keeps whole words
// instead of a character a line.
func (t *Text) noteIndent(more int) int {
	return max(min(t.msgCol+more, t.opt.Width-minNoteRoom), 0)
}

// appendWrapped writes a note of n runes starting at column col,
// wrapping it onto lines indented to the message column so no line
// passes the width. It returns how many columns (runes) of the note it
// wrote on the line it started on, 0 when the note starts on a line of
// its own: the lines after that first one keep within the width. A
// simple note (see noteCols) is cut where wrapAt would cut it, found
// from its end.
func (t *Text) appendWrapped(b []byte, note string, col, n int, simple bool) ([]byte, int) {
	room := t.opt.Width - col
	first := -1 // not known yet
	if n > room && (room < minNoteRoom || firstWordPasses(note, room)) {
		b = append(trimSpaces(b), '\n')
		indent := t.noteIndent(0)
		b = appendSpaces(b, indent)
		room = max(t.opt.Width-indent, 1)
		first = 0
	}
	b = append(b, t.prose.on...)
	for n > room {
		cut, runes := -1, 0 // where to cut, and the runes before it
		if simple {
			cut, runes = lastSpaceWithin(note, n, room)
		}
		if cut < 0 {
			cut, _ = wrapAt(note, room)
			runes = utf8.RuneCountInString(note[:cut])
		}
		piece := strings.TrimRight(note[:cut], " ")
		b = append(b, piece...)
		if first < 0 {
			first = runes - (cut - len(piece))
		}
		b = append(b, t.prose.off...)
		b = append(b, '\n')
		b = appendSpaces(b, t.noteIndent(2))
		b = append(b, t.prose.on...)
		rest := strings.TrimLeft(note[cut:], " ")
		n -= runes + len(note) - cut - len(rest)
		note = rest
		room = max(t.opt.Width-t.noteIndent(2), 1)
	}
	b = append(b, note...)
	if first < 0 {
		first = n
	}
	return append(b, t.prose.off...), first
}

// firstWordPasses reports whether the first word of note has more than
// room runes.
func firstWordPasses(note string, room int) bool {
	if i := strings.IndexByte(note, ' '); i >= 0 {
		note = note[:i]
	}
	return len(note) > room && utf8.RuneCountInString(note) > room
}

// lastSpaceWithin returns what wrapAt finds when it finds a space, for a
// string of valid UTF-8 with n runes, more than room: the last space
// after the first byte among its first room runes, found from its end,
// and the runes before it; -1 when there is none.
func lastSpaceWithin(s string, n, room int) (cut, runes int) {
	for i := len(s) - 1; i > 0; i-- {
		c := s[i]
		if c&0xc0 == 0x80 {
			continue // within a rune
		}
		n-- // the runes before i
		if c == ' ' && n < room {
			return i, n
		}
	}
	return -1, 0
}

// wrapAt returns the byte index to cut s at so that the first part fits in
// room columns, at a space where there is one, and whether it found one.
func wrapAt(s string, room int) (int, bool) {
	cut, lastSpace, n := len(s), -1, 0
	for i, r := range s {
		if n == room {
			cut = i
			break
		}
		if r == ' ' {
			lastSpace = i
		}
		n++
	}
	if lastSpace > 0 {
		return lastSpace, true
	}
	return cut, false
}

// appendSpaces appends n spaces.
func appendSpaces(b []byte, n int) []byte {
	for ; n > len(spaces); n -= len(spaces) {
		b = append(b, spaces...)
	}
	if n > 0 {
		b = append(b, spaces[:n]...)
	}
	return b
}

// spaces is what appendSpaces copies.
const spaces = "                                                                "

// WrapWords breaks s into lines of at most width columns, at spaces; a
// word longer than width has a line of its own.
func WrapWords(s string, width int) []string {
	var lines []string
	var cur []string
	n := 0
	for _, w := range strings.Fields(s) {
		wl := utf8.RuneCountInString(w)
		if n > 0 && n+1+wl > width {
			lines = append(lines, strings.Join(cur, " "))
			cur, n = nil, 0
		}
		if n > 0 {
			n++
		}
		cur = append(cur, w)
		n += wl
	}
	if len(cur) > 0 {
		lines = append(lines, strings.Join(cur, " "))
	}
	return lines
}
