package trace

import (
	"strings"
	"unicode/utf8"

	"github.com/fatih/color"
)

// style is a pair of escape sequences around a piece of text; the zero
// style adds nothing.
type style struct{ on, off string }

func newStyle(enabled bool, attrs ...color.Attribute) style {
	if !enabled || len(attrs) == 0 {
		return style{}
	}
	c := color.New(attrs...)
	c.EnableColor()
	on, off, _ := strings.Cut(c.Sprint("\x00"), "\x00")
	return style{on, off}
}

func (s style) append(b []byte, text string) []byte {
	b = append(b, s.on...)
	b = append(b, text...)
	return append(b, s.off...)
}

// fg256 returns the attributes of color n of the 256-color palette.
func fg256(n color.Attribute) []color.Attribute { return []color.Attribute{38, 5, n} }

// actorPalette holds the 16-color terminal's actor colors, most distinct
// first. Red is kept for failures, so no actor wears it.
var actorPalette = [][]color.Attribute{
	{color.FgBlue}, {color.FgGreen}, {color.FgMagenta}, {color.FgCyan}, {color.FgYellow},
	{color.FgHiBlue}, {color.FgHiGreen}, {color.FgHiMagenta}, {color.FgHiCyan}, {color.FgHiYellow},
}

// actorPalette256 holds the actor colors of a 256-color terminal, most
// distinct first, and first those unlike the roles' teal, green and
// mustard, so the first actors are not mistaken for what happened. Each is of middle lightness, so it reads on a dark and
// on a light background alike (a contrast of at least 3.3 against black
// and against white); none is red.
var actorPalette256 = []color.Attribute{
	33,  // blue #0087ff
	128, // purple #af00d7
	130, // brown #af5f00
	64,  // olive #5f8700
	163, // magenta #d700af
	31,  // cerulean #0087af
	62,  // indigo #5f5fd7
	133, // orchid #af5faf
	30,  // teal #008787
	136, // mustard #af8700
	28,  // green #008700
	29,  // sea green #00875f
	100, // olive yellow #878700
	67,  // steel blue #5f87af
	98,  // violet #875fd7
	32,  // azure #0087d7
}

// label is a piece of a text line drawn the same on every line it is on
// (an actor's name in the actor column, a kind's mark and name), made
// once: styled, and padded to its column.
type label struct {
	text []byte
	cols int // the columns it takes
}

// newLabel returns s in style st, padded with spaces to width columns.
func newLabel(st style, s string, width int) label {
	return label{appendPadRight(nil, st, s, width), max(utf8.RuneCountInString(s), width)}
}

// actorLook is how one actor is drawn: its style, its name's columns,
// and its name as the actor column shows it.
type actorLook struct {
	st     style
	cols   int
	plain  bool   // the name holds no escape and no line break: its runes are its columns
	arrow  []byte // " → " and the name, styled: the actor as a receiver
	column label  // padded to columnW columns
	// columnW is the width column was made for; the run event may widen
	// the column after an actor was first drawn.
	columnW int
}

// actor returns the style of an actor's name.
func (t *Text) actor(name string) style { return t.look(name).st }

// look returns how an actor is drawn. Actors get colors in the order
// they are first met — the run lists its services before its queues — so
// no two actors of a run share one while the palette lasts; then the
// colors come round again.
func (t *Text) look(name string) *actorLook {
	if a := t.actors.get(name); a != nil {
		return a
	}
	n := t.colors
	t.colors++
	a := t.actors.add(name)
	if t.opt.Color256 {
		a.st = newStyle(t.opt.Color, fg256(actorPalette256[n%len(actorPalette256)])...)
	} else {
		a.st = newStyle(t.opt.Color, actorPalette[n%len(actorPalette)]...)
	}
	a.cols = utf8.RuneCountInString(name)
	a.plain = !strings.ContainsAny(name, "\x1b\n")
	a.arrow = a.st.append(append(roomy(nil), " → "...), name)
	return a
}

// appendActorColumn writes an actor's name, drawn as a, in the actor
// column and returns how many columns it took.
func (t *Text) appendActorColumn(b []byte, a *actorLook, name string) ([]byte, int) {
	if a.column.text == nil || a.columnW != t.actorW {
		a.column, a.columnW = newLabel(a.st, name, t.actorW), t.actorW
	}
	return append(b, a.column.text...), a.column.cols
}

// setKindLabels makes the kind column's labels: for each kind (and a
// last row for a kind with none), its own symbol, then for each class of
// message its class mark where the kind shows one, else its symbol again.
func (t *Text) setKindLabels() {
	for k := range t.kindLabels {
		kind := Kind(k)
		ki, st := kind.info(), t.kinds[kind.known()]
		own := newLabel(st, ki.symbol+" "+kind.String(), kindWidth)
		t.kindLabels[k][0] = own
		for c := range classes {
			t.kindLabels[k][1+c] = own
			if ki.classMark {
				t.kindLabels[k][1+c] = newLabel(st, classes[c].mark+" "+kind.String(), kindWidth)
			}
		}
	}
}

// roleAttrs are the terminal attributes of each role of kinds.go. Red is
// for what went wrong.
var roleAttrs = [...][]color.Attribute{
	plain: nil,
	info:  {color.FgCyan},
	good:  {color.FgGreen},
	warn:  {color.FgYellow},
	bad:   {color.FgRed, color.Bold},
	alarm: {color.FgRed},
	undo:  {color.FgMagenta},
	quiet: {color.Faint},
}

// roleAttrs256 are the roles on a 256-color terminal: the same hues, of a
// lightness that reads on dark and light backgrounds (the 16 colors'
// yellow and cyan vanish on white).
var roleAttrs256 = [...][]color.Attribute{
	plain: nil,
	info:  fg256(30),
	good:  fg256(28),
	warn:  fg256(136),
	bad:   append(fg256(160), color.Bold),
	alarm: fg256(160),
	undo:  fg256(127),
	quiet: fg256(244),
}

// grey256 is the grey of what is there to find rather than to read: the
// times, the legends, the lane lines. Unlike the faint attribute it keeps
// a readable contrast on both backgrounds.
const grey256 = 244

// setStyles makes the styles of the options: none without color, the 16
// colors, or the 256-color palette.
func (t *Text) setStyles() {
	on := t.opt.Color
	roles, dim := roleAttrs[:], []color.Attribute{color.Faint}
	if t.opt.Color256 {
		roles, dim = roleAttrs256[:], fg256(grey256)
	}
	for k := range kinds {
		t.kinds[k] = newStyle(on, roles[kinds[k].role]...)
	}
	for c := range classes {
		attrs := classes[c].attrs
		if t.opt.Color256 && classes[c].attrs256 != nil {
			attrs = classes[c].attrs256
		}
		t.class[c] = newStyle(on, attrs...)
	}
	t.dim = newStyle(on, dim...)
	t.bold = newStyle(on, color.Bold)
	t.good = newStyle(on, roles[good]...)
	t.bad = newStyle(on, roles[bad]...)
	t.setKindLabels()
}
