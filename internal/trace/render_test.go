package trace_test

import (
	"bytes"
	"cmp"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/msgplay/msgplay/internal/trace"
)

// hostile is a trace whose names, types, notes and ids hold every
// character that could break a diagram or a terminal line.
func hostile() []trace.Event {
	bad := "a;b#c<d>e&f%%g:h\nend\t\"x\" -->> y -x z %% note"
	m := trace.Msg{ID: "m#1;", Type: "Place;Order<script>", Class: trace.Command, Key: "k&" + bad, Attempt: 2}
	return []trace.Event{
		{Seq: 1, Kind: trace.Run, Actor: "msgplay", Note: "competing", Params: []trace.Param{{Name: "seed", Value: "1"}},
			Actors: []string{"end", "producer;x", "q#1"}},
		{Seq: 2, Kind: trace.Send, Actor: "producer;x", To: "q#1", Msg: m, Note: bad},
		{Seq: 3, Kind: trace.Deliver, Actor: "q#1", To: "end", Msg: m, Why: bad},
		{Seq: 4, T: time.Millisecond, Kind: trace.Crash, Actor: "end", Note: bad},
		{Seq: 5, T: time.Millisecond, Kind: trace.Drop, Actor: "end", To: "q#1", Msg: m, Note: bad},
		{Seq: 6, T: time.Millisecond, Kind: trace.Publish, Actor: "producer;x", To: "t<1>", Msg: trace.Msg{ID: "e1", Type: "Evt", Class: trace.EventMsg}},
		{Seq: 7, T: 2 * time.Millisecond, Kind: trace.Summary, Actor: "msgplay",
			Report: &trace.Report{Pattern: "x", End: 2 * time.Millisecond, Checks: []trace.Verdict{{Name: "n", Title: bad, Detail: bad}}}},
	}
}

func render(s interface {
	trace.Sink
	Flush() error
}, events []trace.Event) {
	for i := range events {
		s.Event(&events[i])
	}
	s.Flush()
}

// TestMermaidHostileLabels checks every line of the diagram is one
// statement whose label holds none of the characters Mermaid's grammar
// reads. With MSGPLAY_MERMAID_DIR set it also writes the diagram there, for
// .ci/run to parse with the real mermaid parser.
var entity = regexp.MustCompile(`#[a-z0-9]+;|<br/>`)

