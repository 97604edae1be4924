package trace

import (
	"bytes"
	_ "embed" // the player's script and style
	"html"
	"strconv"
	"strings"
)

// HTMLOptions set what the HTML page shows besides the run.
type HTMLOptions struct {
	Command string // the command line that reproduces the run
	// MaxEvents is the cap on drawn events in force (--max-events), so the
	// page can say how many it left out; 0 for none.
	MaxEvents int
}

// HTML records a run for the HTML player: the events it is given are kept
// as JSON Lines, exactly as `--format json` writes them, and embedded in
// the page, whose script draws the topology and the sequence view from
// them. Only the encoded lines are kept, not the events, so memory is the
// page's size; cap the events before this sink (NewCap) to cap both.
type HTML struct {
	opt    HTMLOptions
	run    Event
	data   []byte
	lines  int
	last   int64 // seq of the summary: how many events the run had
	report *Report
}

// NewHTML returns an HTML recorder.
func NewHTML(opt HTMLOptions) *HTML { return &HTML{opt: opt} }

// Event implements Sink.
func (h *HTML) Event(e *Event) {
	switch e.Kind {
	case Run:
		h.run = *e
		h.run.Params = append([]Param(nil), e.Params...)
	case Summary:
		h.report = e.Report
		h.last = e.Seq
	}
	h.data = appendScriptSafe(h.data, e)
	h.lines++
}

// appendScriptSafe appends e as a JSON line that may sit inside a <script>
// element: every '<' (found only inside JSON strings) is written \u003c,
// which a JSON parser reads back as the same character.
func appendScriptSafe(b []byte, e *Event) []byte {
	start := len(b)
	b = AppendJSON(b, e)
	if bytes.IndexByte(b[start:], '<') < 0 {
		return append(b, '\n')
	}
	line := bytes.ReplaceAll(b[start:], []byte("<"), []byte(`\u003c`))
	return append(append(b[:start], line...), '\n')
}

// title is the page's title for the run: pattern and seed.
func (h *HTML) title() string {
	t := "msgplay " + h.run.Note
	for _, p := range h.run.Params {
		if p.Name == "seed" {
			t += " · seed " + p.Value
		}
	}
	return t
}

// Bytes returns the page: one player for the run.
func (h *HTML) Bytes() []byte {
	return Page(h.title(), []PageSection{{Runs: []*HTML{h}, Command: h.opt.Command}})
}

// PageSection is one part of a page: one run, or two (broken and fixed)
// side by side on one clock with their checks compared line by line.
type PageSection struct {
	Title   string   // a heading, "" for none
	Text    string   // a sentence under the heading
	Runs    []*HTML  // one or two runs
	Labels  []string // what each run is, such as its variant
	Command string   // the command line that reproduces the section
}

// Page writes a self-contained HTML page — the style, the player's script
// and the runs' JSON Lines inline, nothing fetched — with one player per
// section: the summary and checks at the top, then the controls, the
// topology and the sequence view. Sections after the first start hidden
// behind a table of contents (the tour).
func Page(title string, sections []PageSection) []byte {
	var b bytes.Buffer
	esc := html.EscapeString
	b.WriteString("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width\">\n<title>" + esc(title) + "</title>\n")
	b.WriteString("<script>" + htmlTrap + "</script>\n<style>" + playerCSS + "</style></head>\n")
	b.WriteString("<body data-errors=\"\">\n<header><h1>" + esc(title) + "</h1>")
	b.WriteString("<p class=\"legend\"><span class=\"cmd\">■ command</span> expects an outcome · " +
		"<span class=\"evt\">○ event</span> fire-and-forget · <span class=\"rep\">◆ reply</span> · " +
		"<span class=\"redo\">◎ redelivery</span> · <span class=\"ack\">✔ ack</span> · <span class=\"drop\">✗ crash, drop, dead letter</span> · " +
		"<span class=\"fault\">▲ fault</span> — <kbd>space</kbd> play/pause, <kbd>←</kbd> <kbd>→</kbd> step, click a message to follow it</p>")
	if len(sections) > 1 {
		b.WriteString("<nav class=\"toc\">")
		for i, s := range sections {
			b.WriteString("<a href=\"#s" + strconv.Itoa(i) + "\" data-section=\"" + strconv.Itoa(i) + "\">" +
				strconv.Itoa(i+1) + ". " + esc(s.Title) + "</a>")
		}
		b.WriteString("</nav>")
	}
	b.WriteString("</header>\n")
	for i, s := range sections {
		writeSection(&b, i, s)
	}
	b.WriteString("<aside id=\"panel\" hidden><button class=\"close\" title=\"close (Esc)\">×</button><div class=\"body\"></div></aside>\n")
	b.WriteString("<script type=\"application/json\" id=\"kinds\">" + kindsJSON() + "</script>\n")
	b.WriteString("<script>" + playerJS + "</script>\n</body></html>\n")
	return b.Bytes()
}

