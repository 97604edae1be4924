package broker

import (
	"strings"
	"testing"
	"time"
)

func TestFilterMatch(t *testing.T) {
	cases := []struct {
		pattern, subject string
		want             bool
	}{
		{"orders.placed.eu", "orders.placed.eu", true},
		{"orders.placed.eu", "orders.placed.us", false},
		{"orders.*.eu", "orders.placed.eu", true},
		{"orders.*.eu", "orders.cancelled.eu", true},
		{"orders.*.eu", "orders.placed.us", false},
		{"orders.*.eu", "orders.placed.eu.north", false}, // * is exactly one token
		{"orders.*", "orders", false},
		{"orders.>", "orders.placed", true},
		{"orders.>", "orders.placed.eu", true},
		{"orders.>", "orders", false}, // > needs at least one token
		{"#", "orders.placed.eu", true},
		{"#", "", true},
		{"orders.#", "orders", true}, // # matches zero tokens too
		{"orders.#", "orders.placed.eu", true},
		{"#.eu", "orders.placed.eu", true},
		{"#.eu", "orders.placed.us", false},
		{"orders.#.eu", "orders.eu", true},
		{"orders.#.eu", "orders.placed.fast.eu", true},
		{"*.placed.#", "orders.placed", true},
		{"*.placed.#", "orders.shipped.eu", false},
	}
	for _, c := range cases {
		f, err := ParseFilter(c.pattern)
		if err != nil {
			t.Fatalf("ParseFilter(%q): %v", c.pattern, err)
		}
		if got := f.Match(c.subject); got != c.want {
			t.Errorf("%q matches %q = %v, want %v", c.pattern, c.subject, got, c.want)
		}
	}
}

func TestZeroFilterMatchesAll(t *testing.T) {
	var f Filter
	for _, s := range []string{"", "orders", "orders.placed.eu"} {
		if !f.Match(s) {
			t.Errorf("the zero filter refused %q", s)
		}
	}
	if f.String() != "" {
		t.Errorf("zero filter String() = %q, want empty", f.String())
	}
}

func TestParseFilterRejects(t *testing.T) {
	cases := map[string]string{
		"":            "it is empty",
		"orders..eu":  "empty token",
		"orders.>.eu": "> must be the last token",
		"orders.eu*":  "a wildcard must be a whole token",
		"or#ders":     "a wildcard must be a whole token",
		".orders":     "empty token",
	}
	for pattern, why := range cases {
		_, err := ParseFilter(pattern)
		if err == nil {
			t.Errorf("ParseFilter(%q) accepted it", pattern)
			continue
		}
		if !strings.Contains(err.Error(), why) || !strings.Contains(err.Error(), "such as orders.*.eu") {
			t.Errorf("ParseFilter(%q) = %q, want the reason %q and an example", pattern, err, why)
		}
	}
}

func TestFilterStringIsThePattern(t *testing.T) {
	f, err := ParseFilter("orders.*.eu")
	if err != nil || f.String() != "orders.*.eu" {
		t.Errorf("got %q, %v", f.String(), err)
	}
}

// Many # once made matching backtrack: 400 of them took over 25 s.
func TestManyHashesMatchInLinearTime(t *testing.T) {
	pattern := strings.Repeat("#.", 400) + "x"
	f, err := ParseFilter(pattern)
	if err != nil {
		t.Fatal(err)
	}
	subject := strings.Repeat("a.", 400) + "b"
	start := time.Now()
	if f.Match(subject) || !f.Match(subject+".x") {
		t.Error("wrong answer")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("matching took %v", d)
	}
}

// matchNaive is the obvious backtracking matcher: the reference Match
// must agree with.
func matchNaive(pat, sub []string) bool {
	for len(pat) > 0 {
		switch p := pat[0]; p {
		case "#":
			for i := 0; i <= len(sub); i++ {
				if matchNaive(pat[1:], sub[i:]) {
					return true
				}
			}
			return false
		case ">":
			return len(sub) > 0
		default:
			if len(sub) == 0 || (p != "*" && p != sub[0]) {
				return false
			}
		}
		pat, sub = pat[1:], sub[1:]
	}
	return len(sub) == 0
}

func FuzzFilterMatch(f *testing.F) {
	for _, c := range [][2]string{
		{"orders.*.eu", "orders.placed.eu"}, {"#", ""}, {"orders.#.eu", "orders.eu"}, {"orders.>", "orders"},
		{"#.#.#.x", "a.b.x"}, {"*.placed.#", "orders.placed"}, {strings.Repeat("#.", 12) + "x", strings.Repeat("a.", 12) + "b"},
	} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, pattern, subject string) {
		flt, err := ParseFilter(pattern)
		if err != nil {
			return
		}
		if strings.Count(pattern, "#") > 8 || strings.Count(subject, ".") > 12 {
			return // the reference backtracks
		}
		if got, want := flt.Match(subject), matchNaive(flt.tokens, strings.Split(subject, ".")); got != want {
			t.Errorf("%q matches %q = %v, want %v", pattern, subject, got, want)
		}
	})
}
