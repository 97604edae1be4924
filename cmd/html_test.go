package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// pageData returns the JSON Lines embedded in each player of an HTML page,
// with the '<' the page escapes put back.
func pageData(t *testing.T, file string) [][]byte {
	t.Helper()
	page, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, m := range regexp.MustCompile(`(?s)<script type="application/x-ndjson" class="trace">\n(.*?)</script>`).FindAllSubmatch(page, -1) {
		out = append(out, bytes.ReplaceAll(m[1], []byte(`\u003c`), []byte("<")))
	}
	return out
}

// TestPageDataIsTheJSONTrace: the page embeds exactly what --format json
// prints for the same flags, capped or not.
func TestPageDataIsTheJSONTrace(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"competing", "--crash", "worker-1@50ms"},
		{"saga", "--max-events", "9"},
		{"pubsub", "--only", "email"},
	} {
		file := filepath.Join(dir, "p.html")
		code, json, stderr := run(append(args, "--format", "json")...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if code, _, stderr := run(append(args, "--quiet", "--html", file)...); code != ExitOK {
			t.Fatalf("%v --html: exit %d: %s", args, code, stderr)
		}
		data := pageData(t, file)
		if len(data) != 1 || string(data[0]) != json {
			t.Errorf("%v: the page's data is not the JSON trace:\n%.600s\nwant\n%.600s", args, data, json)
		}
	}
}

// TestPageCapsWhatItDraws: a page draws MaxHTMLEvents events unless told,
// and says how many it left out.
func TestPageCapsWhatItDraws(t *testing.T) {
	file := filepath.Join(t.TempDir(), "big.html")
	if code, _, stderr := run("competing", "--messages", "6000", "--quiet", "--html", file); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data := pageData(t, file)
	if n := bytes.Count(data[0], []byte("\n")); n != MaxHTMLEvents+2 {
		t.Errorf("the page holds %d lines, want %d events, the run and the summary", n, MaxHTMLEvents)
	}
	page, _ := os.ReadFile(file)
	if !regexp.MustCompile(`Drawn: the first 20000 events of 2[0-9]{4} \(--max-events 20000\)`).Match(page) {
		t.Error("the page does not say it left events out")
	}
}
