package trace

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
	"time"
)

// summary writes the checks first (each ✔ or ✗ with its evidence, whose
// message ids the script links to their events), then the totals, the
// charts, and the tables folded away.
func (h *HTML) summary(b *bytes.Buffer) {
	r := h.report
	if r == nil {
		return
	}
	esc := html.EscapeString
	b.WriteString("<ul class=\"checks\">")
	for _, v := range r.Checks {
		cls, mark := "ok", "✔"
		if !v.OK {
			cls, mark = "bad", "✗"
		}
		b.WriteString("<li class=\"" + cls + "\" data-check=\"" + esc(v.Name) + "\"><b>" + mark + " " + esc(v.Title) + "</b>: " + esc(v.Detail))
		for _, ev := range v.Evidence {
			b.WriteString("<br><small class=\"evidence\">" + esc(ev) + "</small>")
		}
		b.WriteString("</li>")
	}
	b.WriteString("</ul>\n<p class=\"totals\">ran " + ShortDuration(r.End) + " of virtual time")
	if r.Stopped != "" {
		b.WriteString(" · <span class=\"bad\">" + esc(r.Stopped) + "</span>")
	}
	for _, c := range r.Totals {
		b.WriteString(" · " + esc(c.Name) + " <b>" + strconv.FormatInt(c.Value, 10) + "</b>")
	}
	b.WriteString("</p>\n")
	for _, w := range r.Warnings {
		b.WriteString("<p class=\"bad\">⚠ " + esc(w) + "</p>\n")
	}
	charted := map[string]bool{}
	if len(r.Series) > 0 {
		b.WriteString("<div class=\"charts\">")
		for _, sr := range r.Series {
			if sr.Text != "" {
				charted[sr.Text] = true
			}
			b.WriteString("<figure>")
			seriesChart(b, sr)
			b.WriteString("</figure>")
		}
		b.WriteString("</div>\n")
	}
	var tables []Table
	for _, t := range r.Tables {
		if !charted[t.Title] { // else drawn above as a chart
			tables = append(tables, t)
		}
	}
	if len(tables) == 0 {
		return
	}
	b.WriteString("<details class=\"tables\"><summary>tables:")
	for _, t := range tables {
		b.WriteString(" " + esc(t.Title))
	}
	b.WriteString("</summary>")
	for _, t := range tables {
		b.WriteString("<table><tr>")
		for _, c := range t.Columns {
			b.WriteString("<th>" + esc(c) + "</th>")
		}
		b.WriteString("</tr>")
		for _, row := range t.Rows {
			b.WriteString("<tr>")
			for _, c := range row {
				b.WriteString("<td>" + esc(c) + "</td>")
			}
			b.WriteString("</tr>")
		}
		b.WriteString("</table>\n")
	}
	b.WriteString("</details>\n")
}

// seriesChart draws a series as an SVG bar chart: one bar per step, the
// highest value at the top, virtual time along the bottom.
func seriesChart(b *bytes.Buffer, sr Series) {
	const w, h, left, bottom = 420.0, 96.0, 40.0, 16.0
	var top int64
	for _, v := range sr.Values {
		top = max(top, v)
	}
	n := len(sr.Values)
	fmt.Fprintf(b, "<h3>%s</h3><svg class=\"series\" viewBox=\"0 0 %.0f %.0f\" shape-rendering=\"crispEdges\" width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"%s\">",
		html.EscapeString(sr.Title), w, h, w, h, html.EscapeString(sr.Title))
	fmt.Fprintf(b, "<line x1=\"%.0f\" y1=\"0\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#999\"/>", left, left, h-bottom)
	fmt.Fprintf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#999\"/>", left, h-bottom, w, h-bottom)
	fmt.Fprintf(b, "<text x=\"%.0f\" y=\"10\" text-anchor=\"end\" font-size=\"10\">%d</text>", left-4, top)
	fmt.Fprintf(b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\" font-size=\"10\">0</text>", left-4, h-bottom)
	fmt.Fprintf(b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\" font-size=\"10\">%s</text>", w, h-2,
		html.EscapeString(ShortDuration(sr.Step*time.Duration(n))))
	if n > 0 && top > 0 {
		bw := (w - left) / float64(n)
		for i, v := range sr.Values {
			if v == 0 {
				continue
			}
			bh := (h - bottom) * float64(v) / float64(top)
			fmt.Fprintf(b, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#4a7fb5\"><title>%s: %d</title></rect>",
				left+float64(i)*bw, h-bottom-bh, max(bw, 0.5), bh,
				html.EscapeString(ShortDuration(sr.Step*time.Duration(i))), v)
		}
	}
	b.WriteString("</svg>\n")
}
