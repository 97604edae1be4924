package broker

import (
	"fmt"
	"slices"
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

// Match reports whether subject matches the filter, in time proportional
// to the pattern's tokens times the subject's, however many # it has.
func (f Filter) Match(subject string) bool {
	if f.tokens == nil {
		return true
	}
	return match(f.tokens, strings.Split(subject, "."))
}

// match walks the pattern once, keeping the set of subject positions the
// pattern so far can end at (reach[j]: the first j tokens are matched).
func match(pat, sub []string) bool {
	reach := make([]bool, len(sub)+1)
	reach[0] = true
	for i, p := range pat {
		switch p {
		case "#": // zero or more tokens: every position at or after a reached one
			for j := 1; j <= len(sub); j++ {
				reach[j] = reach[j] || reach[j-1]
			}
		case ">": // one or more, and the last token: any reached position short of the end
			return i == len(pat)-1 && slices.Contains(reach[:len(sub)], true)
		default: // one token, any for *, else this one
			for j := len(sub); j > 0; j-- {
				reach[j] = reach[j-1] && (p == "*" || p == sub[j-1])
			}
			reach[0] = false
		}
	}
	return reach[len(sub)]
}
