package trace

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// LanesOptions set how the lanes view looks.
type LanesOptions struct {
	Color    bool
	Color256 bool // actors take colors from the 256-color palette
	Quiet    bool // show only the header and the summary
	Explain  bool // show each event's Why under it
	Width    int  // columns to keep within; 0 means DefaultWidth
	// Only, when set, are the actors drawn as lanes from the start (the
	// --only actors); the others join as they first take part. The events
	// come filtered to them, which hides how many consumers a queue has,
	// so every queue keeps a lane of its own.
	Only []string
	// AllQueues gives every queue a lane of its own (--lanes all). Without
	// it (and without Only) a queue that delivers to one consumer only, and
	// loses nothing, is drawn in its consumer's lane, as a legend line says.
	AllQueues bool
	// Stream draws each event soon after it comes (for --speed and
	// --step): only the events of the first instant are read before the
	// lanes are laid out. Otherwise the first few thousand events are read
	// first, so the layout knows which queues have one consumer and how
	// much room the labels need.
	Stream bool
}

// Lanes renders events as a sequence view for the terminal: one column (a
// lane) per actor with its name on top, one row per event, an arrow from
// the sender's lane to the receiver's drawn by what moves — a command, an
// event, a reply, an ack, a drop — and marks on an actor's own lane for
// what happens there (a crash, a commit, a timeout, a compensation). The
// virtual time is at the left, a label with the message at the right. The
// run header and the summary are the text renderer's.
type Lanes struct {
	w    io.Writer
	opt  LanesOptions
	text *Text
	buf  []byte
	err  error

	actors  []string // the run's actors, or the --only ones
	pending []Event  // the events read before the layout
	laidOut bool
	noFit   bool // the actors cannot fit: events are shown as text lines
	lanes   laneSet
	home    map[string]string // a folded queue → the consumer whose lane it is drawn in
	cells   []cell
	laneSty style
}

// cell is one column of a row being drawn.
type cell struct {
	r  rune
	st *style
}

const (
	laneLeft     = timeWidth + 1 // the lanes start after the time and a space
	minLaneWidth = 5
	maxLaneWidth = 12
	minLabel     = 22 // the label at the right keeps at least this room
	wantLabel    = 40 // and this much when shorter lane names make room
	maxLabel     = 64 // more room than this goes to spacing the lanes
	lookahead    = 4096
	labelGap     = 2 // spaces between the last lane and the label
)

// NewLanes returns a Lanes renderer writing to w.
func NewLanes(w io.Writer, opt LanesOptions) *Lanes {
	if opt.Width <= 0 {
		opt.Width = DefaultWidth
	}
	t := NewText(w, TextOptions{Color: opt.Color, Color256: opt.Color256, Quiet: opt.Quiet, Width: opt.Width,
		Explain: opt.Explain})
	return &Lanes{w: w, opt: opt, text: t, laneSty: t.dim}
}

// Event implements Sink.
func (l *Lanes) Event(e *Event) {
	switch {
	case e.Kind == Run:
		l.text.Event(e)
		l.text.Flush()
		l.actors = e.Actors
		if len(l.opt.Only) > 0 {
			l.actors = l.opt.Only
		}
	case e.Kind == Summary:
		l.layout()
		l.Flush()
		l.text.Event(e)
	case l.opt.Quiet:
	case !l.laidOut && len(l.pending) < lookahead &&
		(!l.opt.Stream || len(l.pending) == 0 || e.T == l.pending[0].T):
		c := *e
		c.Params, c.Actors, c.Report = nil, nil, nil
		l.pending = append(l.pending, c)
		return
	case !l.laidOut:
		l.layout()
		l.Event(e)
		return
	case l.noFit:
		l.text.Event(e)
		if len(l.text.buf) > 32<<10 {
			l.text.Flush()
		}
	default:
		l.row(e)
	}
	if len(l.buf) > 32<<10 {
		l.Flush()
	}
}

