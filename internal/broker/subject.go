package broker

import (
	"fmt"
	"strings"
)

// Filter matches subjects such as "orders.placed.eu" against a pattern in
// the NATS and RabbitMQ topic style: tokens separated by dots, "*" matching
// exactly one token, ">" (last only, as NATS) one or more trailing tokens,
// and "#" (as RabbitMQ) zero or more tokens anywhere. The zero Filter
// matches everything.
type Filter struct {
	pattern string
	tokens  []string
}

// ParseFilter checks pattern and returns its Filter.
func ParseFilter(pattern string) (Filter, error) {
	bad := func(why string) (Filter, error) {
		return Filter{}, fmt.Errorf("%q is not a subject pattern (%s): want dot-separated tokens, "+
			"* for one token, > at the end for the rest, # for any number, such as orders.*.eu", pattern, why)
	}
	if pattern == "" {
		return bad("it is empty")
	}
	tokens := strings.Split(pattern, ".")
	for i, t := range tokens {
		switch {
		case t == "":
			return bad("empty token")
		case t == ">" && i != len(tokens)-1:
			return bad("> must be the last token")
		case t != "*" && t != ">" && t != "#" && strings.ContainsAny(t, "*>#"):
			return bad("a wildcard must be a whole token")
		}
	}
	return Filter{pattern: pattern, tokens: tokens}, nil
}

// String returns the pattern, or "" for the match-all filter.
func (f Filter) String() string { return f.pattern }

// Match reports whether subject matches the filter.
func (f Filter) Match(subject string) bool {
	if f.tokens == nil {
		return true
	}
	return match(f.tokens, strings.Split(subject, "."))
}

func match(pat, sub []string) bool {
	for len(pat) > 0 {
		switch p := pat[0]; p {
		case "#":
			for i := 0; i <= len(sub); i++ {
				if match(pat[1:], sub[i:]) {
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