func writeSection(b *bytes.Buffer, i int, s PageSection) {
	esc := html.EscapeString
	id := strconv.Itoa(i)
	b.WriteString("<section class=\"run\" id=\"s" + id + "\"")
	if i > 0 {
		b.WriteString(" hidden")
	}
	b.WriteString(">\n")
	if s.Title != "" {
		b.WriteString("<h2>" + esc(s.Title) + "</h2>")
	}
	if s.Text != "" {
		b.WriteString("<p>" + esc(s.Text) + "</p>")
	}
	if s.Command != "" {
		b.WriteString("<p class=\"repro\">Reproduce it: <code class=\"cmdline\">" + esc(s.Command) + "</code></p>\n")
	}
	if len(s.Runs) == 2 {
		compareChecks(b, s)
	}
	b.WriteString("<div class=\"tops cols" + strconv.Itoa(len(s.Runs)) + "\">")
	for k, r := range s.Runs {
		b.WriteString("<div class=\"top\">")
		if k < len(s.Labels) {
			b.WriteString("<h3 class=\"label\">" + esc(s.Labels[k]) + "</h3>")
		}
		r.summary(b)
		b.WriteString("</div>")
	}
	b.WriteString("</div>\n<div class=\"controls\"></div>\n<div class=\"players cols" + strconv.Itoa(len(s.Runs)) + "\">")
	for k, r := range s.Runs {
		b.WriteString("<div class=\"player\">")
		if k < len(s.Labels) {
			b.WriteString("<h3 class=\"label\">" + esc(s.Labels[k]) + "</h3>")
		}
		if r.opt.MaxEvents > 0 && r.last > 0 && int64(r.lines) < r.last {
			b.WriteString("<p class=\"capped\">Drawn: the first " + strconv.Itoa(max(r.lines-2, 0)) + " events of " +
				strconv.FormatInt(r.last-2, 10) + " (--max-events " + strconv.Itoa(r.opt.MaxEvents) +
				"); the summary and checks count them all.</p>")
		}
		b.WriteString("<script type=\"application/x-ndjson\" class=\"trace\">\n")
		b.Write(r.data)
		b.WriteString("</script></div>")
	}
	b.WriteString("</div>\n</section>\n")
}

// compareChecks writes the checks of two runs line by line: ✗ → ✔.
func compareChecks(b *bytes.Buffer, s PageSection) {
	a, c := s.Runs[0].report, s.Runs[1].report
	if a == nil || c == nil {
		return
	}
	b.WriteString("<table class=\"compare\"><tr><th>")
	for _, l := range s.Labels {
		name, _, _ := strings.Cut(l, " — ")
		b.WriteString(html.EscapeString(name) + " → ")
	}
	b.Truncate(b.Len() - len(" → "))
	b.WriteString("</th><th>check</th><th>what happened</th></tr>")
	for _, line := range CompareChecks(a, c) {
		cls := "same"
		if line.Before != line.After {
			cls = "fixed"
			if !line.After {
				cls = "broke"
			}
		}
		b.WriteString("<tr class=\"" + cls + "\"><td class=\"marks\">" + mark(line.Before) + " → " + mark(line.After) +
			"</td><td>" + html.EscapeString(line.Title) + "</td><td><small>" +
			html.EscapeString(line.BeforeDetail) + " → " + html.EscapeString(line.AfterDetail) + "</small></td></tr>")
	}
	b.WriteString("</table>\n")
}

func mark(ok bool) string {
	if ok {
		return "<span class=\"ok\">✔</span>"
	}
	return "<span class=\"bad\">✗</span>"
}

// CheckLine is one check of two runs side by side.
type CheckLine struct {
	Name, Title               string
	Before, After             bool // the verdicts; a check a run lacks counts as holding
	BeforeDetail, AfterDetail string
}

// CompareChecks lines up the checks of two runs by name, in the order the
// first run has them, then the second's own.
func CompareChecks(a, b *Report) []CheckLine {
	var out []CheckLine
	index := map[string]int{}
	for _, v := range a.Checks {
		index[v.Name] = len(out)
		out = append(out, CheckLine{Name: v.Name, Title: v.Title, Before: v.OK, BeforeDetail: v.Detail, After: true, AfterDetail: "not checked"})
	}
	for _, v := range b.Checks {
		if i, ok := index[v.Name]; ok {
			out[i].After, out[i].AfterDetail = v.OK, v.Detail
			continue
		}
		out = append(out, CheckLine{Name: v.Name, Title: v.Title, Before: true, BeforeDetail: "not checked", After: v.OK, AfterDetail: v.Detail})
	}
	return out
}

// kindsJSON is the table of kinds and classes for the page's script: for
// each kind its symbol, its CSS class ("" takes the message class's) and
// whether it moves a message between two actors; for each class its CSS
// class.
func kindsJSON() string {
	var b []byte
	b = append(b, `{"kinds":{`...)
	for k := range numKinds {
		ki := Kind(k).info()
		if k > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, ki.name)
		b = append(b, `:{"symbol":`...)
		b = appendJSONString(b, ki.symbol)
		b = append(b, `,"html":`...)
		b = appendJSONString(b, ki.html)
		b = append(b, `,"moves":`...)
		b = strconv.AppendBool(b, ki.move != noMove)
		b = append(b, `,"carries":`...)
		b = strconv.AppendBool(b, Kind(k).carries())
		b = append(b, '}')
	}
	b = append(b, `},"classes":{`...)
	for c := range classes {
		if c > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, classes[c].name)
		b = append(b, ':')
		b = appendJSONString(b, classes[c].tag)
	}
	b = append(b, "}}"...)
	return string(bytes.ReplaceAll(b, []byte("<"), []byte(`\u003c`)))
}

// htmlClass is the CSS class that colors an event.
func htmlClass(e *Event) string {
	if c := e.Kind.info().html; c != "" {
		return c
	}
	return e.Msg.Class.info().tag
}

// htmlTrap records script errors in the page itself, so a headless browser
// that dumps the page shows them; it runs before anything else.
const htmlTrap = `window.addEventListener("error",function(e){document.body.dataset.errors+=(e.message||"error")+";"});` +
	`(function(){var o=console.error;console.error=function(){document.body&&(document.body.dataset.errors+="console.error;");o.apply(console,arguments)}})();`

//go:embed html_player.css
var playerCSS string

//go:embed html_player.js
var playerJS string
