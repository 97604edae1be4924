package cmd

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// A count flag given a word said `--events: "abc" is not a whole number`
// while one past its ceiling said `--events must be from 1 to 10000000
// (got 99999999999)`: the word did not learn what is allowed. Every
// number flag of every command (counts, durations, sizes, rates,
// probabilities, seeds) now refuses a word with its range, in the form
// Validate uses.
func TestNumberFlagsRefuseAWordWithTheirRange(t *testing.T) {
	numeric := map[string]bool{"int": true, "uint64": true, "duration": true, "size": true, "N/s": true, "P": true, "N": true}
	for _, words := range commandLines() {
		c, _, err := NewRootCmd(&IOStreams{}, nil).Find(words)
		if err != nil {
			t.Fatal(err)
		}
		flags := c.Flags()
		if len(words) == 1 && (words[0] == "check" || words[0] == "compare") {
			continue // their flags come after a pattern
		}
		if len(words) == 2 && (words[0] == "check" || words[0] == "compare") {
			flags = shownFlags(words)
		}
		flags.VisitAll(func(f *pflag.Flag) {
			if !numeric[f.Value.Type()] {
				return
			}
			args := append(words[:len(words):len(words)], "--"+f.Name, "abc")
			code, _, stderr := run(args...)
			want := regexp.MustCompile(`^msgplay: --` + f.Name + ` must be an? [a-z ]+ (from \S+( \(all\))? to|above \S+ and at most) .+ \(got "abc"\)\n$`)
			if code != ExitUsage || !want.MatchString(stderr) {
				t.Errorf("msgplay %s: exit %d, %q; want exit 2 and the range", strings.Join(args, " "), code, stderr)
			}
		})
	}
}

// shownFlags are the flags of `msgplay check PATTERN` or `compare PATTERN`,
// which parse their own.
func shownFlags(words []string) *pflag.FlagSet {
	p, _ := findPattern(words[1])
	if words[0] == "check" {
		fs, _ := checkFlagSet("msgplay check "+p.name, p, &checkOptions{})
		return fs
	}
	fs, _ := compareFlagSet("msgplay compare "+p.name, p, &compareOptions{})
	return fs
}

// The range a count flag says for a word is the one Validate holds it to:
// one below and one above are refused by name, the ends are not.
func TestCountFlagRangesAreValidates(t *testing.T) {
	for _, p := range patternList {
		fs := pflag.NewFlagSet(p.name, pflag.ContinueOnError)
		p.bind(fs)
		fs.VisitAll(func(f *pflag.Flag) {
			v, ok := f.Value.(*countValue)
			if !ok || v.above != "" {
				return
			}
			refused := func(n int) bool {
				fs := pflag.NewFlagSet(p.name, pflag.ContinueOnError)
				s := p.bind(fs)
				if strings.HasPrefix(f.Name, "scale-") {
					fs.Set("autoscale", "1..4") // the --scale-* flags count only then
				}
				if err := fs.Set(f.Name, strconv.Itoa(n)); err != nil {
					t.Fatal(err)
				}
				err := s.ready()
				return err != nil && strings.Contains(err.Error(), "--"+f.Name+" must be from")
			}
			if !refused(v.lo-1) || !refused(v.hi+1) || refused(v.lo) || refused(v.hi) {
				t.Errorf("%s --%s: says %d to %d, Validate refuses %d: %v, %d: %v, %d: %v, %d: %v", p.name, f.Name,
					v.lo, v.hi, v.lo-1, refused(v.lo-1), v.lo, refused(v.lo), v.hi, refused(v.hi), v.hi+1, refused(v.hi+1))
			}
		})
	}
}
