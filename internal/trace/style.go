package trace

import (
	"hash/fnv"
	"strings"

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

// actorPalette holds the colors actors are drawn in. Red is kept for
// failures, so no actor wears it.
var actorPalette = [][]color.Attribute{
	{color.FgCyan}, {color.FgGreen}, {color.FgYellow}, {color.FgBlue}, {color.FgMagenta},
	{color.FgHiCyan}, {color.FgHiGreen}, {color.FgHiYellow}, {color.FgHiBlue}, {color.FgHiMagenta},
}

// actorColor returns the attributes of an actor's color, chosen by its name
// so an actor keeps its color from run to run and pattern to pattern.
func actorColor(name string) []color.Attribute {
	h := fnv.New32a()
	h.Write([]byte(name))
	return actorPalette[h.Sum32()%uint32(len(actorPalette))]
}

// look is how a kind is drawn: a symbol and a color.
type look struct {
	symbol string
	attrs  []color.Attribute
}

var kindLooks = [numKinds]look{
	Run:        {"▶", nil},
	Send:       {"→", nil}, // replaced by the class arrow
	Publish:    {"▷", []color.Attribute{color.FgCyan}},
	Deliver:    {"↳", nil},
	Ack:        {"✔", []color.Attribute{color.FgGreen}},
	Nack:       {"↩", []color.Attribute{color.FgYellow}},
	AckLost:    {"⊘", []color.Attribute{color.FgYellow}},
	Timeout:    {"↺", []color.Attribute{color.FgYellow}},
	DeadLetter: {"☒", []color.Attribute{color.FgRed, color.Bold}},
	Drop:       {"∅", []color.Attribute{color.FgRed, color.Bold}},
	Handle:     {"●", []color.Attribute{color.FgGreen}},
	Skip:       {"○", []color.Attribute{color.FgCyan}},
	Crash:      {"✗", []color.Attribute{color.FgRed, color.Bold}},
	Restart:    {"↑", []color.Attribute{color.FgGreen}},
	Begin:      {"┌", []color.Attribute{color.Faint}},
	Commit:     {"◆", []color.Attribute{color.FgGreen}},
	Rollback:   {"◇", []color.Attribute{color.FgYellow}},
	Compensate: {"↶", []color.Attribute{color.FgMagenta}},
	Fault:      {"▲", []color.Attribute{color.FgRed}},
	Note:       {"·", []color.Attribute{color.Faint}},
	Summary:    {"■", nil},
}

// classLooks draw the three classes of message differently everywhere: a
// command is a firm arrow to one receiver that owes an outcome, an event a
// light dashed one to whoever listens, a reply an arrow coming back.
var classLooks = map[Class]look{
	Command:  {"━▶", []color.Attribute{color.Bold}},
	EventMsg: {"┈▷", []color.Attribute{color.FgCyan, color.Italic}},
	Reply:    {"◀━", []color.Attribute{color.FgMagenta}},
}
