package trace

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// appendNoteBroken writes a note that starts at column col, on a line
// whose columns before it are exact and hold no escape, after two
// spaces, broken where fitFrom would break the whole line, and reports
// whether it did; when it did not (the note has a line break or ends in
// a space, or the line breaks before the note), it writes nothing. The
// last place to break the line, when there is one in the note, is found
// from the note alone: the last space breakAt would find in the whole
// line. It spares writing the line, then
// measuring and copying it again.
//
// A simple note (see noteCols) of n columns is searched from its end: the
// last space that fits is most often a word or two before it.
func (t *Text) appendNoteBroken(b, note []byte, col, n int, simple bool) ([]byte, bool) {
	if t.wholeLines || len(note) == 0 || note[len(note)-1] == ' ' ||
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
		t.lastNote.after = append(append(roomy(t.lastNote.after), " · "...), note...)
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
		b = append(b, '\n')
		why = strings.TrimLeft(why[cut:], " ")
	}
	return b
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
		b = append(b, '\n')
		b = appendSpaces(b, t.noteIndent(2))
		rest := strings.TrimLeft(note[cut:], " ")
		n -= runes + len(note) - cut - len(rest)
		note = rest
		room = max(t.opt.Width-t.noteIndent(2), 1)
	}
	b = append(b, note...)
	if first < 0 {
		first = n
	}
	return b, first
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
