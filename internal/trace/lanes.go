package trace

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// LanesOptions set how the lanes view looks.
type LanesOptions struct {
	Color   bool
	Quiet   bool // show only the header and the summary
	Explain bool // show each event's Why under it
	Width   int  // columns to keep within; 0 means DefaultWidth
	// Only, when set, are the actors drawn as lanes from the start (the
	// --only actors); the others join as they first take part.
	Only []string
	// Stream draws each event the moment it comes (for --step). Otherwise
	// the events of the first instant (at most a few hundred) are read
	// before the lanes are laid out, so the lanes come in the order the
	// actors first take part: producer, queue, consumers.
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
	pending []Event  // the first instant's events, read before the layout
	laidOut bool
	names   []string
	index   map[string]int
	laneW   int
	noFit   bool // the actors cannot fit: events are shown as text lines
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
	minLabel     = 24 // the label at the right keeps at least this room
	wantLabel    = 44 // and this much when the lanes can be narrower
	lookahead    = 256
)

// NewLanes returns a Lanes renderer writing to w.
func NewLanes(w io.Writer, opt LanesOptions) *Lanes {
	if opt.Width <= 0 {
		opt.Width = DefaultWidth
	}
	t := NewText(w, TextOptions{Color: opt.Color, Quiet: opt.Quiet, Width: opt.Width, Explain: opt.Explain})
	return &Lanes{w: w, opt: opt, text: t, index: map[string]int{}, laneSty: t.dim}
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
	case !l.laidOut && !l.opt.Stream && len(l.pending) < lookahead &&
		(len(l.pending) == 0 || e.T == l.pending[0].T):
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

// layout picks the lanes — the actors of the first instant in the order
// they take part, then the others the run lists — and their width, draws
// the legend and the names, then the events read so far.
func (l *Lanes) layout() {
	if l.laidOut || l.opt.Quiet {
		return
	}
	l.laidOut = true
	add := func(a string) {
		if _, ok := l.index[a]; !ok && a != "" {
			l.index[a] = len(l.names)
			l.names = append(l.names, a)
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
	n := max(len(l.names), 1)
	longest := 0
	for _, a := range l.names {
		longest = max(longest, utf8.RuneCountInString(a))
	}
	l.laneW = min(max(longest+2, minLaneWidth), maxLaneWidth)
	if laneLeft+n*l.laneW+wantLabel > l.opt.Width {
		l.laneW = max(min(l.laneW, (l.opt.Width-laneLeft-minLabel)/n), minLaneWidth)
	}
	if n*minLaneWidth > l.opt.Width-laneLeft-minLabel {
		l.noFit = true
		msg := "lanes: " + strconv.Itoa(n) + " actors do not fit in " + strconv.Itoa(l.opt.Width) +
			" columns; pick some with " + onlyHint(l.names)
		l.buf = l.text.dim.append(l.buf, msg)
		l.buf = append(l.buf, '\n', '\n')
	} else {
		legend := " "
		for _, item := range lanesLegend {
			if utf8.RuneCountInString(legend)+2+utf8.RuneCountInString(item) > l.opt.Width {
				break
			}
			legend += " " + item
		}
		b := l.text.dim.append(l.buf, legend)
		l.buf = l.appendNames(append(b, '\n'))
	}
	pending := l.pending
	l.pending = nil
	for i := range pending {
		l.Event(&pending[i])
	}
}

// appendNames writes the lane names, each shortened to fit and centred on
// its lane.
func (l *Lanes) appendNames(b []byte) []byte {
	b = appendSpaces(b, laneLeft)
	col := laneLeft
	for i, name := range l.names {
		short := shorten(name, l.laneW-1)
		n := utf8.RuneCountInString(short)
		start := laneLeft + i*l.laneW + l.laneW/2 - n/2
		start = max(start, col)
		b = appendSpaces(b, start-col)
		b = l.text.actor(name).append(b, short)
		col = start + n
	}
	return append(b, '\n')
}

// shorten fits name into width columns, keeping its start and its end
// (where worker numbers are) around an ellipsis.
func shorten(name string, width int) string {
	r := []rune(name)
	if len(r) <= width {
		return name
	}
	if width < 3 {
		return string(r[:width])
	}
	tail := (width - 1) / 2
	head := width - 1 - tail
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// lane returns the lane of an actor, adding one for a newcomer when there
// is room, and -1 when there is none.
func (l *Lanes) lane(name string) int {
	if name == "" {
		return -1
	}
	if i, ok := l.index[name]; ok {
		return i
	}
	if laneLeft+(len(l.names)+1)*l.laneW+minLabel > l.opt.Width {
		return -1
	}
	l.index[name] = len(l.names)
	l.names = append(l.names, name)
	l.buf = l.appendNames(l.buf)
	return len(l.names) - 1
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
	width := len(l.names) * l.laneW
	if cap(l.cells) < width {
		l.cells = make([]cell, width)
	}
	cells := l.cells[:width]
	for i := range cells {
		cells[i] = cell{' ', nil}
	}
	for i := range l.names {
		cells[i*l.laneW+l.laneW/2] = cell{'│', &l.laneSty}
	}
	look := &l.text.kinds[e.Kind.known()]
	if c := e.Msg.Class.known(); byClassStyle(e) && c != NoClass {
		look = &l.text.class[c]
	}
	label := ""
	switch {
	case isArrow && from >= 0 && to >= 0 && from != to:
		a, b := from*l.laneW+l.laneW/2, to*l.laneW+l.laneW/2
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
	case from >= 0:
		sym, _ := utf8.DecodeRuneInString(e.Kind.info().symbol)
		if isArrow {
			sym = st.right
			label = "→ " + e.To + " "
		}
		cells[from*l.laneW+l.laneW/2] = cell{sym, look}
	case isArrow && to >= 0:
		cells[to*l.laneW+l.laneW/2] = cell{st.right, look}
		label = e.Actor + " → "
	default:
		label = e.Actor + " "
	}

	b := l.text.appendTimeStyled(l.buf, e.T)
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
	b = append(b, ' ', ' ')
	b = l.appendLabel(b, e, label, look, l.opt.Width-laneLeft-width-2)
	b = append(b, '\n')
	if l.opt.Explain && e.Why != "" {
		b = l.text.appendWhy(b, e.Why, laneLeft+2)
	}
	l.buf = b
}

// appendLabel writes what an event is about within room columns: the
// kind, the message and the note, cut with an ellipsis when too long.
func (l *Lanes) appendLabel(b []byte, e *Event, prefix string, look *style, room int) []byte {
	kind := e.Kind.String()
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
	rest := sb.String()
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

// onlyHint suggests --only flags for the first lanes.
func onlyHint(names []string) string {
	s := "--only " + names[0]
	if len(names) > 1 {
		s += " --only " + names[1]
	}
	return s
}