func TestMermaidHostileLabels(t *testing.T) {
	var b bytes.Buffer
	render(trace.NewMermaid(&b, trace.MermaidOptions{Explain: true}), hostile())
	out := b.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if lines[0] != "sequenceDiagram" || !strings.Contains(out, "    autonumber\n") {
		t.Fatalf("not a numbered sequence diagram:\n%s", out)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "    ") {
			t.Errorf("a label broke onto its own line: %q", l)
		}
		_, label, _ := strings.Cut(l, ": ")
		if bare := entity.ReplaceAllString(label, ""); strings.ContainsAny(bare, ";#<>%&\t") {
			t.Errorf("unescaped label: %q (%q)", l, bare)
		}
	}
	for _, want := range []string{"participant p1 as producer#59;x", "p1->>p2: send m#35;1#59;", "p2->>p3: deliver", "p3-xp2: drop", "p1-)p4: publish e1 Evt", "Note over p3: ✗ crash"} {
		if !strings.Contains(out, want) {
			t.Errorf("the diagram lacks %q:\n%s", want, out)
		}
	}
	if dir := os.Getenv("MSGPLAY_MERMAID_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "hostile.mmd"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLanesDrawArrowsByClass(t *testing.T) {
	var b bytes.Buffer
	ev := []trace.Event{
		{Kind: trace.Run, Actor: "msgplay", Note: "x", Actors: []string{"a", "q", "b"}},
		{Kind: trace.Send, Actor: "a", To: "q", Msg: trace.Msg{ID: "m1", Type: "Do", Class: trace.Command}},
		{Kind: trace.Publish, Actor: "a", To: "q", Msg: trace.Msg{ID: "e1", Type: "Done", Class: trace.EventMsg}},
		{Kind: trace.Send, Actor: "b", To: "a", Msg: trace.Msg{ID: "r1", Type: "Ok", Class: trace.Reply}},
		{T: time.Millisecond, Kind: trace.Ack, Actor: "b", To: "q", Msg: trace.Msg{ID: "m1", Type: "Do", Class: trace.Command}},
		{T: time.Millisecond, Kind: trace.Drop, Actor: "b", To: "q", Msg: trace.Msg{ID: "m2", Type: "Do", Class: trace.Command}},
		{T: time.Millisecond, Kind: trace.Crash, Actor: "b", Note: "boom"},
		{T: time.Millisecond, Kind: trace.Commit, Actor: "q"},
		{T: 2 * time.Millisecond, Kind: trace.Summary, Actor: "msgplay", Report: &trace.Report{}},
	}
	render(trace.NewLanes(&b, trace.LanesOptions{Width: 80}), ev)
	out := b.String()
	// The labels are short, so the spare width spaces the lanes out.
	for _, want := range []string{`│━+▶│`, `│┈+▷│`, `│◀╌+│`, `│✔╌+│`, `│∅─+│`, `✗ +crash boom`, `◆ +│ +commit`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("lanes lack %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Errorf("line of %d columns: %q", n, l)
		}
	}
	// The first instant's actors come first, in the order they take part.
	if !regexp.MustCompile(`\n +a +q +b\n`).MatchString(out) {
		t.Errorf("lanes not in order of first appearance:\n%s", out)
	}
}

func TestLanesSayWhenActorsDoNotFit(t *testing.T) {
	var b bytes.Buffer
	actors := make([]string, 30)
	for i := range actors {
		actors[i] = "worker-" + string(rune('a'+i%26))
	}
	render(trace.NewLanes(&b, trace.LanesOptions{Width: 60}), []trace.Event{
		{Kind: trace.Run, Actor: "msgplay", Note: "x", Actors: actors},
		{Kind: trace.Crash, Actor: "worker-a"},
		{Kind: trace.Summary, Actor: "msgplay", Report: &trace.Report{}},
	})
	if n := strings.Count(b.String(), "pick some with --only"); n != 1 || !strings.Contains(b.String(), "lanes: 26 actors do not fit in 60 columns; pick some with --only worker-a --only worker-b\n") {
		t.Errorf("want one line suggesting --only:\n%s", b.String())
	}
}

func TestFocusOnlyAndFollow(t *testing.T) {
	ev := []trace.Event{
		{Kind: trace.Run},
		{Kind: trace.Send, Actor: "p", To: "q", Msg: trace.Msg{ID: "m1", Key: "o-1"}},
		{Kind: trace.Deliver, Actor: "q", To: "w1", Msg: trace.Msg{ID: "m1", Key: "o-1"}},
		{Kind: trace.Deliver, Actor: "q", To: "w2", Msg: trace.Msg{ID: "m2", Key: "o-2"}},
		{Kind: trace.Crash, Actor: "w2"},
		{Kind: trace.Summary},
	}
	kinds := func(only []string, follow string) string {
		var got []string
		f := trace.NewFocus(trace.SinkFunc(func(e *trace.Event) { got = append(got, e.Kind.String()+":"+e.Actor+">"+e.To) }), only, follow)
		for i := range ev {
			f.Event(&ev[i])
		}
		return strings.Join(got, " ")
	}
	cases := []struct {
		only   []string
		follow string
		want   string
	}{
		{nil, "", "run:> send:p>q deliver:q>w1 deliver:q>w2 crash:w2> summary:>"},
		{[]string{"w2"}, "", "run:> deliver:q>w2 crash:w2> summary:>"},
		{[]string{"w1", "p"}, "", "run:> send:p>q deliver:q>w1 summary:>"},
		{nil, "m1", "run:> send:p>q deliver:q>w1 summary:>"},
		{nil, "o-2", "run:> deliver:q>w2 crash:w2> summary:>"}, // the crash of the worker holding it
		{[]string{"w1"}, "m1", "run:> deliver:q>w1 summary:>"},
	}
	for _, c := range cases {
		if got := kinds(c.only, c.follow); got != c.want {
			t.Errorf("only %v follow %q: got %s, want %s", c.only, c.follow, got, c.want)
		}
	}
}

