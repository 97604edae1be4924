package trace

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// summary writes the report: how the run ended, the totals, the tables and
// the verdicts.
func (t *Text) summary(r *Report) {
	b := t.buf
	start := len(b)
	if !t.opt.Quiet {
		b = append(b, '\n')
	}
	b = t.bold.append(b, "summary")
	b = append(b, " · ran "...)
	b = append(b, ShortDuration(r.End)...)
	b = append(b, " of virtual time"...)
	if r.Stopped != "" {
		b = append(b, " · "...)
		b = t.bad.append(b, r.Stopped)
	}
	tables := r.Tables
	if t.opt.Brief && len(tables) > 0 {
		b = t.dim.append(append(b, " · "...), "tables left out by --brief")
		tables = nil
	}
	b = append(b, '\n')
	for _, w := range r.Warnings {
		b = t.bad.append(append(b, "  ⚠ "...), w)
		b = append(b, '\n')
	}
	if len(r.InFlight) > 0 {
		b = append(b, "  still in flight: "...)
		b = append(b, strings.Join(r.InFlight, ", ")...)
		b = append(b, '\n')
	}
	if len(r.Totals) > 0 {
		b = append(b, "  "...)
		col := 2
		for i, c := range r.Totals {
			item := c.Name + " " + strconv.FormatInt(c.Value, 10)
			if i > 0 && col+3+len(item) > t.opt.Width {
				b = append(b, "\n  "...)
				col = 2
			} else if i > 0 {
				b = append(b, " · "...)
				col += 3
			}
			b = append(b, item...)
			col += len(item)
		}
		b = append(b, '\n')
	}
	for _, tb := range tables {
		b = append(b, '\n')
		b = t.appendTable(b, tb)
	}
	if len(r.Checks) > 0 {
		b = append(b, '\n')
		b = t.bold.append(b, "checks")
		b = append(b, '\n')
		for _, v := range r.Checks {
			b = t.appendVerdict(b, v)
		}
	}
	t.buf = append(b[:start], fitLines(b[start:], t.opt.Width, -1, true)...)
}

// appendTable writes a table with its first column left-aligned and the
// others right-aligned under their headers.
func (t *Text) appendTable(b []byte, tb Table) []byte {
	widths := make([]int, len(tb.Columns))
	for i, c := range tb.Columns {
		widths[i] = utf8.RuneCountInString(c)
	}
	for _, row := range tb.Rows {
		for i, cell := range row {
			if i < len(widths) {
				widths[i] = max(widths[i], utf8.RuneCountInString(cell))
			}
		}
	}
	gap := "  " // one space between columns when two would pass the width
	if total := 2 + sum(widths) + 2*(len(widths)-1); total > t.opt.Width {
		gap = " "
	}
	writeRow := func(b []byte, cells []string, st style) []byte {
		b = append(b, "  "...)
		for i, cell := range cells {
			if i >= len(widths) {
				break
			}
			if i == 0 {
				b = appendPadRight(b, st, cell, widths[0])
				continue
			}
			b = append(b, gap...)
			b = append(b, st.on...)
			b = appendPadLeft(b, cell, widths[i])
			b = append(b, st.off...)
		}
		return append(trimSpaces(b), '\n')
	}
	b = writeRow(b, tb.Columns, t.dim)
	for _, row := range tb.Rows {
		b = writeRow(b, row, style{})
	}
	return b
}

func (t *Text) appendVerdict(b []byte, v Verdict) []byte {
	b = append(b, "  "...)
	switch {
	case v.OK:
		b = t.good.append(b, "✔")
	case v.NotJudged:
		b = append(b, "–"...)
	default:
		b = t.bad.append(b, "✗")
	}
	b = append(b, ' ')
	b = append(b, v.Title...)
	if v.Detail != "" {
		b = append(b, ": "...)
		b = append(b, v.Detail...)
	}
	b = append(b, '\n')
	for _, ev := range v.Evidence {
		b = append(b, "      "...)
		b = append(b, ev...)
		b = append(b, '\n')
	}
	return b
}

// trimSpaces drops the spaces that padding left at the end of a line.
func trimSpaces(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}
