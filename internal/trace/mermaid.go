package trace

import (
	"io"
	"strconv"
	"strings"
)

// MermaidOptions set what the Mermaid diagram shows.
type MermaidOptions struct {
	Explain bool // add each event's Why as a note
}

// Mermaid renders events as a Mermaid sequenceDiagram, the kind GitHub
// draws from a ```mermaid block: participants in order of first appearance,
// numbered messages, a solid arrow for a command, an open (async) arrow for
// an event, a dashed arrow for a reply or an ack, a cross for a drop, and
// notes for what happens on one actor (crash, commit, timeout,
// compensation). Every label is escaped so no name, type or note can break
// the diagram.
type Mermaid struct {
	w   io.Writer
	opt MermaidOptions
	buf []byte
	err error

	ids   map[string]string
	order []string
}

// NewMermaid returns a Mermaid renderer writing to w.
func NewMermaid(w io.Writer, opt MermaidOptions) *Mermaid {
	return &Mermaid{w: w, opt: opt, ids: map[string]string{}}
}

// Flush writes what is buffered and returns the first write error.
func (m *Mermaid) Flush() error {
	if len(m.buf) > 0 && m.err == nil {
		_, m.err = m.w.Write(m.buf)
	}
	m.buf = m.buf[:0]
	return m.err
}

// participant returns the diagram's id of an actor, declaring it on first
// sight so participants come in order of first appearance.
func (m *Mermaid) participant(name string) string {
	if id, ok := m.ids[name]; ok {
		return id
	}
	id := "p" + strconv.Itoa(len(m.order)+1)
	m.ids[name] = id
	m.order = append(m.order, name)
	m.buf = append(m.buf, "    participant "+id+" as "...)
	m.buf = appendMermaidText(m.buf, name)
	m.buf = append(m.buf, '\n')
	return id
}

// mermaidArrow returns the arrow e is drawn with, and false when e is a note
// on its actor.
func mermaidArrow(e *Event) (string, bool) {
	m, ok := e.moves()
	if !ok {
		return "", false
	}
	if m == byClass || m == classLine {
		return e.Msg.Class.info().mermaid, true
	}
	return e.Kind.info().mermaid, true
}

// Event implements Sink.
func (m *Mermaid) Event(e *Event) {
	switch e.Kind {
	case Run:
		m.buf = append(m.buf, "sequenceDiagram\n    title "...)
		title := "msgplay " + e.Note
		for _, p := range e.Params {
			if p.Name == "seed" {
				title += " · seed " + p.Value
			}
		}
		m.buf = appendMermaidText(m.buf, title)
		m.buf = append(m.buf, "\n    autonumber\n"...)
	case Summary:
		m.summary(e.Report)
		m.Flush()
		return
	default:
		m.event(e)
	}
	if len(m.buf) > 32<<10 {
		m.Flush()
	}
}

func (m *Mermaid) event(e *Event) {
	label := mermaidLabel(e)
	if arrow, ok := mermaidArrow(e); ok {
		from, to := m.participant(e.Actor), m.participant(e.To)
		m.buf = append(m.buf, "    "+from+arrow+to+": "...)
		m.buf = appendMermaidText(m.buf, label)
		m.buf = append(m.buf, '\n')
	} else if e.Kind == Note && e.Actor == "msgplay" {
		m.note(e.Actor, e.Note)
	} else {
		m.note(e.Actor, e.Kind.info().symbol+" "+label)
	}
	if m.opt.Explain && e.Why != "" {
		m.note(e.Actor, "» "+e.Why)
	}
}

// note writes a note over an actor, or over every participant for
// msgplay's own notes.
func (m *Mermaid) note(actor, text string) {
	var over string
	if actor == "msgplay" || actor == "" {
		if len(m.order) == 0 {
			m.participant("msgplay")
		}
		over = m.ids[m.order[0]]
		if len(m.order) > 1 {
			over += "," + m.ids[m.order[len(m.order)-1]]
		}
	} else {
		over = m.participant(actor)
	}
	m.buf = append(m.buf, "    Note over "+over+": "...)
	m.buf = appendMermaidText(m.buf, text)
	m.buf = append(m.buf, '\n')
}

// mermaidLabel is the text of an event: its kind, its message and its note.
func mermaidLabel(e *Event) string {
	var sb strings.Builder
	sb.WriteString(e.Kind.String())
	if e.HasMsg() {
		msg := &e.Msg
		sb.WriteString(" " + msg.ID + " " + msg.Type)
		if msg.Key != "" {
			sb.WriteString(" " + msg.Key)
		}
		if msg.Attempt > 1 {
			sb.WriteString(" #" + strconv.Itoa(msg.Attempt))
		}
	}
	if e.Note != "" {
		sb.WriteString(" · " + e.Note)
	}
	return sb.String()
}

// summary closes the diagram with a note holding the totals and checks.
func (m *Mermaid) summary(r *Report) {
	if r == nil {
		return
	}
	var parts []string
	line := "summary · ran " + ShortDuration(r.End)
	if r.Stopped != "" {
		line += " · " + r.Stopped
	}
	parts = append(parts, line)
	var totals []string
	for _, c := range r.Totals {
		totals = append(totals, c.Name+" "+strconv.FormatInt(c.Value, 10))
	}
	if len(totals) > 0 {
		parts = append(parts, strings.Join(totals, " · "))
	}
	for _, v := range r.Checks {
		mark := "✔ "
		if !v.OK {
			mark = "✗ "
		}
		parts = append(parts, mark+v.Title+": "+v.Detail)
	}
	if len(m.order) == 0 {
		m.participant("msgplay")
	}
	over := m.ids[m.order[0]]
	if len(m.order) > 1 {
		over += "," + m.ids[m.order[len(m.order)-1]]
	}
	m.buf = append(m.buf, "    Note over "+over+": "...)
	for i, p := range parts {
		if i > 0 {
			m.buf = append(m.buf, "<br/>"...)
		}
		m.buf = appendMermaidText(m.buf, p)
	}
	m.buf = append(m.buf, '\n')
}

// appendMermaidText appends s so that Mermaid shows it as it is: the
// characters its grammar or its HTML labels would read (; # < > & and line
// breaks) are written as Mermaid entity codes, control characters dropped.
func appendMermaidText(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == ';':
			b = append(b, "#59;"...)
		case r == '#':
			b = append(b, "#35;"...)
		case r == '<':
			b = append(b, "#lt;"...)
		case r == '>':
			b = append(b, "#gt;"...)
		case r == '&':
			b = append(b, "#amp;"...)
		case r == '%':
			b = append(b, "#37;"...)
		case r == '\n' || r == '\r' || r == '\t':
			b = append(b, ' ')
		case r < 0x20 || r == 0x7f || r == 0xfffd:
		default:
			b = append(b, string(r)...)
		}
	}
	return b
}
