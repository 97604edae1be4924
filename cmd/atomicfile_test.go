package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `--html ""` was once silently ignored.
func TestHTMLWithNoFileIsAUsageError(t *testing.T) {
	for _, args := range [][]string{{"competing", "--html", ""}, {"competing", "--html="}} {
		code, _, stderr := run(args...)
		if code != ExitUsage || !strings.HasPrefix(stderr, "msgplay: --html: ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q; want %d and one line naming --html", args, code, stderr, ExitUsage)
		}
	}
}

// The page was once emptied before the run started and written in place,
// so a run that failed (here: stdout cannot be written) left it empty or
// truncated. The old page stays whole, and no temporary file is left.
func TestAFailedRunLeavesTheOldPageWhole(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "page.html")
	if err := os.WriteFile(page, []byte("old page"), 0o644); err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	code := Run([]string{"competing", "--messages", "3", "--html", page},
		&IOStreams{In: strings.NewReader(""), Out: failingWriter{}, Err: &errb, Getenv: func(string) string { return "" }})
	if code != ExitFailure {
		t.Fatalf("exit %d, stderr %q; want %d", code, errb.String(), ExitFailure)
	}
	if b, _ := os.ReadFile(page); string(b) != "old page" {
		t.Errorf("the old page became %d bytes %.40q", len(b), b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files left in the directory: %v", ents)
	}
	if code, _, stderr := run("competing", "--messages", "3", "--quiet", "--html", page); code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if b, _ := os.ReadFile(page); !bytes.HasPrefix(b, []byte("<!doctype html>")) || !bytes.HasSuffix(b, []byte("</html>\n")) {
		t.Errorf("the new page is not whole: %d bytes", len(b))
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files left in the directory: %v", ents)
	}
}