func TestCapSaysHowManyWereLeftOut(t *testing.T) {
	var notes []string
	n := 0
	c := trace.NewCap(trace.SinkFunc(func(e *trace.Event) {
		n++
		if e.Kind == trace.Note {
			notes = append(notes, e.Note)
		}
	}), 3)
	c.Event(&trace.Event{Kind: trace.Run})
	for i := 0; i < 10; i++ {
		c.Event(&trace.Event{Kind: trace.Send})
	}
	c.Event(&trace.Event{Kind: trace.Summary})
	if n != 1+3+1+1 || len(notes) != 1 || notes[0] != "7 more events not drawn (--max-events 3)" {
		t.Errorf("passed %d events, notes %q", n, notes)
	}
}

func TestPacerSleepsVirtualTimeOverSpeed(t *testing.T) {
	var slept []time.Duration
	p := trace.NewPacer(trace.SinkFunc(func(*trace.Event) {}), func() error { return nil }, trace.PaceOptions{
		Speed: 0.5,
		Sleep: func(d time.Duration, _ <-chan struct{}) bool { slept = append(slept, d); return true },
	})
	for _, at := range []time.Duration{0, 10 * time.Millisecond, 10 * time.Millisecond, 25 * time.Millisecond} {
		p.Event(&trace.Event{Kind: trace.Send, T: at})
	}
	if len(slept) != 2 || slept[0] != 20*time.Millisecond || slept[1] != 30*time.Millisecond {
		t.Errorf("slept %v, want [20ms 30ms]", slept)
	}
}

// --speed 1e-300 once overflowed the wait into a negative duration: the
// speed is held to MinSpeed..MaxSpeed and the wait saturates.
func TestPacerWaitNeverOverflows(t *testing.T) {
	for _, c := range []struct {
		speed float64
		at    time.Duration
		want  time.Duration
	}{
		{1e-300, time.Second, 1000 * time.Second},
		{1e300, time.Second, time.Millisecond},
		{0.001, 10000 * time.Hour, math.MaxInt64},
	} {
		var slept []time.Duration
		p := trace.NewPacer(trace.SinkFunc(func(*trace.Event) {}), func() error { return nil }, trace.PaceOptions{
			Speed: c.speed,
			Sleep: func(d time.Duration, _ <-chan struct{}) bool { slept = append(slept, d); return true },
		})
		p.Event(&trace.Event{Kind: trace.Send, T: 0})
		p.Event(&trace.Event{Kind: trace.Send, T: c.at})
		if len(slept) != 1 || slept[0] != c.want {
			t.Errorf("speed %g, %v of virtual time: slept %v, want [%v]", c.speed, c.at, slept, c.want)
		}
	}
}

func TestPacerStepStopsOnQ(t *testing.T) {
	lines := make(chan string, 2)
	lines <- ""
	lines <- "q"
	shown := 0
	p := trace.NewPacer(trace.SinkFunc(func(*trace.Event) { shown++ }), func() error { return nil },
		trace.PaceOptions{Step: trace.StepEvery, Lines: lines})
	for i := 0; i < 5; i++ {
		if p.Stop() != "" { // the world asks before each step; here, one event each
			break
		}
		p.Event(&trace.Event{Kind: trace.Send, T: time.Duration(i) * time.Millisecond})
	}
	if p.Stop() != "stopped early with q at 1ms" || p.Interrupted() || shown != 2 {
		t.Errorf("want a stop by q after two events at 1ms, got %q (interrupted %v) after %d events",
			p.Stop(), p.Interrupted(), shown)
	}
	p.Event(&trace.Event{Kind: trace.Send, T: 9 * time.Millisecond})
	p.Event(&trace.Event{Kind: trace.Summary})
	if shown != 3 {
		t.Errorf("the summary did not pass a stopped pacer: %d events shown", shown)
	}
}

