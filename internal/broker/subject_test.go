package broker

import (
	"strings"
	"testing"
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
