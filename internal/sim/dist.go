package sim

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// DistForms lists the forms a distribution may take, for error messages.
const DistForms = "a duration (20ms), a range (10ms..30ms) or exp:MEAN (exp:20ms)"

type distKind uint8

const (
	constant distKind = iota
	uniform
	exponential
)

// Dist is a distribution of durations, parsed from flag text: a constant
// ("20ms"), a uniform range ("10ms..30ms") or an exponential with a mean
// ("exp:20ms"). Samples are whole microseconds. The zero Dist is always 0.
type Dist struct {
	kind distKind
	a, b time.Duration
}

// Const returns the Dist that is always d.
func Const(d time.Duration) Dist { return Dist{kind: constant, a: d} }

// Uniform returns the Dist spread evenly over [lo, hi].
func Uniform(lo, hi time.Duration) Dist { return Dist{kind: uniform, a: lo, b: hi} }

// Exp returns the exponential Dist with the given mean.
func Exp(mean time.Duration) Dist { return Dist{kind: exponential, a: mean} }

// ParseDist parses s in one of the forms of DistForms.
func ParseDist(s string) (Dist, error) {
	bad := func(why string) (Dist, error) {
		return Dist{}, fmt.Errorf("%q is not a distribution%s: want %s", s, why, DistForms)
	}
	t := strings.TrimSpace(s)
	switch {
	case t == "":
		return bad("")
	case strings.HasPrefix(t, "exp:"):
		mean, err := ParseDuration(t[len("exp:"):])
		if err != nil {
			return bad(pastCeiling(err))
		}
		if mean == 0 {
			return bad(" (an exponential needs a mean above 0)")
		}
		return Exp(mean), nil
	case strings.Contains(t, ".."):
		lo, hi, ok := strings.Cut(t, "..")
		a, err1 := ParseDuration(lo)
		b, err2 := ParseDuration(hi)
		if !ok || err1 != nil || err2 != nil {
			return bad(pastCeiling(cmp.Or(err1, err2)))
		}
		if a > b {
			return bad(" (the low end is above the high end)")
		}
		return Uniform(a, b), nil
	}
	d, err := ParseDuration(t)
	if err != nil {
		return bad(pastCeiling(err))
	}
	return Const(d), nil
}

// errPastCeiling marks a duration refused for passing MaxTime.
var errPastCeiling = errors.New("past the ceiling of virtual time")

// pastCeiling returns, for an error of ParseDuration, the words a
// distribution's error adds: why a well-formed duration was refused.
func pastCeiling(err error) string {
	if errors.Is(err, errPastCeiling) {
		return " (" + errPastCeiling.Error() + ", " + MaxTimeText + ")"
	}
	return ""
}

// ParseDuration parses a non-negative duration such as "500ms" or "2s", at
// most MaxTime; a bare "0" is zero.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration: want a number with a unit, such as 500ms or 2s", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("%q is negative: want a duration of 0 or more", s)
	}
	if d > MaxTime {
		return 0, fmt.Errorf("%q is %w: want at most %s", s, errPastCeiling, MaxTimeText)
	}
	return d.Round(time.Microsecond), nil
}

// Sample draws one duration from r, in whole microseconds, at most MaxTime.
func (d Dist) Sample(r *rand.Rand) time.Duration {
	switch d.kind {
	case uniform:
		lo, hi := int64(d.a/time.Microsecond), int64(d.b/time.Microsecond)
		if hi <= lo {
			return d.a
		}
		return time.Duration(lo+r.Int64N(hi-lo+1)) * time.Microsecond
	case exponential:
		// Inversion rather than rand.ExpFloat64: one draw per sample, and a
		// logarithm (ln) whose bits are the same on every platform. The
		// rest is exact (1-u, the uniform's 53 bits) or one rounding (the
		// product; fromMicros rounds exactly).
		u := r.Float64()
		return fromMicros(-ln(1-u) * float64(d.a/time.Microsecond))
	}
	return d.a
}

// Scale multiplies a duration by a slowness factor, in whole microseconds
// and at most MaxTime: a worker three times slower takes Scale(d, 3).
func Scale(d time.Duration, factor float64) time.Duration {
	if factor == 1 {
		return d
	}
	return fromMicros(float64(d/time.Microsecond) * factor)
}

// fromMicros rounds us microseconds to a duration in [0, MaxTime].
func fromMicros(us float64) time.Duration {
	if !(us < float64(MaxTime/time.Microsecond)) { // NaN too
		return MaxTime
	}
	if us < 0 { // max(us, 0) without its care for NaN (not here) and -0 (rounds to 0 anyway)
		us = 0
	}
	// math.Round, for a us in [0, 2⁵³): the fraction us-t is exact, and
	// one half or more rounds up, as Round rounds halves away from zero.
	t := int64(us)
	if us-float64(t) >= 0.5 {
		t++
	}
	return time.Duration(t) * time.Microsecond
}

// Mean returns the expected value of the distribution.
func (d Dist) Mean() time.Duration {
	if d.kind == uniform {
		return (d.a + d.b) / 2
	}
	return d.a
}

// IsExp reports whether the distribution is exponential.
func (d Dist) IsExp() bool { return d.kind == exponential }

// IsConst reports whether the distribution always gives the same value.
func (d Dist) IsConst() bool { return d.kind == constant || (d.kind == uniform && d.a == d.b) }

// String returns the distribution in the form ParseDist reads.
func (d Dist) String() string {
	switch d.kind {
	case uniform:
		return trace.FormatDuration(d.a) + ".." + trace.FormatDuration(d.b)
	case exponential:
		return "exp:" + trace.FormatDuration(d.a)
	}
	return trace.FormatDuration(d.a)
}

// Window is a span of virtual time [From, To), parsed from "FROM..TO".
type Window struct {
	From, To time.Duration
}

// ParseWindow parses "FROM..TO", such as "1s..3s"; FROM must come before TO.
func ParseWindow(s string) (Window, error) {
	lo, hi, ok := strings.Cut(strings.TrimSpace(s), "..")
	if !ok {
		return Window{}, fmt.Errorf("%q is not a window: want FROM..TO, such as 1s..3s", s)
	}
	a, err := ParseDuration(lo)
	if err != nil {
		return Window{}, fmt.Errorf("%q is not a window: %v", s, err)
	}
	b, err := ParseDuration(hi)
	if err != nil {
		return Window{}, fmt.Errorf("%q is not a window: %v", s, err)
	}
	if a >= b {
		return Window{}, fmt.Errorf("%q is not a window: FROM must come before TO", s)
	}
	return Window{From: a, To: b}, nil
}

// Contains reports whether t falls inside the window.
func (w Window) Contains(t time.Duration) bool { return t >= w.From && t < w.To }

// String returns the window as ParseWindow reads it.
func (w Window) String() string {
	return trace.FormatDuration(w.From) + ".." + trace.FormatDuration(w.To)
}

// Reach returns how far samples usually go: the largest one for a constant
// or a range, the mean for an exponential (whose samples have no bound
// short of MaxTime). A slowness factor times Reach must stay within MaxTime.
func (d Dist) Reach() time.Duration {
	if d.kind == uniform {
		return d.b
	}
	return d.a
}