func TestTextExplainWrapsWhyUnderTheEvent(t *testing.T) {
	var b bytes.Buffer
	why := strings.Repeat("the broker waited out the visibility timeout ", 4)
	render(trace.NewText(&b, trace.TextOptions{Explain: true}), []trace.Event{
		{Kind: trace.Run, Note: "x"},
		{Kind: trace.Timeout, Actor: "orders", To: "w", Msg: trace.Msg{ID: "m1", Type: "T"}, Why: why},
		{Kind: trace.Send, Actor: "p", To: "q", Msg: trace.Msg{ID: "m2", Type: "T"}},
	})
	lines := strings.Split(b.String(), "\n")
	var whys int
	for i, l := range lines {
		if utf8.RuneCountInString(l) > trace.DefaultWidth {
			t.Errorf("line over the width: %q", l)
		}
		if strings.Contains(l, "» ") {
			whys++
			if !strings.Contains(lines[i-1], "timeout") {
				t.Errorf("the explanation is not under its event:\n%s", b.String())
			}
		}
	}
	if whys != 1 || !regexp.MustCompile(`\n {40,}waited out`).MatchString(b.String()) {
		t.Errorf("want one wrapped explanation:\n%s", b.String())
	}
	var plain bytes.Buffer
	render(trace.NewText(&plain, trace.TextOptions{}), []trace.Event{{Kind: trace.Run}, {Kind: trace.Timeout, Actor: "q", Why: why}})
	if strings.Contains(plain.String(), "»") {
		t.Error("the explanation shows without --explain")
	}
}

// benchEvents is a run of n message events cycling through the kinds a
// queue run emits.
func benchEvents(n int) []trace.Event {
	ev := make([]trace.Event, 0, 8)
	m := trace.Msg{ID: "m123", Type: "PlaceOrder", Class: trace.Command, Key: "order-1123", Attempt: 1}
	ev = append(ev,
		trace.Event{Kind: trace.Send, Actor: "producer", To: "orders", Msg: m},
		trace.Event{Kind: trace.Deliver, Actor: "orders", To: "worker-2", Msg: m},
		trace.Event{Kind: trace.Handle, Actor: "worker-2", To: "orders", Msg: m, Took: 30 * time.Millisecond, Note: "order placed"},
		trace.Event{Kind: trace.Ack, Actor: "worker-2", To: "orders", Msg: m},
	)
	_ = n
	return ev
}

func benchRenderer(b *testing.B, mk func(w io.Writer) interface {
	trace.Sink
	Flush() error
}) {
	const events = 1_000_000
	cycle := benchEvents(events)
	for b.Loop() {
		s := mk(io.Discard)
		s.Event(&trace.Event{Kind: trace.Run, Actor: "msgplay", Note: "competing",
			Actors: []string{"worker-1", "worker-2", "worker-3", "producer", "orders"}})
		for i := 0; i < events; i++ {
			e := cycle[i%len(cycle)]
			e.Seq, e.T = int64(i+2), time.Duration(i)*time.Microsecond
			s.Event(&e)
		}
		s.Event(&trace.Event{Kind: trace.Summary, Actor: "msgplay", Report: &trace.Report{}})
		s.Flush()
	}
}

