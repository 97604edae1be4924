package trace

import "unsafe"

// The caches and the decimal writing the text and JSON renderers share.

// memoBits is the log2 of the slots of each of a jsonMemo's caches (and
// of the Text renderer's message heads). The
// kinds with actors and the message heads are kept two to a hash, the
// one used last first (a pair of keys that hash alike would otherwise
// push each other out on every event).
const memoBits = 8

// twoWays returns the one of ways[i] and ways[i+1] that matches, moved to
// ways[i] (the one used last comes first), or nil.
func twoWays[T any](ways []T, i int, matches func(*T) bool) *T {
	if matches(&ways[i]) {
		return &ways[i]
	}
	if matches(&ways[i+1]) {
		ways[i], ways[i+1] = ways[i+1], ways[i]
		return &ways[i]
	}
	return nil
}

// addr returns the address of the bytes of s.
func addr(s string) uint64 { return uint64(uintptr(unsafe.Pointer(unsafe.StringData(s)))) }

// slot returns the slot of a memo's cache for a key hashed to h.
func slot(h uint64) int { return int(h * 0x9e3779b97f4a7c15 >> (64 - memoBits)) }

// same reports whether a and b are equal, trying the address of their
// bytes before the bytes.
func same(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

// setDecimal writes v over old, a smaller number written in decimal in
// text from first to last (its last digit), and reports whether it fits
// there: a digit more takes the place before old's first digit, which
// must be first or later (padding). With dot, a '.' sits between its
// last three digits and the others (the time column's milliseconds).
// Only the groups of three digits that differ are written, each in one
// step; when v does not fit, text may hold part of it and must be
// written again.
func setDecimal(text []byte, first, last int, old, v uint64, dot bool) bool {
	i := last // the last digit of the group
	for old != v {
		if v < 1000 { // the first group, of one to three digits
			n := 1 + b2i(v >= 10) + b2i(v >= 100)
			if i-n+1 < first {
				return false // v has a digit more, and no room for it
			}
			for t := 3*v + 2; n > 0; n-- { // a byte at a time: no call
				text[i] = triples[t]
				i, t = i-1, t-1
			}
			return true
		}
		if old < 1000 || i-2 < first || i >= len(text) {
			return false // v has a group more
		}
		q, oq := v/1000, old/1000
		t := triples[3*(v-q*1000):]
		text[i-2], text[i-1], text[i] = t[0], t[1], t[2]
		i -= 3
		if dot {
			i--
			dot = false
		}
		v, old = q, oq
	}
	return true
}

// b2i returns 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// triples holds the numbers 000 to 999, three digits each.
var triples = func() string {
	var b []byte
	for n := range 1000 {
		b = append(b, byte('0'+n/100), byte('0'+n/10%10), byte('0'+n%10))
	}
	return string(b)
}()

// decimalDigits returns how many decimal digits n has.
func decimalDigits(n uint64) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}
