package trace

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
	"time"
)

// HTMLOptions set what the HTML page shows besides the run.
type HTMLOptions struct {
	Command string // the command line that reproduces the run
}

// HTML renders a run as one self-contained page — inline CSS, JavaScript
// and SVG, nothing fetched — with the actors as lanes over virtual time,
// each message an arrow colored by its class (hover or click one for its
// id, type, key, attempt and times), crashes and faults marked, then the
// summary and the checks, and the command line that reproduces the run.
// It keeps the events it is given until Bytes is called.
type HTML struct {
	opt    HTMLOptions
	run    Event
	events []Event
	report *Report
}

// NewHTML returns an HTML renderer.
func NewHTML(opt HTMLOptions) *HTML { return &HTML{opt: opt} }

// Event implements Sink.
func (h *HTML) Event(e *Event) {
	switch e.Kind {
	case Run:
		h.run = *e
	case Summary:
		h.report = e.Report
	default:
		c := *e
		c.Params, c.Actors, c.Report = nil, nil, nil
		h.events = append(h.events, c)
	}
}

const (
	svgLeft  = 96  // room for the times
	svgLane  = 132 // distance between lanes
	svgTop   = 44  // room for the names
	svgRow   = 22  // distance between events
	svgLabel = 200 // room at the right for the last lane's labels
)

