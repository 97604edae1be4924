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
