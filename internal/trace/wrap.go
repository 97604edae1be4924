package trace

import (
	"bytes"
	"unicode/utf8"
)

// fitLines returns b with every line wider than width columns wrapped at
// its last space that fits, continued on lines indented by indent columns
// (or, when indent is negative, by two more than the line's own indent).
// A space just after an arrow is no place to wrap, so "→ orders" stays
// whole. With avoidOrphans, a line does not end with a short last piece
// alone ("it" under a sentence). Escape sequences take no columns. b is
// returned as it is when every line fits.
func fitLines(b []byte, width, indent int, avoidOrphans bool) []byte {
	if width <= 0 || !tooWide(b, width) {
		return b
	}
	var out []byte
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i+1], b[i+1:]
		} else {
			b = nil
		}
		out = appendFitted(out, line, width, indent, avoidOrphans)
	}
	return out
}

// tooWide reports whether some line of b is wider than width columns.
func tooWide(b []byte, width int) bool {
	if len(b) <= width {
		return false // a column takes a byte at least
	}
	col, esc := 0, false
	for len(b) > 0 {
		r, n := rune(b[0]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(b)
		}
		b = b[n:]
		switch {
		case esc:
			esc = r != 'm'
		case r == '\x1b':
			esc = true
		case r == '\n':
			col = 0
		default:
			if col++; col > width {
				return true
			}
		}
	}
	return false
}

// appendFitted appends one line (with its newline, if any), wrapped.
func appendFitted(out, line []byte, width, indent int, avoidOrphans bool) []byte {
	if indent < 0 {
		lead := 0
		for lead < len(line) && line[lead] == ' ' {
			lead++
		}
		indent = lead + 2
	}
	indent = min(indent, width-minNoteRoom)
	for tooWide(line, width) {
		cut := breakAt(line, width, indent, avoidOrphans)
		if cut < 0 {
			break
		}
		out = append(trimSpaces(append(out, line[:cut]...)), '\n')
		line = append(appendSpaces(nil, indent), bytes.TrimLeft(line[cut:], " ")...)
	}
	return append(out, line...)
}

// orphan is the fewest columns a wrapped line's last piece should have:
// "above it" rather than "it" alone on a line.
const orphan = 12

// breakAt returns the byte index of the last space in line at which the
// text before it fits in width columns, past the first indent columns
// and not just after an arrow; -1 when there is none. When the rest would
// be a short orphan, avoidOrphans takes an earlier space that leaves more.
func breakAt(line []byte, width, indent int, avoidOrphans bool) int {
	col, esc, cut, cutCol := 0, false, -1, 0
	earlier := -1 // the space before cut
	var prev rune
	for i := 0; i < len(line); {
		r, n := utf8.DecodeRune(line[i:])
		switch {
		case esc:
			esc = r != 'm'
		case r == '\x1b':
			esc = true
		case r == '\n':
		default:
			if r == ' ' && col > indent && col <= width && prev != '→' && prev != ' ' {
				if cut >= 0 {
					earlier = cut
				}
				cut, cutCol = i, col
			}
			col++
			prev = r
		}
		i += n
	}
	if rest := col - cutCol - 1; avoidOrphans && rest < orphan && earlier >= 0 {
		return earlier
	}
	return cut
}

// sum returns the sum of ns.
func sum(ns []int) int {
	n := 0
	for _, x := range ns {
		n += x
	}
	return n
}
