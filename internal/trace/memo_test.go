package trace

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
)

// twoWays keeps the way used last first and, on a miss, hands back the
// one used less lately, with its buffer, for the caller to make again: a
// cache of two ways a slot, each holding the key it was made for, against
// a list of the two keys used last.
func TestTwoWaysHandsBackTheWayUsedLessLately(t *testing.T) {
	type way struct {
		key int
		buf []byte
	}
	r := rand.New(rand.NewPCG(3, 4))
	ways := make([]way, 4)
	for i := range ways {
		ways[i] = way{key: -1, buf: make([]byte, 0, 8+i)} // capacities tell the buffers apart
	}
	recent := [][2]int{{-1, -1}, {-1, -1}} // per pair of ways: the key used last, then the one before
	for range 2000 {
		pair, key := r.IntN(2), r.IntN(4)
		i := 2 * pair
		last, before := recent[pair][0], recent[pair][1]
		lessLately := cap(ways[i+1].buf)
		w, ok := twoWays(ways, i, func(w *way) bool { return w.key == key })
		if w != &ways[i] {
			t.Fatalf("the way handed back is not ways[%d]", i)
		}
		switch {
		case ok != (key == last || key == before):
			t.Fatalf("key %d with %d and %d kept: found %v", key, last, before, ok)
		case !ok && cap(w.buf) != lessLately:
			t.Fatalf("key %d missed: handed back the buffer of capacity %d, want %d (used less lately)", key, cap(w.buf), lessLately)
		case ok && w.key != key:
			t.Fatalf("key %d found, handed back %d", key, w.key)
		}
		if !ok {
			w.key = key
		}
		if key != last {
			recent[pair] = [2]int{key, last}
		}
		if ways[i].key != recent[pair][0] || ways[i+1].key != recent[pair][1] {
			t.Fatalf("ways hold %d, %d; want %v", ways[i].key, ways[i+1].key, recent[pair])
		}
	}
}

// TestSetDecimalWritesTheNewNumber writes numbers over smaller ones, in
// a field with a digit of padding before them, with and without the
// time column's dot: when it reports that the new number fits, the
// field reads as it, padding and all; a number of as many groups as the
// old one always fits.
func TestSetDecimalWritesTheNewNumber(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	format := func(v uint64, dot bool, width int) string {
		s := strconv.FormatUint(v, 10)
		if dot {
			s = fmt.Sprintf("%d.%03d", v/1000, v%1000)
		}
		return fmt.Sprintf("x%*s]", width, s)
	}
	for i := range 200_000 {
		old := r.Uint64N(uint64(1) << r.IntN(40))
		v := old + r.Uint64N(uint64(1)<<r.IntN(40))
		if i%2 == 1 { // a little more, often just past a run of nines: carries
			pow := uint64(1)
			for range r.IntN(13) {
				pow *= 10
			}
			old = max(pow, 1000) - 1 - r.Uint64N(1000)
			v = old + r.Uint64N(1000)
		}
		dot := r.IntN(2) == 0
		width := len(format(old, dot, 0)) - 2 + r.IntN(2) // room for a digit more, or not
		text := []byte(format(old, dot, width))
		fits := setDecimal(text, 1, len(text)-2, old, v, dot)
		want := format(v, dot, width)
		sameGroups := (decimalDigits(v)+2)/3 == (decimalDigits(old)+2)/3 && len(want) == len(text)
		if fits && string(text) != want || !fits && sameGroups {
			t.Fatalf("%d over %d (dot %v): %q, fits %v; want %q", v, old, dot, text, fits, want)
		}
	}
}

// TestAppendUintWritesWhatStrconvDoes holds appendUint to
// strconv.AppendUint for every number below a million, a few past it,
// and the largest, written after text already in the buffer.
func TestAppendUintWritesWhatStrconvDoes(t *testing.T) {
	var got, want []byte
	check := func(v uint64) {
		got = appendUint(append(got[:0], `"n":`...), v)
		want = strconv.AppendUint(append(want[:0], `"n":`...), v, 10)
		if string(got) != string(want) {
			t.Fatalf("%d written %q, want %q", v, got, want)
		}
	}
	for v := range uint64(1_000_100) {
		check(v)
	}
	check(1<<64 - 1)
}