// Bytes returns the page.
func (h *HTML) Bytes() []byte {
	var b bytes.Buffer
	title := "msgplay " + h.run.Note
	seed := ""
	for _, p := range h.run.Params {
		if p.Name == "seed" {
			seed = p.Value
		}
	}
	if seed != "" {
		title += " · seed " + seed
	}

	// Lanes in order of first appearance.
	index := map[string]int{}
	var names []string
	lane := func(a string) int {
		if i, ok := index[a]; ok {
			return i
		}
		index[a] = len(names)
		names = append(names, a)
		return len(names) - 1
	}
	arrows := 0
	for i := range h.events {
		e := &h.events[i]
		lane(e.Actor)
		if IsArrow(e) {
			lane(e.To)
			arrows++
		}
	}

	b.WriteString("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</title>\n<script>" + htmlTrap + "</script>\n<style>" + htmlCSS + "</style></head>\n")
	b.WriteString("<body data-selfcheck=\"pending\" data-errors=\"\">\n<header><h1>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</h1>\n<p class=\"params\">")
	for i, p := range h.run.Params {
		if i > 0 {
			b.WriteString(" · ")
		}
		b.WriteString(html.EscapeString(p.Name + " " + p.Display()))
	}
	b.WriteString("</p>\n<p>Reproduce it: <code id=\"cmdline\">")
	b.WriteString(html.EscapeString(h.opt.Command))
	b.WriteString("</code></p>\n<p class=\"legend\"><span class=\"cmd\">━▶ command</span> (expects an outcome) " +
		"<span class=\"evt\">┈▷ event</span> (fire-and-forget) <span class=\"rep\">╌▶ reply</span> " +
		"<span class=\"ack\">╌✔ ack</span> <span class=\"nack\">╌↩ nack</span> <span class=\"drop\">─∅ drop</span> " +
		"<span class=\"crash\">✗ crash</span> <span class=\"fault\">▲ fault</span></p></header>\n")
	b.WriteString("<div id=\"detail\" class=\"detail\">Hover or click a message to see it.</div>\n")

	width := svgLeft + max(len(names), 1)*svgLane + svgLabel
	height := svgTop + (len(h.events)+1)*svgRow
	b.WriteString("<div class=\"scroll\"><svg id=\"lanes\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
	b.WriteString(strconv.Itoa(width) + "\" height=\"" + strconv.Itoa(height) + "\" data-arrows=\"" + strconv.Itoa(arrows) + "\">\n")
	b.WriteString(svgDefs)
	x := func(i int) int { return svgLeft + i*svgLane + svgLane/2 }
	for i, n := range names {
		xs := strconv.Itoa(x(i))
		b.WriteString("<text class=\"name\" x=\"" + xs + "\" y=\"20\">" + html.EscapeString(n) + "</text>")
		b.WriteString("<line class=\"lane\" x1=\"" + xs + "\" y1=\"28\" x2=\"" + xs + "\" y2=\"" + strconv.Itoa(height) + "\"/>\n")
	}
	for i := range h.events {
		e := &h.events[i]
		y := svgTop + i*svgRow + svgRow/2
		ys := strconv.Itoa(y)
		cls := htmlClass(e)
		if e.Kind == Crash || e.Kind == Fault {
			b.WriteString("<rect class=\"band " + cls + "\" x=\"0\" y=\"" + strconv.Itoa(y-svgRow/2) + "\" width=\"" +
				strconv.Itoa(width) + "\" height=\"" + strconv.Itoa(svgRow) + "\"/>")
		}
		b.WriteString("<text class=\"t\" x=\"" + strconv.Itoa(svgLeft-8) + "\" y=\"" + strconv.Itoa(y+4) + "\">")
		b.WriteString(FormatDuration(e.T.Truncate(time.Microsecond)))
		b.WriteString("</text>")
		kindClass := "mark"
		if IsArrow(e) {
			kindClass = "arrow"
		}
		b.WriteString("<g class=\"" + kindClass + " " + cls + "\"")
		h.attrs(&b, e)
		b.WriteString(">")
		label := htmlLabel(e)
		if IsArrow(e) {
			x1, x2 := x(index[e.Actor]), x(index[e.To])
			tip := x2 - 6
			if x2 < x1 {
				tip = x2 + 6
			}
			b.WriteString("<line x1=\"" + strconv.Itoa(x1) + "\" y1=\"" + ys + "\" x2=\"" + strconv.Itoa(tip) + "\" y2=\"" + ys +
				"\" marker-end=\"url(#head-" + cls + ")\"/>")
			lx := min(x1, x2) + 6
			b.WriteString("<text x=\"" + strconv.Itoa(lx) + "\" y=\"" + strconv.Itoa(y-4) + "\">" + html.EscapeString(label) + "</text>")
		} else {
			cx := x(index[e.Actor])
			b.WriteString("<circle cx=\"" + strconv.Itoa(cx) + "\" cy=\"" + ys + "\" r=\"7\"/>")
			b.WriteString("<text class=\"sym\" x=\"" + strconv.Itoa(cx) + "\" y=\"" + strconv.Itoa(y+4) + "\">" +
				html.EscapeString(e.Kind.info().symbol) + "</text>")
			b.WriteString("<text x=\"" + strconv.Itoa(cx+12) + "\" y=\"" + strconv.Itoa(y+4) + "\">" + html.EscapeString(label) + "</text>")
		}
		b.WriteString("<title>" + html.EscapeString(htmlTitle(e)) + "</title></g>\n")
	}
	b.WriteString("</svg></div>\n")
	h.summary(&b)
	b.WriteString("<p id=\"selfcheck\"></p>\n<script>" + htmlJS + "</script>\n</body></html>\n")
	return b.Bytes()
}

// attrs writes the data attributes the page's script shows on hover.
func (h *HTML) attrs(b *bytes.Buffer, e *Event) {
	attr := func(name, v string) {
		if v != "" {
			b.WriteString(" data-" + name + "=\"" + html.EscapeString(v) + "\"")
		}
	}
	attr("kind", e.Kind.String())
	attr("t", FormatDuration(e.T))
	attr("actor", e.Actor)
	attr("to", e.To)
	if e.HasMsg() {
		attr("id", e.Msg.ID)
		attr("type", e.Msg.Type)
		attr("class", e.Msg.Class.String())
		attr("key", e.Msg.Key)
		if e.Msg.Attempt > 0 {
			attr("attempt", strconv.Itoa(e.Msg.Attempt))
		}
	}
	if e.Took > 0 {
		attr("took", FormatDuration(e.Took))
	}
	attr("note", e.Note)
	attr("why", e.Why)
}

// htmlClass is the CSS class that colors an event.
func htmlClass(e *Event) string {
	if c := e.Kind.info().html; c != "" {
		return c
	}
	return e.Msg.Class.info().tag
}

func htmlLabel(e *Event) string {
	s := e.Kind.String()
	if e.HasMsg() {
		s += " " + e.Msg.ID + " " + e.Msg.Type
		if e.Msg.Attempt > 1 {
			s += " #" + strconv.Itoa(e.Msg.Attempt)
		}
	} else if e.Note != "" {
		s += " · " + e.Note
	}
	return s
}

func htmlTitle(e *Event) string {
	s := FormatDuration(e.T) + " " + e.Kind.String() + " by " + e.Actor
	if e.To != "" {
		s += " → " + e.To
	}
	if e.HasMsg() {
		s += "\n" + e.Msg.ID + " " + e.Msg.Class.String() + " " + e.Msg.Type + " " + e.Msg.Key
		if e.Msg.Attempt > 0 {
			s += " attempt " + strconv.Itoa(e.Msg.Attempt)
		}
	}
	if e.Note != "" {
		s += "\n" + e.Note
	}
	if e.Why != "" {
		s += "\n" + e.Why
	}
	return s
}

// summary writes the totals, the tables and the checks.
func (h *HTML) summary(b *bytes.Buffer) {
	r := h.report
	if r == nil {
		return
	}
	b.WriteString("<section class=\"summary\"><h2>Summary</h2><p>ran " + ShortDuration(r.End) + " of virtual time")
	if r.Stopped != "" {
		b.WriteString(" · <span class=\"bad\">" + html.EscapeString(r.Stopped) + "</span>")
	}
	b.WriteString("</p><p>")
	for i, c := range r.Totals {
		if i > 0 {
			b.WriteString(" · ")
		}
		b.WriteString(html.EscapeString(c.Name) + " <b>" + strconv.FormatInt(c.Value, 10) + "</b>")
	}
	b.WriteString("</p>\n")
	charted := map[string]bool{}
	for _, sr := range r.Series {
		if sr.Text != "" {
			charted[sr.Text] = true
		}
	}
	for _, sr := range r.Series {
		seriesChart(b, sr)
	}
	for _, t := range r.Tables {
		if charted[t.Title] {
			continue // drawn above as a chart
		}
		b.WriteString("<table><tr>")
		for _, c := range t.Columns {
			b.WriteString("<th>" + html.EscapeString(c) + "</th>")
		}
		b.WriteString("</tr>")
		for _, row := range t.Rows {
			b.WriteString("<tr>")
			for _, c := range row {
				b.WriteString("<td>" + html.EscapeString(c) + "</td>")
			}
			b.WriteString("</tr>")
		}
		b.WriteString("</table>\n")
	}
	b.WriteString("<h2>Checks</h2><ul class=\"checks\">")
	for _, v := range r.Checks {
		cls, mark := "ok", "✔"
		if !v.OK {
			cls, mark = "bad", "✗"
		}
		b.WriteString("<li class=\"" + cls + "\">" + mark + " " + html.EscapeString(v.Title+": "+v.Detail))
		for _, ev := range v.Evidence {
			b.WriteString("<br><small>" + html.EscapeString(ev) + "</small>")
		}
		b.WriteString("</li>")
	}
	b.WriteString("</ul></section>\n")
}

// htmlTrap records script errors in the page itself, so a headless browser
// that dumps the page shows them; it runs before anything else.
const htmlTrap = `window.addEventListener("error",function(e){document.body.dataset.errors+=(e.message||"error")+";"});` +
	`(function(){var o=console.error;console.error=function(){document.body&&(document.body.dataset.errors+="console.error;");o.apply(console,arguments)}})();`

const htmlCSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1em;color:#222}
h1{font-size:1.3em;margin:0}.params{color:#555}code{background:#f3f3f3;padding:2px 4px}
.legend span{margin-right:.6em;font-family:monospace}
.scroll{overflow:auto;border:1px solid #ddd}
svg text{font:12px monospace}svg .name{text-anchor:middle;font-weight:bold}
svg .t{text-anchor:end;fill:#888}svg .lane{stroke:#ccc}
svg .sym{text-anchor:middle;font-size:10px}
.arrow line{stroke-width:2}.arrow{cursor:pointer}.mark{cursor:pointer}
.arrow.cmd line{stroke:#222}.arrow.evt line{stroke:#0a8ab0;stroke-dasharray:2 3}
.arrow.rep line{stroke:#a0a;stroke-dasharray:6 3}.arrow.ack line{stroke:#2a2;stroke-dasharray:6 3}
.arrow.nack line{stroke:#c80;stroke-dasharray:6 3}.arrow.lost line{stroke:#c80;stroke-dasharray:2 2}
.arrow.drop line{stroke:#d22}.arrow.msg line{stroke:#555}
.cmd{color:#222}.evt{color:#0a8ab0}.rep{color:#a0a}.ack{color:#2a2}.nack{color:#c80}.drop,.crash,.bad{color:#d22}.fault{color:#e60}
.mark circle{fill:#fff;stroke:#999}.mark.drop circle{stroke:#d22;fill:#fdd}.mark.good circle{stroke:#2a2}
.mark.nack circle{stroke:#c80}.mark.fault circle{stroke:#e60;fill:#fed}.mark.comp circle{stroke:#a0a}
.band.drop{fill:#fee}.band.fault{fill:#fff3e0}
g.sel line,g.sel circle{stroke-width:4}
.detail{position:sticky;top:0;background:#fffbe6;border:1px solid #eed;padding:.4em;margin:.5em 0;min-height:1.4em;white-space:pre-wrap;font-family:monospace}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:2px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.checks{list-style:none;padding:0}.checks .ok{color:#2a2}
`

const svgDefs = `<defs>` +
	`<marker id="head-cmd" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#222"/></marker>` +
	`<marker id="head-evt" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10" fill="none" stroke="#0a8ab0" stroke-width="1.5"/></marker>` +
	`<marker id="head-rep" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#a0a"/></marker>` +
	`<marker id="head-msg" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#555"/></marker>` +
	`<marker id="head-ack" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M1,5L4,9L9,1" fill="none" stroke="#2a2" stroke-width="2"/></marker>` +
	`<marker id="head-nack" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10" fill="none" stroke="#c80" stroke-width="1.5"/></marker>` +
	`<marker id="head-lost" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><circle cx="5" cy="5" r="4" fill="none" stroke="#c80" stroke-width="1.5"/></marker>` +
	`<marker id="head-drop" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M1,1L9,9M9,1L1,9" stroke="#d22" stroke-width="2"/></marker>` +
	"</defs>\n"

// htmlJS shows a message's details on hover or click, and checks the page
// drew one arrow per message event, writing the result into the page.
const htmlJS = `(function(){
var svg=document.getElementById("lanes"),detail=document.getElementById("detail"),sel=null;
var order=["kind","t","actor","to","id","type","class","key","attempt","took","note","why"];
function show(g){var d=g.dataset,s=[];order.forEach(function(k){if(d[k])s.push(k+": "+d[k])});detail.textContent=s.join("\n")}
svg.querySelectorAll("g.arrow,g.mark").forEach(function(g){
g.addEventListener("mouseenter",function(){show(g)});
g.addEventListener("click",function(){if(sel)sel.classList.remove("sel");sel=g;g.classList.add("sel");show(g)});
});
var want=+svg.dataset.arrows,got=svg.querySelectorAll("g.arrow").length;
var ok=want===got&&document.body.dataset.errors==="";
document.body.dataset.selfcheck=(ok?"ok ":"fail ")+got+" arrows of "+want;
document.getElementById("selfcheck").textContent="self-check: "+document.body.dataset.selfcheck;
})();`

// seriesChart draws a series as an SVG bar chart: one bar per step, the
// highest value at the top, virtual time along the bottom.
func seriesChart(b *bytes.Buffer, sr Series) {
	const w, h, left, bottom = 640.0, 120.0, 40.0, 16.0
	var top int64
	for _, v := range sr.Values {
		top = max(top, v)
	}
	n := len(sr.Values)
	fmt.Fprintf(b, "<h3>%s</h3><svg class=\"series\" shape-rendering=\"crispEdges\" width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"%s\">",
		html.EscapeString(sr.Title), w, h, html.EscapeString(sr.Title))
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
