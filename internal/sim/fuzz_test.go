package sim

import (
	"testing"
	"time"
)

// The parsers of flag text never panic, and what they accept stays within
// [0, MaxTime] and reads back as itself.

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"0", "500ms", "2s", "10000h", "10000h1us", "2562047h47m16s", "9223372036854775807ns", "-1s", "1e9h", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 || d > MaxTime || d%time.Microsecond != 0 {
			t.Fatalf("ParseDuration(%q) = %v: outside [0, MaxTime] or not whole µs", s, d)
		}
	})
}

func FuzzParseWindow(f *testing.F) {
	for _, s := range []string{"1s..3s", "0..10000h", "1s..2562047h", "3s..1s", "1s..1s", "..", "1s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWindow(s)
		if err != nil {
			return
		}
		if w.From < 0 || w.From >= w.To || w.To > MaxTime {
			t.Fatalf("ParseWindow(%q) = %v", s, w)
		}
		if back, err := ParseWindow(w.String()); err != nil || back != w {
			t.Fatalf("ParseWindow(%q) = %s, which reads back as %v, %v", s, w, back, err)
		}
	})
}