// Flush writes what is buffered and returns the first write error.
func (l *Lanes) Flush() error {
	if len(l.buf) > 0 && l.err == nil {
		_, l.err = l.w.Write(l.buf)
	}
	l.buf = l.buf[:0]
	if err := l.text.Flush(); l.err == nil {
		l.err = err
	}
	return l.err
}

// narrator is the actor of what msgplay itself says (a note, a fault it
// injects): it has no lane, its rows only a label.
const narrator = "msgplay"

// laneOf returns the actor whose lane a shows in: a folded queue's
// consumer, a itself, or "" for the narrator.
func (l *Lanes) laneOf(a string) string {
	if h, ok := l.home[a]; ok {
		return h
	}
	if a == narrator {
		return ""
	}
	return a
}

// layout picks the lanes — the actors of the events read so far in the
// order they take part, then the others the run lists — and their names
// and widths, draws the legends and the names, then the events read so
// far.
func (l *Lanes) layout() {
	if l.laidOut || l.opt.Quiet {
		return
	}
	l.laidOut = true
	if !l.opt.AllQueues && len(l.opt.Only) == 0 {
		l.home = foldQueues(l.pending)
	}
	var names []string
	seen := map[string]bool{}
	add := func(a string) {
		if a = l.laneOf(a); a != "" && !seen[a] {
			seen[a] = true
			names = append(names, a)
		}
	}
	for i := range l.pending {
		e := &l.pending[i]
		add(e.Actor)
		if IsArrow(e) {
			add(e.To)
		}
	}
	for _, a := range l.actors {
		add(a)
	}
	need := 0
	for i := range l.pending {
		need = max(need, l.labelWidth(&l.pending[i]))
	}
	room := l.opt.Width - laneLeft - labelGap
	if !l.lanes.fit(names, room, min(need, maxLabel)) {
		l.noFit = true
		msg := "lanes: " + strconv.Itoa(len(names)) + " actors do not fit in " + strconv.Itoa(l.opt.Width) +
			" columns; pick some with " + onlyHint(l.pending, names)
		l.buf = l.text.dim.append(l.buf, msg)
		l.buf = append(l.buf, '\n', '\n')
	} else {
		l.buf = l.appendLegends(l.buf)
		l.buf = l.appendNames(l.buf)
	}
	pending := l.pending
	l.pending = nil
	for i := range pending {
		l.Event(&pending[i])
	}
}

// appendLegends writes what the arrows mean, which queues are drawn in
// their consumer's lane, and what each short lane name stands for.
func (l *Lanes) appendLegends(b []byte) []byte {
	legend := " "
	for _, item := range lanesLegend {
		if utf8.RuneCountInString(legend)+2+utf8.RuneCountInString(item) > l.opt.Width {
			break
		}
		legend += " " + item
	}
	b = append(l.text.dim.append(b, legend), '\n')
	var defs []string
	for i, a := range l.lanes.names {
		if l.lanes.shown[i] != a {
			defs = append(defs, string(l.text.actor(a).append(nil, l.lanes.shown[i]))+" = "+a)
		}
	}
	if len(defs) > 0 {
		b = append(l.appendList(b, "", defs), '\n')
	}
	var folded []string
	for _, a := range l.lanes.names {
		for _, q := range sortedQueues(l.home, a) {
			// A queue named after its consumer needs no arrow to it.
			st := l.text.actor(a)
			item := st.append(nil, q)
			if !strings.Contains(q, a) {
				item = st.append(append(item, " → "...), l.lanes.shown[l.lanes.index(a)])
			}
			folded = append(folded, string(item))
		}
	}
	if len(folded) > 0 {
		b = l.appendList(b, "in their consumer's lane:", folded)
		b = append(l.appendList(b, "", []string{string(l.text.dim.append(nil, "(--lanes all: a lane each)"))}), '\n')
	}
	return b
}

