package trace_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// chromium finds a headless-capable Chromium, or skips the test saying how
// to get one; .ci/run installs Debian's chromium, so CI never skips.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium found: install Debian's chromium (apt-get install chromium) to run the browser test")
	return ""
}

// recordHTML renders the showcase run — every kind and class, a crash, a
// dead letter — as an HTML page, and counts the message events that move
// between two actors (the arrows the page must draw).
func recordHTML(t *testing.T) (page []byte, arrows int) {
	h := trace.NewHTML(trace.HTMLOptions{Command: "msgplay showcase --orders 3 <script>"})
	for _, e := range showcase() {
		if e.HasMsg() && e.To != "" && e.To != e.Actor {
			switch e.Kind {
			case trace.Send, trace.Publish, trace.Deliver, trace.Ack, trace.Nack, trace.AckLost, trace.DeadLetter, trace.Drop,
				trace.Call, trace.Response, trace.Replicate:
				arrows++
			}
		}
		h.Event(&e)
	}
	return h.Bytes(), arrows
}

func TestHTMLIsSelfContained(t *testing.T) {
	page, arrows := recordHTML(t)
	s := string(page)
	if arrows == 0 {
		t.Fatal("the scenario has no message events")
	}
	for _, bad := range []string{"http://", "https://", "<link", " src="} {
		if strings.Contains(strings.ReplaceAll(s, `xmlns="http://www.w3.org/2000/svg"`, ""), bad) {
			t.Errorf("the page refers to something outside itself: %q", bad)
		}
	}
	if strings.Contains(s, "<script>\"") || !strings.Contains(s, "&lt;script&gt;") {
		t.Error("the command line is not escaped")
	}
	if got := strings.Count(s, `<g class="arrow `); got != arrows {
		t.Errorf("the page draws %d arrows, want one per message event: %d", got, arrows)
	}
	for _, want := range []string{`data-kind="crash"`, `data-kind="dead-letter"`, "Checks", "no message lost", `data-attempt="2"`,
		`class="arrow evt"`, `class="arrow rep"`, `class="arrow lost"`, `class="mark comp"`} {
		if !strings.Contains(s, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
}

// TestHTMLInChromium opens the page in headless Chromium and reads the
// result of the page's own self-check (no script error, one arrow per
// message event) from the dumped DOM.
func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	page, arrows := recordHTML(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "run.html")
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--enable-logging=stderr", "--v=0",
		"--dump-dom", "file://"+file)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	dom := string(out)
	m := regexp.MustCompile(`data-selfcheck="([^"]*)"`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the dumped page has no self-check:\n%.2000s", dom)
	}
	want := "ok " + strconv.Itoa(arrows) + " arrows of " + strconv.Itoa(arrows)
	if m[1] != want {
		t.Errorf("self-check %q, want %q", m[1], want)
	}
	if e := regexp.MustCompile(`data-errors="([^"]*)"`).FindStringSubmatch(dom); e == nil || e[1] != "" {
		t.Errorf("the page reported script errors: %v", e)
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(line, "CONSOLE") && (strings.Contains(line, "Uncaught") || strings.Contains(line, "Error")) {
			t.Errorf("console error: %s", line)
		}
	}
}
