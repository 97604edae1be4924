package patterns

import "strings"

// KeyNumber reads key as prefix followed by the number from+n, written as
// strconv writes it (no sign, no leading zero), and returns n; false for
// any other key or an n below 1. It is the exact inverse of a key such as
// "order-" + strconv.Itoa(1000+n), so a store can keep a row per order in
// a dense table by n (see store.Table).
func KeyNumber(key, prefix string, from int) (int, bool) {
	rest, ok := strings.CutPrefix(key, prefix)
	if !ok || len(rest) == 0 || len(rest) > 18 || rest[0] == '0' {
		return 0, false
	}
	n := 0
	for _, c := range []byte(rest) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = 10*n + int(c-'0')
	}
	return n - from, n > from
}

// MaxDense is the highest number an id or a key may end in for a
// pattern's checks to keep it in dense arrays (check.Dense), a few bytes
// by number: above every count a flag allows. Past it, an id or a key is
// kept by its text.
const MaxDense = 1 << 25

// NumberPrefix returns what comes before the decimal number key ends in,
// and false when it ends in none.
func NumberPrefix(key string) (string, bool) {
	i := len(key)
	for i > 0 && key[i-1] >= '0' && key[i-1] <= '9' {
		i--
	}
	return key[:i], i < len(key)
}
