package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/msgplay/msgplay/internal/trace"
)

// MaxEvidence is how many cases a verdict lists before it says "and N more".
const MaxEvidence = 8

// Cases collects the cases that break a check: it counts every one and
// keeps the first MaxEvidence as lines of evidence. The zero Cases is
// empty and ready to use.
type Cases struct {
	list []string
	n    int64
}

// Add counts one case and keeps its line if there is room.
func (c *Cases) Add(line string) {
	c.n++
	if len(c.list) < MaxEvidence {
		c.list = append(c.list, line)
	}
}

// Count returns how many cases were added.
func (c *Cases) Count() int64 { return c.n }

// Room reports whether the next case added would be kept, so a caller can
// spare writing a line nobody will read.
func (c *Cases) Room() bool { return len(c.list) < MaxEvidence }

// Evidence returns the kept lines of cs, in order, at most MaxEvidence of
// them, then "and N more" for the cases left out.
func Evidence(cs ...*Cases) []string {
	var out []string
	var total int64
	for _, c := range cs {
		total += c.n
		for _, line := range c.list {
			if len(out) < MaxEvidence {
				out = append(out, line)
			}
		}
	}
	if more := total - int64(len(out)); more > 0 {
		out = append(out, "and "+strconv.FormatInt(more, 10)+" more")
	}
	return out
}

// Line writes one line of evidence about a message: "m3 order-1003: why".
// key may be empty.
func Line(id, key, why string) string {
	if key == "" {
		return id + ": " + why
	}
	return id + " " + key + ": " + why
}

// Judge returns the verdict of a check that found cases: ok as its detail
// when there are none, else one (for a single case) or many (a format with
// one %d, for more), and the cases as evidence.
func Judge(name, title string, cases *Cases, ok, one, many string) trace.Verdict {
	n := cases.Count()
	v := trace.Verdict{Name: name, Title: title, OK: n == 0, Detail: ok}
	switch {
	case n == 1:
		v.Detail = one
	case n > 1:
		v.Detail = fmt.Sprintf(many, n)
	}
	v.Evidence = Evidence(cases)
	return v
}

// LossDetail says what a no-loss verdict found: "2 of 40 lost; 3 never
// settled (stopped at 1s)". never names what the unsettled ones never were
// ("settled", "applied"); stopped, when not empty, says why the run ended
// early.
func LossDetail(lost, unsettled, sent int64, never, stopped string) string {
	var parts []string
	if lost > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d lost", lost, sent))
	}
	if unsettled > 0 {
		why := "never " + never
		if stopped != "" {
			why += " (" + stopped + ")"
		}
		parts = append(parts, fmt.Sprintf("%d %s", unsettled, why))
	}
	return strings.Join(parts, "; ")
}
