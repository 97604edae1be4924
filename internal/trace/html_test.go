package trace_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/msgplay/msgplay/internal/headless"
	"github.com/msgplay/msgplay/internal/trace"
)

// recordHTML renders the showcase run — every kind and class, a crash, a
// dead letter — as an HTML page, with one note that tries to close the
// page's script element, and returns the events it was given.
func recordHTML(t *testing.T) (page []byte, events []trace.Event) {
	h := trace.NewHTML(trace.HTMLOptions{Command: "msgplay showcase --orders 3 <script>"})
	for _, e := range showcase() {
		if e.Kind == trace.Summary {
			n := trace.Event{Seq: e.Seq, T: e.T, Kind: trace.Note, Actor: "billing", Note: "</script><b>not markup</b>"}
			events = append(events, n)
			h.Event(&n)
			e.Seq++
		}
		events = append(events, e)
		h.Event(&e)
	}
	return h.Bytes(), events
}

// dataSection returns the JSON Lines embedded in a page's first player.
func dataSection(t *testing.T, page []byte) []byte {
	m := regexp.MustCompile(`(?s)<script type="application/x-ndjson" class="trace">\n(.*?)</script>`).FindSubmatch(page)
	if m == nil {
		t.Fatal("the page has no data section")
	}
	return bytes.ReplaceAll(m[1], []byte(`\u003c`), []byte("<"))
}

func TestHTMLIsSelfContained(t *testing.T) {
	page, _ := recordHTML(t)
	s := string(page)
	for _, bad := range []string{"http://", "https://", "<link", " src=", "@import", "url(http"} {
		if strings.Contains(strings.ReplaceAll(s, `"http://www.w3.org/2000/svg"`, ""), bad) {
			t.Errorf("the page refers to something outside itself: %q", bad)
		}
	}
	if strings.Contains(s, "<script>\"") || !strings.Contains(s, "&lt;script&gt;") {
		t.Error("the command line is not escaped")
	}
	if strings.Contains(s, "<b>not markup") || strings.Count(s, "</script>") != strings.Count(s, "<script") {
		t.Error("a note closed the data's script element")
	}
	if strings.Contains(s, "self-check") {
		t.Error("the page still shows its self-check line")
	}
	for _, want := range []string{"no message lost", `class="controls"`, `"dead-letter":{"symbol":"☒","html":"drop"`} {
		if !strings.Contains(s, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
}

// TestHTMLDataIsTheJSONTrace: the page's data is, byte for byte, what
// `--format json` writes for the same events, so the page shows exactly
// the trace.
func TestHTMLDataIsTheJSONTrace(t *testing.T) {
	page, events := recordHTML(t)
	var want bytes.Buffer
	j := trace.NewJSON(&want)
	for i := range events {
		j.Event(&events[i])
	}
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := dataSection(t, page); !bytes.Equal(got, want.Bytes()) {
		t.Errorf("the page's data differs from the JSON trace:\n got %.400s\nwant %.400s", got, want.Bytes())
	}
}

// TestHTMLInChromium opens the showcase page in headless Chromium: the
// sequence view draws one row per event and an arrow for exactly the
// events every renderer draws as arrows, and every kind shows up.
func TestHTMLInChromium(t *testing.T) {
	ctx := headless.Browser(t, 1400, 1000)
	page, events := recordHTML(t)
	file := filepath.Join(t.TempDir(), "run.html")
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}
	headless.Open(t, ctx, file)
	rows, arrows := 0, 0
	kinds := map[string]bool{}
	for i := range events {
		e := &events[i]
		if e.Kind == trace.Run || e.Kind == trace.Summary {
			continue
		}
		rows++
		kinds[e.Kind.String()] = true
		if trace.IsArrow(e) {
			arrows++
		}
	}
	if got := headless.Eval[int](t, ctx, `document.querySelectorAll(".seqsvg .row").length`); got != rows {
		t.Errorf("the sequence view draws %d rows, want one per event: %d", got, rows)
	}
	if got := headless.Eval[int](t, ctx, `document.querySelectorAll(".seqsvg .row.arrow").length`); got != arrows {
		t.Errorf("the sequence view draws %d arrows, want %d", got, arrows)
	}
	drawn := headless.Eval[[]string](t, ctx, `[...new Set([...document.querySelectorAll(".seqsvg .row")].map(r => r.dataset.kind))]`)
	for _, k := range drawn {
		delete(kinds, k)
	}
	if len(kinds) > 0 {
		t.Errorf("kinds not drawn: %v", kinds)
	}
	if got := headless.Eval[int](t, ctx, `document.querySelectorAll(".topo .node").length`); got < 3 {
		t.Errorf("the topology has %d nodes", got)
	}
}
