package cmd

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/msgplay/msgplay/internal/headless"
)

// jsonEvent is what the browser tests read of a JSON line.
type jsonEvent struct {
	Seq  int64  `json:"seq"`
	TUS  int64  `json:"t_us"`
	Kind string `json:"kind"`
	Msg  *struct {
		ID string `json:"id"`
	} `json:"msg"`
}

func jsonEvents(t *testing.T, data []byte) []jsonEvent {
	var out []jsonEvent
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var e jsonEvent
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		if e.Kind != "run" && e.Kind != "summary" {
			out = append(out, e)
		}
	}
	return out
}

// writePage runs msgplay with args and --html, returning the page's path.
func writePage(t *testing.T, args ...string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "page.html")
	if code, _, stderr := run(append(args, "--quiet", "--html", file)...); code != ExitOK {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	return file
}

// TestPlayerInChromium drives the player of a run where a worker crashes:
// playing moves the dots, stepping moves the clock to the next event's
// time, and clicking a message highlights exactly its events in both views.
func TestPlayerInChromium(t *testing.T) {
	ctx := headless.Browser(t, 1400, 1000)
	file := writePage(t, "competing", "--crash", "worker-1@50ms")
	events := jsonEvents(t, pageData(t, file)[0])
	headless.Open(t, ctx, file)

	// play: a dot in flight moves along its edge
	const where = `Object.fromEntries([...document.querySelectorAll(".topo .dot")].map(d => [d.dataset.seq, d.getAttribute("transform")]))`
	headless.Do(t, ctx, click(`button.play`))
	moved, seen := 0, 0
	last := headless.Eval[map[string]string](t, ctx, where)
	for i := 0; i < 40 && moved == 0; i++ {
		headless.Do(t, ctx, chromedp.Sleep(50*time.Millisecond))
		now := headless.Eval[map[string]string](t, ctx, where)
		for seq, p := range now {
			if q, ok := last[seq]; ok {
				seen++
				if q != p {
					moved++
				}
			}
		}
		last = now
	}
	headless.Do(t, ctx, click(`button.play`))
	if moved == 0 {
		t.Errorf("no dot moved in 2 s of playing (%d dots seen twice)", seen)
	}
	if headless.Eval[bool](t, ctx, `document.querySelector("button.play").classList.contains("on")`) {
		t.Error("the second click did not pause")
	}

	// step: from the start, three steps forward and one back with the keys
	headless.Do(t, ctx, click(`button.restart`), click(`button.fwd`), click(`button.fwd`),
		chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowLeft))
	n := headless.Eval[int](t, ctx, `+document.querySelector(".time").dataset.n`)
	tus := headless.Eval[int64](t, ctx, `+document.querySelector(".time").dataset.t`)
	if n != 3 || tus != events[2].TUS {
		t.Errorf("after 4 steps forward and 1 back: event %d at %dµs, want event 3 at %dµs", n, tus, events[2].TUS)
	}
	cur := headless.Eval[int](t, ctx, `+document.querySelector(".seqsvg .cursor").getAttribute("y")`)
	row := headless.Eval[int](t, ctx, `+document.querySelector('.seqsvg .row[data-seq="`+itoa(events[2].Seq)+`"] .t').getAttribute("y")`)
	if row-cur != 14 {
		t.Errorf("the sequence view's cursor is at y %d, not on the row of event 3 (y %d)", cur, row)
	}
	// the scrubber's thumb is where that time is
	thumb := headless.Eval[string](t, ctx, `document.querySelector(".scrub .thumb").style.left`)
	if thumb == "" {
		t.Error("the scrubber has no thumb position")
	}

	// click a redelivered message: its whole life, in both views and the panel
	var id string
	for _, e := range events {
		if e.Kind == "timeout" && e.Msg != nil {
			id = e.Msg.ID
			break
		}
	}
	if id == "" {
		t.Fatal("the run has no timed-out message to follow")
	}
	var want []string
	for _, e := range events {
		if e.Msg != nil && e.Msg.ID == id {
			want = append(want, itoa(e.Seq))
		}
	}
	headless.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('.seqsvg .row[data-id="`+id+`"]').dispatchEvent(new MouseEvent("click", {bubbles: true}))`))
	rows := headless.Eval[[]string](t, ctx, `[...document.querySelectorAll(".seqsvg .row.hl")].map(r => r.dataset.seq)`)
	listed := headless.Eval[[]string](t, ctx, `[...document.querySelectorAll("#panel li")].map(r => r.dataset.seq)`)
	if !slices.Equal(rows, want) {
		t.Errorf("highlighted rows %v, want the events of %s: %v", rows, id, want)
	}
	if !slices.Equal(listed, want) {
		t.Errorf("the panel lists %v, want %v", listed, want)
	}
	if headless.Eval[int](t, ctx, `document.querySelectorAll(".topo path.edge.hl").length`) < 3 {
		t.Error("the topology does not highlight the edges the message took")
	}
	if headless.Eval[bool](t, ctx, `document.getElementById("panel").hidden`) {
		t.Error("the panel is hidden")
	}
}

// click clicks the first element matching the CSS selector sel.
func click(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`document.querySelector("` + sel + `").click()`)
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestComparePageInChromium: the two runs of a compare page share one
// clock, so stepping past the crash both meet shows worker-1 crashed in
// both topologies, and the checks are compared at the top.
func TestComparePageInChromium(t *testing.T) {
	ctx := headless.Browser(t, 1600, 1000)
	file := filepath.Join(t.TempDir(), "cmp.html")
	if code, _, stderr := run("compare", "competing", "--crash", "worker-1@50ms", "--html", file); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	headless.Open(t, ctx, file)
	if n := headless.Eval[int](t, ctx, `document.querySelectorAll(".player svg.topo").length`); n != 2 {
		t.Fatalf("%d topologies, want 2", n)
	}
	if n := headless.Eval[int](t, ctx, `document.querySelectorAll(".controls").length`); n != 1 {
		t.Errorf("%d sets of controls, want one clock", n)
	}
	crashed := `[...document.querySelectorAll(".topo .node.crashed")].map(n => n.dataset.name).join(",")`
	if got := headless.Eval[string](t, ctx, crashed); got != "" {
		t.Errorf("crashed before the crash: %q", got)
	}
	steps := headless.Eval[int](t, ctx, `(() => { const a = window.msgplayActive, tm = document.querySelector(".time"); let k = 0;
		while (+tm.dataset.t <= 50000 && k < 1000) { a.step(1); k++ } return k })()`)
	if got := headless.Eval[string](t, ctx, crashed); got != "worker-1,worker-1" {
		t.Errorf("after %d steps past 50ms, crashed nodes %q, want worker-1 in both runs", steps, got)
	}
	if got := headless.Eval[string](t, ctx, `document.querySelector("table.compare tr.fixed").textContent`); !strings.Contains(got, "✗ → ✔no message lost") {
		t.Errorf("the compared checks read %q", got)
	}
}

// TestTourPageInChromium: the tour page shows one chapter at a time; its
// table of contents switches chapter and the keys drive the one shown.
func TestTourPageInChromium(t *testing.T) {
	ctx := headless.Browser(t, 1600, 1000)
	file := filepath.Join(t.TempDir(), "tour.html")
	if code, _, stderr := run("tour", "--html", file); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	headless.Open(t, ctx, file)
	const shown = `[...document.querySelectorAll("section.run")].filter(s => !s.hidden).map(s => s.id).join(",")`
	if got := headless.Eval[string](t, ctx, shown); got != "s0" {
		t.Errorf("sections shown at first: %q, want s0", got)
	}
	headless.Do(t, ctx, click(`nav.toc a[data-section='2']`), chromedp.KeyEvent(kb.ArrowRight))
	if got := headless.Eval[string](t, ctx, shown); got != "s2" {
		t.Errorf("sections shown after choosing chapter 3: %q, want s2", got)
	}
	if n := headless.Eval[int](t, ctx, `+document.querySelector("#s2 .time").dataset.n`); n != 1 {
		t.Errorf("→ moved chapter 3's clock to event %d, want 1", n)
	}
	if errs := headless.Eval[string](t, ctx, `document.body.dataset.errors`); errs != "" {
		t.Errorf("script errors: %s", errs)
	}
}
