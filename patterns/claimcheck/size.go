package claimcheck

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// MaxBytes is the ceiling of every size flag: 1GB.
const MaxBytes = trace.GB

// SizeForms lists the forms a size distribution may take, for errors.
const SizeForms = "a size (120KB), a range (10KB..2MB) or exp:MEAN (exp:120KB)"

// ParseBytes parses a size such as 512B, 120KB, 1.5MB or 1GB (a KB is
// 1,024 bytes; a bare number is bytes), from 0 to MaxBytes.
func ParseBytes(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	unit := int64(1)
	for _, u := range []struct {
		name string
		n    int64
	}{{"KB", trace.KB}, {"MB", trace.MB}, {"GB", trace.GB}, {"B", 1}} {
		if strings.HasSuffix(t, u.name) {
			t, unit = strings.TrimSpace(strings.TrimSuffix(t, u.name)), u.n
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || strings.ContainsAny(t, "eEpPxX_") {
		return 0, fmt.Errorf("%q is not a size: want a number with a unit, such as 512B, 120KB or 2MB", s)
	}
	if f < 0 {
		return 0, fmt.Errorf("%q is negative: want a size of 0 or more", s)
	}
	if f*float64(unit) > float64(MaxBytes) {
		return 0, fmt.Errorf("%q is over the ceiling: want at most 1GB", s)
	}
	return int64(math.Round(f * float64(unit))), nil
}

// ExactBytes writes n in the largest unit that divides it, so ParseBytes
// reads back the same number: 256KB, 1536B, 3MB.
func ExactBytes(n int64) string {
	for _, u := range []struct {
		name string
		n    int64
	}{{"GB", trace.GB}, {"MB", trace.MB}, {"KB", trace.KB}} {
		if n > 0 && n%u.n == 0 {
			return strconv.FormatInt(n/u.n, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}

// SizeDist is a distribution of sizes, in the three shapes of sim.Dist: a
// constant (120KB), a uniform range (10KB..2MB) or an exponential with a
// mean (exp:120KB). It draws through a sim.Dist in which one microsecond
// stands for one byte, so its samples are the kernel's, bit for bit on
// every platform.
type SizeDist struct {
	d      sim.Dist
	lo, hi int64 // the ends of a range; for a constant both, for an exponential the mean
}

// SizeConst returns the distribution that is always n bytes.
func SizeConst(n int64) SizeDist { return SizeDist{sim.Const(us(n)), n, n} }

// SizeUniform returns sizes spread evenly over [lo, hi].
func SizeUniform(lo, hi int64) SizeDist { return SizeDist{sim.Uniform(us(lo), us(hi)), lo, hi} }

// SizeExp returns exponential sizes with the given mean.
func SizeExp(mean int64) SizeDist { return SizeDist{sim.Exp(us(mean)), mean, mean} }

func us(n int64) time.Duration { return time.Duration(n) * time.Microsecond }

// ParseSizeDist parses s in one of the forms of SizeForms.
func ParseSizeDist(s string) (SizeDist, error) {
	bad := func(why string) (SizeDist, error) {
		return SizeDist{}, fmt.Errorf("%q is not a size distribution%s: want %s", s, why, SizeForms)
	}
	t := strings.TrimSpace(s)
	if mean, ok := strings.CutPrefix(t, "exp:"); ok {
		n, err := ParseBytes(mean)
		if err != nil || n == 0 {
			return bad(" (an exponential needs a mean from 1B to 1GB)")
		}
		return SizeExp(n), nil
	}
	if lo, hi, ok := strings.Cut(t, ".."); ok {
		a, err1 := ParseBytes(lo)
		b, err2 := ParseBytes(hi)
		switch {
		case err1 != nil || err2 != nil:
			return bad(" (each end from 0 to 1GB)")
		case a > b:
			return bad(" (the low end is above the high end)")
		}
		return SizeUniform(a, b), nil
	}
	n, err := ParseBytes(t)
	if err != nil {
		return bad(" (from 0 to 1GB)")
	}
	return SizeConst(n), nil
}

// Sample draws one size from r, at most MaxBytes.
func (d SizeDist) Sample(r *rand.Rand) int64 {
	return min(int64(d.d.Sample(r)/time.Microsecond), MaxBytes)
}

// Max returns the largest size the distribution gives, and false when it
// has no bound below MaxBytes (an exponential).
func (d SizeDist) Max() (int64, bool) { return d.hi, !d.d.IsExp() }

// String returns the distribution in the form ParseSizeDist reads.
func (d SizeDist) String() string {
	switch {
	case d.d.IsExp():
		return "exp:" + ExactBytes(d.lo)
	case d.lo != d.hi:
		return ExactBytes(d.lo) + ".." + ExactBytes(d.hi)
	}
	return ExactBytes(d.lo)
}
