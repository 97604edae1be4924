package cmd

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/msgplay/msgplay/internal/headless"
)

// TestScreenshots writes a screenshot of every pattern's default report
// and of one compare page, each paused at an interesting moment, into the
// folder MSGPLAY_SHOTS names (tools/html-shots.sh sets it); without it the
// test is skipped. Look at them: they are what a presenter puts on a slide.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("MSGPLAY_SHOTS")
	if dir == "" {
		t.Skip("MSGPLAY_SHOTS is not set: run tools/html-shots.sh")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := headless.Browser(t, 1600, 1000)
	shoot := func(name string, args ...string) {
		file := filepath.Join(dir, name+".html")
		if code, _, stderr := run(append(args, "--html", file)...); code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		headless.Open(t, ctx, file)
		headless.Eval[bool](t, ctx, interestingMoment)
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range patternList {
		shoot(p.name, p.name)
	}
	shoot("compare-competing", "compare", "competing", "--crash", "worker-1@50ms")
}

// interestingMoment moves the clock to just after the first crash, fault,
// drop, dead letter or compensation — or to a third of the run when there
// is none — with the messages of that moment in flight.
const interestingMoment = `(() => {
	const c = window.msgplayActive, marked = {crash: 1, fault: 1, drop: 1, "dead-letter": 1, compensate: 1};
	let at = c.length / 3;
	for (const m of c.merged) {
		if (marked[c.runs[m.r].events[m.k].kind]) { at = m.p; break; }
	}
	c.seek(Math.min(at + c.flight / 2, c.length));
	return true;
})()`

// TestPaintTimes measures, for every pattern's default page, a 10,000-event
// run and a compare page, the page's size, its first contentful paint and
// when the player is ready, each the best of three loads. It runs when
// MSGPLAY_PAINT=1 (the README's figures come from it).
func TestPaintTimes(t *testing.T) {
	if os.Getenv("MSGPLAY_PAINT") != "1" {
		t.Skip("MSGPLAY_PAINT=1 measures the pages")
	}
	ctx := headless.Browser(t, 1600, 1000)
	dir := t.TempDir()
	measure := func(name string, args ...string) {
		file := filepath.Join(dir, name+".html")
		if code, _, stderr := run(append(args, "--html", file)...); code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		fi, err := os.Stat(file)
		if err != nil {
			t.Fatal(err)
		}
		best, ready := 1e9, 1e9
		for range 3 {
			headless.Open(t, ctx, file)
			fcp, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`new Promise(done => new PerformanceObserver(list => {
				for (const e of list.getEntries()) if (e.name === "first-contentful-paint") done(e.startTime)
			}).observe({type: "paint", buffered: true}))`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			best = min(best, fcp)
			ready = min(ready, headless.Eval[float64](t, ctx, `+document.body.dataset.readyMs`))
		}
		t.Logf("%-22s %9d bytes  first paint %5.0f ms  player ready %5.0f ms", name, fi.Size(), best, ready)
	}
	for _, p := range patternList {
		measure(p.name, p.name, "--quiet")
	}
	measure("competing-10k-events", "competing", "--messages", "2500", "--quiet")
	measure("competing-1M-drawn-20k", "competing", "--messages", "1000000", "--quiet")
	measure("compare-competing", "compare", "competing", "--crash", "worker-1@50ms")
}