// appendList writes title and the items (which may hold color escapes),
// " · " between them, wrapped to the width on lines indented by two; it
// leaves the last line open. An empty title continues the line before
// when the first item fits there.
func (l *Lanes) appendList(b []byte, title string, items []string) []byte {
	col := l.col(b)
	if title != "" || col == 0 {
		if col > 0 {
			b = append(b, '\n')
		}
		b = append(b, "  "+title...)
		col = 2 + utf8.RuneCountInString(title)
	}
	for i, it := range items {
		n := visibleWidth(it)
		sep := " · "
		if i == 0 {
			sep = " "
			if col == 2 {
				sep = ""
			}
		}
		if col+len(sep)+n > l.opt.Width && col > 2 {
			b = append(b, "\n  "...)
			col, sep = 2, ""
		}
		b = append(b, sep...)
		b = append(b, it...)
		col += utf8.RuneCountInString(sep) + n
	}
	return b
}

// col returns the column the last line of b ends at, without escapes.
func (l *Lanes) col(b []byte) int {
	if i := strings.LastIndexByte(string(b), '\n'); i >= 0 || len(b) == 0 {
		b = b[i+1:]
	}
	return visibleWidth(string(b))
}

// visibleWidth counts the columns of s, skipping ANSI escape sequences.
func visibleWidth(s string) int {
	n, esc := 0, false
	for _, r := range s {
		switch {
		case esc:
			esc = r != 'm'
		case r == '\x1b':
			esc = true
		default:
			n++
		}
	}
	return n
}

// appendNames writes the lane names, each centred on its lane.
func (l *Lanes) appendNames(b []byte) []byte {
	b = appendSpaces(b, laneLeft)
	col := laneLeft
	for i, name := range l.lanes.names {
		short := l.lanes.shown[i]
		n := utf8.RuneCountInString(short)
		start := laneLeft + l.lanes.mid[i] - n/2
		if i > 0 {
			start = max(start, col+1)
		}
		b = appendSpaces(b, start-col)
		b = l.text.actor(name).append(b, short)
		col = start + n
	}
	return append(b, '\n')
}

// lane returns the lane of an actor, adding one for a newcomer when there
// is room, and -1 when there is none.
func (l *Lanes) lane(name string) int {
	name = l.laneOf(name)
	if name == "" {
		return -1
	}
	if i := l.lanes.index(name); i >= 0 {
		return i
	}
	shown, ok := l.lanes.add(name, l.opt.Width-laneLeft-labelGap-minLabel)
	if !ok {
		return -1
	}
	if shown != name {
		l.buf = append(l.appendList(l.buf, "", []string{string(l.text.actor(name).append(nil, shown)) + " = " + name}), '\n')
	}
	l.buf = l.appendNames(l.buf)
	return len(l.lanes.names) - 1
}

// stroke is how an arrow is drawn: its line and its head.
type stroke struct {
	line        rune
	right, left rune
}

// arrow says how e is drawn when it goes from one lane to another, and
// false when it is a mark on its actor's own lane.
func arrow(e *Event) (stroke, bool) {
	m, ok := e.moves()
	if !ok {
		return stroke{}, false
	}
	head, _ := utf8.DecodeRuneInString(e.Kind.info().symbol)
	switch m {
	case byClass:
		return e.Msg.Class.info().stroke, true
	case classLine:
		return stroke{e.Msg.Class.info().stroke.line, head, head}, true
	case answer:
		return stroke{'╌', head, head}, true
	}
	return stroke{'─', head, head}, true
}

