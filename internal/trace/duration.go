package trace

import (
	"slices"
	"strconv"
	"time"
)

// FormatDuration writes d exactly and compactly: 750µs, 41.25ms, 1.5s, 90s.
// It is the form flags accept, so a printed value can be pasted back.
func FormatDuration(d time.Duration) string {
	return string(AppendDuration(nil, d))
}

// AppendDuration appends FormatDuration(d) to b.
func AppendDuration(b []byte, d time.Duration) []byte {
	if d > 0 && d < time.Second && d%time.Microsecond == 0 {
		return appendMicros(b, uint64(d/time.Microsecond))
	}
	if d < 0 {
		b = append(b, '-')
		d = -d
	}
	switch {
	case d == 0:
		return append(b, "0s"...)
	case d < time.Microsecond:
		return append(strconv.AppendInt(b, int64(d), 10), "ns"...)
	case d < time.Millisecond:
		return appendUnit(b, int64(d), int64(time.Microsecond), "µs")
	case d < time.Second:
		return appendUnit(b, int64(d), int64(time.Millisecond), "ms")
	}
	return appendUnit(b, int64(d), int64(time.Second), "s")
}

// appendMicros writes what appendUnit does for a duration of us whole
// microseconds, 1 to 999,999, the most common a run shows (a handler's
// time, "took 3.387ms"): its digits come three at a time from groups,
// written into the room b has after them.
func appendMicros(b []byte, us uint64) []byte {
	b = slices.Grow(b, 12)
	n := len(b)
	d := b[n : n+12]
	if us < 1000 {
		k := putGroup(d, us)
		*(*[3]byte)(d[k:]) = [3]byte{0xc2, 0xb5, 's'} // µs
		return b[:n+k+3]
	}
	ms := us / 1000
	k := putGroup(d, ms)
	if frac := us - ms*1000; frac > 0 {
		g := &groups[frac]
		d[k] = '.'
		*(*[3]byte)(d[k+1:]) = *g
		k += 4 - b2i(g[2] == '0') - b2i(g[2] == '0' && g[1] == '0') // no trailing zeros
	}
	d[k], d[k+1] = 'm', 's'
	return b[:n+k+2]
}

// appendUnit writes v/unit with as many decimals as it needs (at most
// nine) and no trailing zeros. The unit is a microsecond, a millisecond
// or a second: the decimals are three, six or nine digits, the trailing
// zeros dropped before they are written (a handler's time of whole
// microseconds has three of them, "took 3.387ms").
func appendUnit(b []byte, v, unit int64, suffix string) []byte {
	b = strconv.AppendInt(b, v/unit, 10)
	if frac := v % unit; frac > 0 {
		digits := 3
		for u := unit; u > 1000; u /= 1000 {
			digits += 3
		}
		for frac%1000 == 0 {
			frac /= 1000
			digits -= 3
		}
		for frac%10 == 0 {
			frac /= 10
			digits--
		}
		var tmp [9]byte
		for i := digits - 1; i >= 0; i-- {
			tmp[i] = byte('0' + frac%10)
			frac /= 10
		}
		b = append(append(b, '.'), tmp[:digits]...)
	} else if frac < 0 { // only from the least duration, whose negation is itself
		var tmp [24]byte
		s := strconv.AppendInt(tmp[:0], frac+unit, 10)[1:]
		for len(s) > 0 && s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		b = append(append(b, '.'), s...)
	}
	return append(b, suffix...)
}

// ShortDuration writes d with three significant digits, for statistics:
// 812µs, 41.2ms, 1.23s, 71.4s.
func ShortDuration(d time.Duration) string {
	if d < 0 {
		return "-" + ShortDuration(-d)
	}
	var unit time.Duration
	var suffix string
	switch {
	case d == 0:
		return "0s"
	case d < time.Millisecond:
		unit, suffix = time.Microsecond, "µs"
	case d < time.Second:
		unit, suffix = time.Millisecond, "ms"
	default:
		unit, suffix = time.Second, "s"
	}
	v := float64(d) / float64(unit)
	prec := 0
	switch {
	case v < 10:
		prec = 2
	case v < 100:
		prec = 1
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if prec > 0 {
		for s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		if s[len(s)-1] == '.' {
			s = s[:len(s)-1]
		}
	}
	return s + suffix
}
