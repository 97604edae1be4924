package trace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The conformance suite: every kind, with every class of message, as an
// arrow between two actors, as a mark on one actor, and without a message,
// goes through every renderer and every filter. None may panic, draw the
// event blank, or pass the width.

// shape is one way an event can come: moving between two actors, on one
// actor with a message, or with no message at all.
type shape struct {
	name      string
	to, msgID string
}

var shapes = []shape{{"arrow", "orders.dlq", "m12"}, {"mark", "", "m12"}, {"bare", "", ""}}

// conformanceEvent is the event under test: long enough in every field to
// need wrapping, as a real run's can be.
func conformanceEvent(k Kind, c Class, sh shape) Event {
	e := Event{Seq: 2, T: 1234567 * time.Microsecond, Kind: k, Actor: "worker-12", To: sh.to,
		Note: "a note long enough that it has to be wrapped onto a second line when the column is narrow",
		Why:  "why it happened, long enough to wrap as well: the broker waited out the visibility timeout",
		Took: 3 * time.Millisecond}
	if sh.msgID != "" {
		e.Msg = Msg{ID: sh.msgID, Type: "PlaceOrder", Class: c, Key: "order-1012", Attempt: 2}
	}
	return e
}

// conformanceRun is the three-event run around e.
func conformanceRun(e Event) []Event {
	return []Event{
		{Seq: 1, Kind: Run, Actor: "msgplay", Note: "conformance", Params: []Param{{Name: "seed", Value: "1"}},
			Actors: []string{"producer", "orders", "worker-12", "orders.dlq"}},
		e,
		{Seq: 3, T: 2 * time.Second, Kind: Summary, Actor: "msgplay", Report: &Report{Pattern: "conformance",
			End: 2 * time.Second, Totals: []Count{{"sent", 1}}, Checks: []Verdict{{Name: "n", Title: "t", OK: true}}}},
	}
}

type flushSink interface {
	Sink
	Flush() error
}

func feed(s Sink, events []Event) {
	for i := range events {
		e := events[i]
		s.Event(&e)
	}
	if f, ok := s.(flushSink); ok {
		f.Flush()
	}
}

// eachCase runs f on every kind × class × shape.
func eachCase(t *testing.T, f func(t *testing.T, e Event)) {
	for k := Kind(0); k < numKinds; k++ {
		if k == Run || k == Summary {
			continue // they open and close every run below
		}
		if sym := strings.TrimSpace(k.info().symbol); sym == "" || k.String() == "" {
			t.Errorf("kind %d has no name or no symbol: it would render blank", k)
			continue
		}
		for c := range classes {
			for _, sh := range shapes {
				if sh.msgID == "" && c != int(NoClass) {
					continue
				}
				e := conformanceEvent(k, Class(c), sh)
				t.Run(fmt.Sprintf("%s/%s/%s", k, classes[c].tag, sh.name), func(t *testing.T) { f(t, e) })
			}
		}
	}
}

// kindLine returns the first line of out holding the kind's name after
// skip lines, or fails.
func kindLine(t *testing.T, out string, skip int, k Kind) string {
	t.Helper()
	if k.String() == "" || k.String() == "unknown" {
		t.Fatalf("kind %d has no name: it renders blank", k)
	}
	lines := strings.Split(out, "\n")
	for _, l := range lines[min(skip, len(lines)):] {
		if strings.Contains(l, k.String()) {
			return l
		}
	}
	t.Fatalf("no line names %s:\n%s", k, out)
	return ""
}

func checkWidth(t *testing.T, out string, width int) {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(l); n > width {
			t.Errorf("line of %d columns, over %d: %q", n, width, l)
		}
	}
}

func TestConformanceText(t *testing.T) {
	eachCase(t, func(t *testing.T, e Event) {
		for _, width := range []int{DefaultWidth, 80} {
			for _, col := range []bool{false, true} {
				var b bytes.Buffer
				feed(NewText(&b, TextOptions{Width: width, Explain: true, Color: col}), conformanceRun(e))
				out := b.String()
				if col {
					if !strings.Contains(out, e.Kind.String()) {
						t.Errorf("colored text lost the event:\n%s", out)
					}
					continue
				}
				checkWidth(t, out, width)
				line := kindLine(t, out, 3, e.Kind)
				sym := e.Kind.info().symbol
				if e.Kind.info().classMark && e.HasMsg() {
					sym = e.Msg.Class.info().mark
				}
				if strings.TrimSpace(sym) == "" || !strings.Contains(line, sym+" "+e.Kind.String()) {
					t.Errorf("the line lacks its symbol %q: %q", sym, line)
				}
				if e.HasMsg() && !strings.Contains(out, e.Msg.Class.info().tag+" PlaceOrder") {
					t.Errorf("the message's class tag is missing:\n%s", out)
				}
				if !strings.Contains(out, "» why it happened") {
					t.Errorf("--explain lost the why:\n%s", out)
				}
			}
		}
	})
}

func TestConformanceLanes(t *testing.T) {
	eachCase(t, func(t *testing.T, e Event) {
		for _, width := range []int{DefaultWidth, 72} {
			var b bytes.Buffer
			feed(NewLanes(&b, LanesOptions{Width: width, Explain: true, AllQueues: true}), conformanceRun(e))
			out := b.String()
			checkWidth(t, out, width)
			line := kindLine(t, out, 5, e.Kind)
			want := e.Kind.info().symbol
			if st, ok := arrow(&e); ok {
				want = string(st.right)
			}
			if !strings.Contains(line, want) {
				t.Errorf("the row lacks %q: %q", want, line)
			}
		}
	})
}

