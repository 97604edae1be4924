package trace

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestTextNoteBreaksAsWholeLines renders random event lines, many of them
// just too wide, with names, ids and notes holding spaces, arrows,
// escapes, line breaks and characters of several bytes, at many widths,
// with and without color, and holds the lines wrapped from where their
// note starts to the lines measured and wrapped whole.
func TestTextNoteBreaksAsWholeLines(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	words := []string{"worker-1", "orders", "m853359", "order-854359", "PlaceOrder", "a", "→", "·", "µs", "ünï",
		"\x1b[1mbold\x1b[0m", "two  spaces", "line\nbreak", "placed", "x", "order placed", "→ q", "  "}
	pick := func(n int) string {
		var b strings.Builder
		for i := range 1 + r.IntN(n) {
			if i > 0 {
				b.WriteString([]string{" ", "", "-", "  "}[r.IntN(4)])
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		return b.String()
	}
	broken := 0
	for run := range 300 {
		opt := TextOptions{Color: r.IntN(2) == 0, Color256: r.IntN(2) == 0, Width: 30 + r.IntN(110)}
		var fast, whole bytes.Buffer
		a, b := NewText(&fast, opt), NewText(&whole, opt)
		b.wholeLines = true
		for i := range 200 {
			e := Event{Seq: int64(i), T: time.Duration(r.Int64N(int64(2000 * time.Second))),
				Kind: Kind(r.IntN(int(numKinds))), Actor: pick(1), To: pick(1), Note: pick(4)}
			if r.IntN(8) > 0 {
				e.Msg = Msg{ID: pick(1), Type: pick(1), Class: Class(r.IntN(4)), Key: pick(1)}
			}
			if r.IntN(2) == 0 {
				e.Took = time.Duration(r.Int64N(int64(10 * time.Millisecond)))
			}
			if e.Kind == Run || e.Kind == Summary {
				continue
			}
			a.Event(&e)
			b.Event(&e)
		}
		a.Flush()
		b.Flush()
		broken += strings.Count(whole.String(), "\n ")
		if fast.String() != whole.String() {
			f, w := strings.Split(fast.String(), "\n"), strings.Split(whole.String(), "\n")
			for i := range min(len(f), len(w)) {
				if f[i] != w[i] {
					t.Fatalf("run %d (%+v), line %d:\n got %q\nwant %q", run, opt, i+1, f[i], w[i])
				}
			}
			t.Fatalf("run %d: %d lines, want %d", run, len(f), len(w))
		}
	}
	if broken < 1000 {
		t.Errorf("only %d lines broken: the test no longer tries the shortcut", broken)
	}
}

// TestTextNarrowerThanTheMessageColumn renders a note on a terminal
// narrower than the column where messages start: every character of the
// note must still be written, in order, and the run end (it once wrapped
// an empty rest of the note forever).
func TestTextNarrowerThanTheMessageColumn(t *testing.T) {
	for _, width := range []int{1, 10, 20, 30, 39, 40, 41} {
		var out bytes.Buffer
		x := NewText(&out, TextOptions{Width: width})
		x.Event(&Event{Kind: Handle, Actor: "worker-1", To: "orders", Note: "order placed at last",
			Msg: Msg{ID: "m1", Type: "PlaceOrder", Class: Command, Key: "order-1001"}, Took: time.Millisecond})
		x.Flush()
		if got := strings.Join(strings.Fields(out.String()), ""); !strings.HasSuffix(got, "took1ms·orderplacedatlast") {
			t.Errorf("width %d: the note is not all written:\n%s", width, out.String())
		}
	}
	// From minNoteRoom columns on, a note wraps between words, not a
	// character or two a line.
	for _, width := range []int{20, 30, 40, 50, 60} {
		var out bytes.Buffer
		x := NewText(&out, TextOptions{Width: width})
		x.Event(&Event{Kind: Handle, Actor: "orders/inventory", To: "orders", Took: time.Millisecond,
			Note: "stock reserved for the order, and the reservation written to the inventory database at last",
			Msg:  Msg{ID: "e1", Type: "OrderPlaced", Class: EventMsg, Key: "order-1001"}})
		x.Flush()
		words := strings.Fields(out.String())
		for _, w := range []string{"reserved", "reservation", "inventory", "database"} {
			if !slices.Contains(words, w) {
				t.Errorf("width %d: %q is cut across lines:\n%s", width, w, out.String())
				break
			}
		}
	}
}

// TestAppendTimeWritesMilliseconds holds the time column to milliseconds
// with three decimals, right-aligned in timeWidth columns, from the start
// of a run to past the column's width.
func TestAppendTimeWritesMilliseconds(t *testing.T) {
	for _, us := range []int64{0, 1, 9, 10, 999, 1000, 1001, 123456, 99999999, 100000000, 853593014, 1 << 50} {
		want := fmt.Sprintf("%*s", timeWidth, fmt.Sprintf("%d.%03dms", us/1000, us%1000))
		if got := string(appendTime(nil, time.Duration(us)*time.Microsecond)); got != want {
			t.Errorf("%dµs written %q, want %q", us, got, want)
		}
	}
	if got := string(appendTime(nil, -1500*time.Microsecond)); got != "    -1.00ms" {
		t.Errorf("-1.5ms written %q, as it always was: \"    -1.00ms\"", got)
	}
}

// numberedEvents returns events about numbered messages (no ID, a
// Numbering) whose numbers meet in the renderers' caches: numbers 256
// apart, two numberings, a number whose type changes, a key-less one.
func numberedEvents() []Event {
	orders := &Numbering{ID: "m", Key: "order-", KeyFrom: 1000}
	other := &Numbering{ID: "r"}
	later := &Numbering{ID: "m", Key: "order-", KeyFrom: 5000} // types and classes as orders'
	var ev []Event
	for i, num := range []uint64{1, 7, 263, 7, 99, 100, 1_000_000, 263, 519, 100, 100} {
		m := Msg{Type: "PlaceOrder", Class: Command, Num: num, Names: orders, Attempt: 1}
		if i%3 == 2 {
			m.Names, m.Type, m.Class = other, "Refund", Reply
		}
		if i == 3 {
			m.Type = "CancelOrder"
		}
		if i == 10 {
			m.Names = later
		}
		t := time.Duration(i) * 1500 * time.Microsecond
		ev = append(ev,
			Event{T: t, Kind: Send, Actor: "producer", To: "orders", Msg: m},
			Event{T: t, Kind: Deliver, Actor: "orders", To: "worker-1", Msg: m},
			Event{T: t, Kind: Handle, Actor: "worker-1", To: "orders", Msg: m, Took: 12885 * time.Microsecond,
				Note: "order placed and written down"},
			Event{T: t, Kind: Ack, Actor: "worker-1", To: "orders", Msg: m})
	}
	// Numbers that come back to their slots later, with carries, and ids
	// and keys that grow a digit (the key alone at 500).
	grows := &Numbering{ID: "m", Key: "k", KeyFrom: 9500}
	for num := uint64(1); num < 3000; num++ {
		m := Msg{Type: "PlaceOrder", Class: Command, Num: num, Names: grows}
		ev = append(ev, Event{T: time.Second, Kind: Send, Actor: "producer", To: "orders", Msg: m})
	}
	return ev
}

// A numbered message is written from its number as it would be from the
// text of its id and key, by the text renderer and the JSON one.
func TestRenderersWriteNumberedMessagesAsTheirText(t *testing.T) {
	render := func(s interface {
		Sink
		Flush() error
	}, named bool) {
		for i, e := range numberedEvents() {
			e.Seq = int64(i + 1)
			if named {
				e.Msg.ID, e.Msg.Key = e.Msg.Text()
				e.Msg.Names = nil
			}
			s.Event(&e)
		}
		s.Flush()
	}
	for _, opt := range []TextOptions{{Width: 100}, {Width: 72, Color: true}, {Width: 40}, {Width: 200, Color: true, Color256: true}} {
		var num, named bytes.Buffer
		render(NewText(&num, opt), false)
		render(NewText(&named, opt), true)
		if num.String() != named.String() {
			t.Errorf("%+v: numbered\n%s\nwant\n%s", opt, num.String(), named.String())
		}
		if opt.Width == 100 && (!strings.Contains(num.String(), "m1000000 cmd PlaceOrder order-1001000") ||
			!strings.Contains(num.String(), "r263 rep Refund\n")) {
			t.Errorf("%+v: ids and keys not written:\n%s", opt, num.String())
		}
	}
	var num, named bytes.Buffer
	render(NewJSON(&num), false)
	render(NewJSON(&named), true)
	if num.String() != named.String() {
		t.Errorf("JSON: numbered\n%s\nwant\n%s", num.String(), named.String())
	}
	if !strings.Contains(num.String(), `"id":"m7","type":"CancelOrder"`) || !strings.Contains(num.String(), `"key":"order-5100"`) {
		t.Errorf("JSON: a number's new type not written:\n%s", num.String())
	}
}

// TestTimeColumnAddsToTheLastTime holds the time column, made from the
// last line's by adding the difference, to the time written afresh:
// jumps of every size, carries through the decimal point and into the
// padding, past the column's width, now and then back (before zero too),
// with and without color.
func TestTimeColumnAddsToTheLastTime(t *testing.T) {
	for _, color := range []bool{false, true} {
		x := NewText(nil, TextOptions{Color: color})
		r := rand.New(rand.NewPCG(7, 8))
		steps := 0
		for d := time.Duration(0); d < 1<<56; d += time.Duration(r.Int64N(int64(1) << r.IntN(45))) {
			if r.IntN(16) == 0 {
				d -= time.Duration(r.Int64N(int64(1) << r.IntN(45)))
			}
			steps++
			got, cols := x.appendTimeColumn(nil, d)
			want := x.dim.append(nil, string(appendTime(nil, d)))
			if string(got) != string(want) || cols != max(timeWidth, len(appendTime(nil, d))) {
				t.Fatalf("color %v, %v after %d steps: %q (%d columns), want %q", color, d, steps, got, cols, want)
			}
		}
		if steps < 1000 {
			t.Fatalf("only %d times tried", steps)
		}
	}
}

// wrappedByRunes is appendWrapped as it was first written, counting the
// runes of every piece: the reference the one that counts from the end
// of a simple note is held to.
func (t *Text) wrappedByRunes(b []byte, note string, col int) []byte {
	room := t.opt.Width - col
	firstWord, _, _ := strings.Cut(note, " ")
	if n := utf8.RuneCountInString(note); n > room && (room < minNoteRoom || utf8.RuneCountInString(firstWord) > room) {
		b = append(trimSpaces(b), '\n')
		b = appendSpaces(b, t.noteIndent(0))
		room = max(t.opt.Width-t.noteIndent(0), 1)
	}
	for utf8.RuneCountInString(note) > room {
		cut, _ := wrapAt(note, room)
		b = append(b, strings.TrimRight(note[:cut], " ")...)
		b = append(b, '\n')
		b = appendSpaces(b, t.noteIndent(2))
		note = strings.TrimLeft(note[cut:], " ")
		room = max(t.opt.Width-t.noteIndent(2), 1)
	}
	return append(b, note...)
}

// TestWrappedNotesAsCountedByRunes holds appendWrapped, which finds the
// cuts of a simple note from its end, to the wrapping that counts the
// runes of every piece, for notes of words, runs of spaces, arrows and
// characters of several bytes, at many widths and columns, and the
// columns it says it wrote on the first line to those of that line.
func TestWrappedNotesAsCountedByRunes(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	words := []string{"took", "12.885ms", "·", "order", "placed", "→", "µs", "ünï", "a", "verylongwordwithoutspaces", " ", "  "}
	tried := 0
	for range 8000 {
		var nb strings.Builder
		for i := range 1 + r.IntN(12) {
			if i > 0 {
				nb.WriteString([]string{" ", "  ", ""}[r.IntN(3)])
			}
			nb.WriteString(words[r.IntN(len(words))])
		}
		note := nb.String()
		x := NewText(nil, TextOptions{Width: 10 + r.IntN(120), Color: r.IntN(2) == 0})
		col := r.IntN(x.opt.Width + 10)
		n := utf8.RuneCountInString(note)
		if n <= x.opt.Width-col {
			continue
		}
		tried++
		lead := []byte("prefix  ")
		got, first := x.appendWrapped(append([]byte{}, lead...), note, col, n, utf8.ValidString(note))
		want := x.wrappedByRunes(append([]byte{}, lead...), note, col)
		if string(got) != string(want) {
			t.Fatalf("width %d, col %d, %q:\n got %q\nwant %q", x.opt.Width, col, note, got, want)
		}
		if line, _, _ := strings.Cut(string(got), "\n"); first > 0 {
			line = strings.TrimPrefix(line, string(lead))
			if utf8.RuneCountInString(line) != first {
				t.Fatalf("width %d, col %d, %q: first line %q, said %d columns", x.opt.Width, col, note, line, first)
			}
		}
	}
	if tried < 2000 {
		t.Fatalf("only %d notes wrapped", tried)
	}
}
