package cmd

import (
	"bytes"
	"strings"
	"testing"
)

func TestPagerStopsEveryScreenAndQuitsOnQ(t *testing.T) {
	var out bytes.Buffer
	lines := make(chan string, 2)
	lines <- ""
	lines <- "q"
	p := &pager{w: &out, lines: lines, height: 4}
	for i := range 10 {
		p.Write([]byte(strings.Repeat("x", i) + "\n"))
	}
	want := "\n" + "x\n" + "xx\n" + pagerPrompt + pagerErase + "xxx\n" + "xxxx\n" + "xxxxx\n" + pagerPrompt + pagerErase
	if out.String() != want || !p.quit {
		t.Errorf("paged output %q (quit %v), want %q then quit", out.String(), p.quit, want)
	}
}

// On a terminal the tour shows each run a screen at a time: no more
// lines than the screen holds between two prompts, and q at a screen's
// prompt ends the tour there.
func TestTourPagesAScreenAtATime(t *testing.T) {
	var out, errb bytes.Buffer
	in := strings.Repeat("\n", 6) + "q\n"
	ios := &IOStreams{In: strings.NewReader(in), Out: &out, Err: &errb, InIsTerminal: true, OutIsTerminal: true,
		Getenv: func(k string) string {
			if k == "LINES" {
				return "20"
			}
			return ""
		}}
	if code := Run([]string{"tour", "--color", "never"}, ios); code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	screens := strings.Split(out.String(), pagerPrompt)
	if len(screens) < 4 {
		t.Fatalf("want the runs paged, got %d screens:\n%s", len(screens), out.String())
	}
	for i, s := range screens[:len(screens)-1] {
		// A tour pause also asks for Enter and starts a new screen.
		for _, part := range strings.Split(s, "[Enter: ") {
			if n := strings.Count(part, "\n"); n > 20 {
				t.Errorf("screen %d holds %d lines, more than the 20 of the terminal:\n%s", i, n, part)
			}
		}
	}
	if !strings.HasSuffix(out.String(), "The tour ends here.\n") || strings.Contains(out.String(), "That is the tour") {
		t.Errorf("q at a screen's prompt did not end the tour there:\n%s", out.String())
	}
}