func TestConformanceMermaid(t *testing.T) {
	eachCase(t, func(t *testing.T, e Event) {
		var b bytes.Buffer
		feed(NewMermaid(&b, MermaidOptions{Explain: true}), conformanceRun(e))
		out := b.String()
		line := kindLine(t, out, 3, e.Kind)
		if a, ok := mermaidArrow(&e); ok {
			if a == "" || !strings.Contains(line, a) || strings.HasPrefix(strings.TrimSpace(line), "Note") {
				t.Errorf("want an arrow %q: %q", a, line)
			}
		} else if !strings.Contains(line, "Note over") || !strings.Contains(line, e.Kind.info().symbol) {
			t.Errorf("want a note with the symbol: %q", line)
		}
	})
}

// TestConformanceHTML: the page embeds the event as its JSON line, and
// the kinds table the page's script draws from gives the kind its symbol,
// its class and whether it moves.
func TestConformanceHTML(t *testing.T) {
	eachCase(t, func(t *testing.T, e Event) {
		h := NewHTML(HTMLOptions{Command: "msgplay conformance"})
		feed(h, conformanceRun(e))
		page := string(h.Bytes())
		if line := string(AppendJSON(nil, &e)); !strings.Contains(page, strings.ReplaceAll(line, "<", `\u003c`)) {
			t.Errorf("the page lacks the event's JSON line %s", line)
		}
		ki := e.Kind.info()
		want := fmt.Sprintf(`%q:{"symbol":%q,"html":%q,"moves":%t`, ki.name, ki.symbol, ki.html, ki.move != noMove)
		if htmlClass(&e) == "" || !strings.Contains(page, want) {
			t.Errorf("the page's kinds table lacks %s", want)
		}
		if tag := e.Msg.Class.info().tag; !strings.Contains(page, fmt.Sprintf(`%q:%q`, e.Msg.Class.String(), tag)) {
			t.Errorf("the page's kinds table lacks class %q", e.Msg.Class)
		}
	})
}

func TestConformanceJSON(t *testing.T) {
	eachCase(t, func(t *testing.T, e Event) {
		var b bytes.Buffer
		feed(NewJSON(&b), conformanceRun(e))
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		if len(lines) != 3 {
			t.Fatalf("want 3 lines:\n%s", b.String())
		}
		var back struct {
			Kind string `json:"kind"`
			Msg  struct {
				Class string `json:"class"`
			} `json:"msg"`
		}
		if err := json.Unmarshal([]byte(lines[1]), &back); err != nil {
			t.Fatalf("%v: %s", err, lines[1])
		}
		if back.Kind != e.Kind.String() || back.Msg.Class != e.Msg.Class.String() {
			t.Errorf("came back as %+v: %s", back, lines[1])
		}
	})
}

// TestConformanceFilters: the focus (--only, --follow), the cap
// (--max-events) and the statistics take every event in stride, and the
// focus keeps an event about the actor or message asked for.
func TestConformanceFilters(t *testing.T) {
	eachCase(t, func(t *testing.T, e Event) {
		follow := e.Msg.ID
		for _, f := range []*Focus{NewFocus(NewJSON(&bytes.Buffer{}), []string{e.Actor}, ""),
			NewFocus(NewJSON(&bytes.Buffer{}), nil, follow)} {
			feed(f, conformanceRun(e))
			if f.Kept() != 1 && (f.follow == "" || e.HasMsg()) {
				t.Errorf("the focus dropped the event (only %v, follow %q)", f.only, f.follow)
			}
		}
		var n int
		feed(NewCap(SinkFunc(func(*Event) { n++ }), 0), conformanceRun(e))
		if n != 3 { // run, the note saying one was left out, summary
			t.Errorf("the cap passed %d events, want 3", n)
		}
		s := NewStats()
		feed(s, conformanceRun(e))
		var r Report
		s.Fill(&r)
		if want := e.Kind.info().total; want != "" && !(e.Kind == Send && !IsArrow(&e)) && r.Total(want) != 1 {
			t.Errorf("the totals do not count it as %s: %+v", want, r.Totals)
		}
	})
}

// followRenderer is a renderer that is a Follower.
type followRenderer interface {
	Follower
	Flush() error
}

// A renderer writes an event it follows (the recorder's narrow path) as
// the same event told to Event, for every kind × class × shape and for
// numbered messages; the attempt written is the event's, which may
// differ from its message's (a broker's message counts on).
func TestRenderersFollowAsTheyRender(t *testing.T) {
	renderers := map[string]func(*bytes.Buffer) followRenderer{
		"json": func(b *bytes.Buffer) followRenderer { return NewJSON(b) },
		"text": func(b *bytes.Buffer) followRenderer { return NewText(b, TextOptions{}) },
		"text color 40": func(b *bytes.Buffer) followRenderer {
			return NewText(b, TextOptions{Width: 40, Color: true, Color256: true})
		},
	}
	var events []Event
	eachCase(t, func(t *testing.T, e Event) {
		e.Why = "" // a followed event has none
		events = append(events, e)
	})
	events = append(events, numberedEvents()...)
	for name, newR := range renderers {
		var told, followed bytes.Buffer
		r, f := newR(&told), newR(&followed)
		for i, e := range events {
			e.Seq = int64(i + 1)
			m := e.AsMsg()
			if e.HasMsg() {
				e.Msg.Attempt = m.Attempt
				m.Msg = &Msg{}
				*m.Msg = e.Msg
				m.Msg.Attempt = m.Attempt + 5 // read the event's attempt, not this
			}
			r.Event(&e)
			f.Follow(&m)
		}
		r.Flush()
		f.Flush()
		if told.String() != followed.String() || told.Len() == 0 {
			t.Errorf("%s: followed events are written otherwise:\n%s\nagainst\n%s", name, followed.String(), told.String())
		}
	}
}
