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