// row draws one event.
func (l *Lanes) row(e *Event) {
	from := l.lane(e.Actor)
	st, isArrow := arrow(e)
	to := -1
	if isArrow {
		to = l.lane(e.To)
	}
	width := l.lanes.width()
	if cap(l.cells) < width {
		l.cells = make([]cell, width)
	}
	cells := l.cells[:width]
	for i := range cells {
		cells[i] = cell{' ', nil}
	}
	mid := l.lanes.mid
	for _, m := range mid {
		cells[m] = cell{'│', &l.laneSty}
	}
	look := &l.text.kinds[e.Kind.known()]
	if c := e.Msg.Class.known(); byClassStyle(e) && c != NoClass {
		look = &l.text.class[c]
	}
	label := ""
	switch {
	case isArrow && from >= 0 && to >= 0 && from != to:
		a, b := mid[from], mid[to]
		if a < b {
			for c := a + 1; c < b-1; c++ {
				cells[c] = cell{st.line, look}
			}
			cells[b-1] = cell{st.right, look}
		} else {
			for c := b + 2; c < a; c++ {
				cells[c] = cell{st.line, look}
			}
			cells[b+1] = cell{st.left, look}
		}
	case isArrow && from >= 0 && from == to:
		// A queue folded into its consumer's lane: a delivery or a
		// settlement between the two is a mark on that lane.
		sym, _ := utf8.DecodeRuneInString(e.Kind.info().symbol)
		cells[mid[from]] = cell{sym, look}
	case from >= 0:
		sym, _ := utf8.DecodeRuneInString(e.Kind.info().symbol)
		if isArrow {
			sym = st.right
			label = "→ " + e.To + " "
		}
		cells[mid[from]] = cell{sym, look}
	case isArrow && to >= 0:
		cells[mid[to]] = cell{st.right, look}
		label = e.Actor + " → "
	case e.Actor != narrator:
		label = e.Actor + " "
	}

	b, _ := l.text.appendTimeColumn(l.buf, e.T)
	b = append(b, ' ')
	var cur *style
	for _, c := range cells {
		if c.st != cur {
			if cur != nil {
				b = append(b, cur.off...)
			}
			if c.st != nil {
				b = append(b, c.st.on...)
			}
			cur = c.st
		}
		b = utf8.AppendRune(b, c.r)
	}
	if cur != nil {
		b = append(b, cur.off...)
	}
	b = appendSpaces(b, labelGap)
	b = l.appendLabel(b, e, label, look, l.opt.Width-laneLeft-width-labelGap)
	b = append(b, '\n')
	if l.opt.Explain && e.Why != "" {
		b = l.text.appendWhy(b, e.Why, laneLeft+2)
	}
	l.buf = b
}

// labelRest returns what an event's label says after its kind: the
// message and the note.
func labelRest(e *Event, prefix string) string {
	var sb strings.Builder
	sb.WriteString(prefix)
	if e.HasMsg() {
		m := &e.Msg
		sb.WriteString(m.ID)
		sb.WriteByte(' ')
		sb.WriteString(m.Type)
		if m.Key != "" {
			sb.WriteByte(' ')
			sb.WriteString(m.Key)
		}
		if m.Attempt > 1 {
			sb.WriteString(" #")
			sb.WriteString(strconv.Itoa(m.Attempt))
		}
	}
	if e.Note != "" {
		if sb.Len() > len(prefix) {
			sb.WriteString(" · ")
		}
		sb.WriteString(e.Note)
	}
	return sb.String()
}

// labelWidth returns how many columns e's label takes uncut.
func (l *Lanes) labelWidth(e *Event) int {
	return utf8.RuneCountInString(e.Kind.String()) + 1 + utf8.RuneCountInString(labelRest(e, ""))
}

// appendLabel writes what an event is about within room columns: the
// kind, the message and the note, cut with an ellipsis when too long.
func (l *Lanes) appendLabel(b []byte, e *Event, prefix string, look *style, room int) []byte {
	kind := e.Kind.String()
	rest := labelRest(e, prefix)
	kn := utf8.RuneCountInString(kind)
	b = look.append(b, kind)
	room -= kn + 1
	if rest == "" || room < 2 {
		return b
	}
	b = append(b, ' ')
	if utf8.RuneCountInString(rest) > room {
		cut := 0
		for i := range rest {
			if room--; room == 0 {
				cut = i
				break
			}
		}
		return append(append(b, rest[:cut]...), "…"...)
	}
	return append(b, rest...)
}

// lanesLegend says what each arrow means, most important first.
var lanesLegend = []string{" ━▶ command", " ┈▷ event", " ╌▶ reply", " ╌✔ ack", " ─∅ drop", " ╌↩ nack", " ╌⊘ ack lost", " ☒ dead letter"}