// headlineEvents returns the events of n messages shaped as the late part
// of the headline run (competing --messages 1000000 --consumers 8):
// numbered messages, as competing's are, with ids of six digits, times
// past 750s, eight workers, handle lines whose note must wrap. Each message is sent, delivered, handled and acked.
func headlineEvents(n int) []trace.Event {
	ev := make([]trace.Event, 0, 4*n)
	workers := []string{"worker-1", "worker-2", "worker-3", "worker-4", "worker-5", "worker-6", "worker-7", "worker-8"}
	names := &trace.Numbering{ID: "m", Key: "order-", KeyFrom: 1000} // as competing numbers its orders
	for i := range n {
		num := 750_001 + i
		m := trace.Msg{Type: "PlaceOrder", Class: trace.Command, Num: uint64(num), Names: names, Attempt: 1}
		w := workers[i%len(workers)]
		t := 750*time.Second + time.Duration(i)*time.Millisecond
		took := time.Duration(i*7919%6000+100) * time.Microsecond
		ev = append(ev,
			trace.Event{Kind: trace.Send, T: t, Actor: "producer", To: "orders", Msg: m},
			trace.Event{Kind: trace.Deliver, T: t, Actor: "orders", To: w, Msg: m},
			trace.Event{Kind: trace.Handle, T: t + took, Actor: w, To: "orders", Msg: m, Took: took, Note: "order placed"},
			trace.Event{Kind: trace.Ack, T: t + took, Actor: w, To: "orders", Msg: m},
		)
	}
	// In time order, as a run emits them: the events of a few messages
	// interleave.
	slices.SortStableFunc(ev, func(a, b trace.Event) int { return cmp.Compare(a.T, b.T) })
	return ev
}

// benchHeadline renders the events of 250,000 headline messages (a
// million events) per op.
func benchHeadline(b *testing.B, mk func(w io.Writer) flushSink) {
	events := headlineEvents(250_000)
	for b.Loop() {
		renderHeadline(mk(io.Discard), events)
	}
}

// renderHeadline renders the run, events and summary of a headline run
// (a function of its own so that callgrind can count it alone:
// --toggle-collect='*renderHeadline*').
func renderHeadline(s flushSink, events []trace.Event) {
	s.Event(&trace.Event{Kind: trace.Run, Actor: "msgplay", Note: "competing",
		Actors: []string{"producer", "orders", "worker-1", "worker-2", "worker-3", "worker-4",
			"worker-5", "worker-6", "worker-7", "worker-8"}})
	for i := range events {
		events[i].Seq = int64(i + 2)
		s.Event(&events[i])
	}
	s.Event(&trace.Event{Kind: trace.Summary, Actor: "msgplay", Report: &trace.Report{}})
	s.Flush()
}

// BenchmarkTextHeadline renders a million events of the headline's late
// part as text: long ids and times, a wrapped note on every handle line.
func BenchmarkTextHeadline(b *testing.B) {
	benchHeadline(b, func(w io.Writer) flushSink { return trace.NewText(w, trace.TextOptions{}) })
}

// BenchmarkJSONHeadline renders the same million events as JSON Lines.
func BenchmarkJSONHeadline(b *testing.B) {
	benchHeadline(b, func(w io.Writer) flushSink { return trace.NewJSON(w) })
}

type flushSink = interface {
	trace.Sink
	Flush() error
}

// BenchmarkText1M renders a million events as text; each op is the whole
// million.
func BenchmarkText1M(b *testing.B) {
	benchRenderer(b, func(w io.Writer) flushSink { return trace.NewText(w, trace.TextOptions{}) })
}

// BenchmarkJSON1M renders a million events as JSON Lines.
func BenchmarkJSON1M(b *testing.B) {
	benchRenderer(b, func(w io.Writer) flushSink { return trace.NewJSON(w) })
}

// BenchmarkLanes1M renders a million events as lanes.
func BenchmarkLanes1M(b *testing.B) {
	benchRenderer(b, func(w io.Writer) flushSink { return trace.NewLanes(w, trace.LanesOptions{}) })
}

// BenchmarkMermaid1M renders a million events as a Mermaid diagram.
func BenchmarkMermaid1M(b *testing.B) {
	benchRenderer(b, func(w io.Writer) flushSink { return trace.NewMermaid(w, trace.MermaidOptions{}) })
}
