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
	return appendFitLines(nil, b, width, indent, avoidOrphans)
}

// appendFitLines appends b to out with its lines wrapped as fitLines
// wraps them.
func appendFitLines(out, b []byte, width, indent int, avoidOrphans bool) []byte {
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
	for i := 0; i < len(b); {
		c := b[i]
		if c >= utf8.RuneSelf {
			_, n := utf8.DecodeRune(b[i:])
			i += n
			if !esc {
				if col++; col > width {
					return true
				}
			}
			continue
		}
		i++
		switch {
		case esc:
			esc = c != 'm'
		case c == '\x1b':
			esc = true
		case c == '\n':
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
	return appendBroken(out, line, 0, width, min(indent, width-minNoteRoom), avoidOrphans)
}

// appendBroken appends line, which starts at column from, broken at the
// spaces breakAt finds until each piece fits. Each piece after the first
// is written as indent spaces and the rest of the line, which is then
// measured as starting at that column.
func appendBroken(out, line []byte, from, width, indent int, avoidOrphans bool) []byte {
	for {
		cut, wide := breakAt(line, from, width, indent, avoidOrphans)
		if !wide || cut < 0 {
			return append(out, line...)
		}
		out, line = appendBreak(out, line, cut, indent)
		from = max(indent, 0)
	}
}

// appendBreak appends line up to cut, where it breaks, without the spaces
// there, then the next line's indent, and returns the rest of line to
// write after it.
func appendBreak(out, line []byte, cut, indent int) ([]byte, []byte) {
	out = append(trimSpaces(append(out, line[:cut]...)), '\n')
	return appendSpaces(out, indent), bytes.TrimLeft(line[cut:], " ")
}

// orphan is the fewest columns a wrapped line's last piece should have:
// "above it" rather than "it" alone on a line.
const orphan = 12

// breakAt returns the byte index of the last space in line at which the
// text before it fits in width columns, past the first indent columns
// and not just after an arrow; -1 when there is none. When the rest would
// be a short orphan, avoidOrphans takes an earlier space that leaves more.
// The line starts at column from, after as many spaces; wide reports
// whether it ends past the width.
func breakAt(line []byte, from, width, indent int, avoidOrphans bool) (cut int, wide bool) {
	if from+len(line) <= width {
		return -1, false // a column takes a byte at least
	}
	col, esc, cutCol := from, false, 0
	cut = -1
	earlier := -1 // the space before cut
	var prev rune
	if from > 0 {
		prev = ' '
	}
	for i := 0; i < len(line); {
		if n := wordRun(line[i:]); n > 0 && !esc { // most of a line: no break there
			col += n
			prev = rune(line[i+n-1])
			if i += n; i == len(line) {
				break
			}
		}
		r, n := rune(line[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(line[i:])
		}
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
		return earlier, col > width
	}
	return cut, col > width
}

// wordRun returns how many bytes b starts with that are visible ASCII
// characters but the space: each takes a column, and none is a place to
// break a line.
func wordRun(b []byte) int {
	for i, c := range b {
		if c <= ' ' || c >= 0x7f {
			return i
		}
	}
	return len(b)
}

// sum returns the sum of ns.
func sum(ns []int) int {
	n := 0
	for _, x := range ns {
		n += x
	}
	return n
}
