// Package headless opens msgplay's HTML pages in a headless Chromium for
// tests, through the DevTools protocol (chromedp).
package headless

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium returns the path of a Chromium to drive. Without one it skips
// the test saying how to get one, or fails it when CI=true: .ci/run
// installs Debian's chromium, so CI always runs the browser tests.
func Chromium(t testing.TB) string {
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium found, and CI=true: the browser tests must run in CI (.ci/run installs chromium)")
	}
	t.Skip("no chromium found: install Debian's chromium (apt-get install chromium) to run the browser tests")
	return ""
}

// Browser starts a headless Chromium with a window of w×h pixels and
// returns a context to run chromedp actions in; it stops when the test
// ends, and the whole test must be done with it within three minutes (a busy
// CI machine is slow).
func Browser(t testing.TB, w, h int) context.Context {
	bin := Chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(w, h),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	return ctx
}

// Open loads the page at path and waits until its player is ready; it
// fails the test when the page reported a script error.
func Open(t testing.TB, ctx context.Context, path string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Navigate("file://"+path), chromedp.WaitVisible(`body[data-ready="1"]`))
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	if errs := Eval[string](t, ctx, `document.body.dataset.errors`); errs != "" {
		t.Fatalf("the page reported script errors: %s", errs)
	}
}

// Eval evaluates the JavaScript expression js in the page and returns its
// value, failing the test on an error.
func Eval[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// Do runs chromedp actions, failing the test on an error.
func Do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}
