package trace

import (
	"slices"
	"strconv"
	"unsafe"
)

// The caches and the decimal writing the text and JSON renderers share.

// memoBits is the log2 of the slots of each of a jsonMemo's caches (and
// of the Text renderer's message heads). The
// kinds with actors and the message heads are kept two to a hash, the
// one used last first (a pair of keys that hash alike would otherwise
// push each other out on every event).
const memoBits = 8

// twoWays returns ways[i] after moving there the one of ways[i] and
// ways[i+1] that matches, and true; when neither does, it returns the one
// used less lately, moved to ways[i], and false, for the caller to make
// again over it (keeping its buffers). Either way the one used last comes
// first.
func twoWays[T any](ways []T, i int, matches func(*T) bool) (*T, bool) {
	a := &ways[i]
	if matches(a) {
		return a, true
	}
	b := &ways[i+1]
	hit := matches(b)
	*a, *b = *b, *a
	return a, hit
}

// head is a message's head as a renderer made it, kept to be written
// again for the message's next events: the text renderer's "m1  cmd
// PlaceOrder order-1001", the JSON renderer's `,"msg":{"id":"m1",…`.
type head struct {
	id, typ, key string // for a numbered message (names set), what its id and key start with
	class        Class
	names        *Numbering
	num          uint64
	// For a numbered message: where its id's digits start and end (idEnd
	// 0: they cannot be written over), where its key's start and its
	// last one is (keyAt 0: no key).
	idAt, idEnd, keyAt, keyLast int
	text                        []byte
}

// isOf reports whether h is the head of m, which is not numbered.
func (h *head) isOf(m *Msg) bool {
	return h.text != nil && h.class == m.Class && same(h.id, m.ID) && same(h.typ, m.Type) && same(h.key, m.Key)
}

// numbersLike reports whether h is the head of a numbered message of the
// numbering, type and class of m's: of m itself when h.num is m.Num.
func (h *head) numbersLike(m *Msg) bool {
	return h.text != nil && h.names == m.Names && h.class == m.Class && same(h.typ, m.Type)
}

// renumber makes h, the head of a numbered message, the head of the
// later number num, by writing the digits of its id and key that differ,
// and reports whether they keep their places (when they do not, the head
// must be made again).
func (h *head) renumber(num uint64) bool {
	key := h.names.KeyFrom
	if h.idEnd == 0 || !setDecimal(h.text, h.idAt, h.idEnd-1, h.num, num, false) ||
		h.keyAt > 0 && !setDecimal(h.text, h.keyAt, h.keyLast, key+h.num, key+num, false) {
		return false // half written, perhaps: made again
	}
	h.num = num
	return true
}

// numbered makes h the head of m, a numbered message, made in text:
// the digits of its id start at idAt (-1 when they cannot be found: then
// a later number makes the head again) and those of its key end at
// keyEnd.
func (h *head) numbered(m *Msg, text []byte, idAt, keyEnd int) {
	*h = head{id: m.Names.ID, typ: m.Type, key: m.Names.Key, class: m.Class, names: m.Names, num: m.Num, text: text}
	if idAt >= 0 {
		h.idAt, h.idEnd = idAt, idAt+decimalDigits(m.Num)
	}
	if h.key != "" {
		h.keyAt, h.keyLast = keyEnd-decimalDigits(m.Names.KeyFrom+m.Num), keyEnd-1
	}
}

// addr returns the address of the bytes of s.
func addr(s string) uint64 { return uint64(uintptr(unsafe.Pointer(unsafe.StringData(s)))) }

// slot returns the slot of a memo's cache for a key hashed to h.
func slot(h uint64) int { return int(h * 0x9e3779b97f4a7c15 >> (64 - memoBits)) }

// whoBits is the log2 of the slots of the renderers' caches of who did
// what (an actor, a receiver and a kind), more than memoBits: three keys
// that hash to one pair of ways push each other out on every event, and
// a run of 25 such keys (competing's eight workers) met that in about
// one build of eight with 128 pairs, as the addresses of the names fell.
const whoBits = 10

// whoSlot returns the first of the pair of slots of a who cache for e's
// actor, receiver and kind.
func whoSlot(e *MsgEvent) int {
	h := addr(e.Actor) + 31*addr(e.To) + uint64(e.Kind)
	return int(h*0x9e3779b97f4a7c15>>(64-whoBits)) &^ 1
}

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
//
// Most often v is a little more than old (the next time of a run, a
// message number one slot of a cache later): then the last group is
// read back from text, v-old added to it, and a carry, when there is
// one, added to the digits before it, with no division.
func setDecimal(text []byte, first, last int, old, v uint64, dot bool) bool {
	if d := v - old; d < 1000 && old >= 1000 && first <= last-2 && last < len(text) {
		g := (*[3]byte)(text[last-2 : last+1]) // old >= 1000: three digits
		lo := uint64(g[0])*100 + uint64(g[1])*10 + uint64(g[2]) - '0'*111 + d
		if lo < 1000 {
			*g = groups[lo]
			return true
		}
		*g = groups[lo-1000]
		return carryDecimal(text, first, last-3-b2i(dot))
	}
	i := last // the last digit of the group
	for old != v {
		if v < 1000 { // the first group, of one to three digits
			n := 1 + b2i(v >= 10) + b2i(v >= 100)
			if i-n+1 < first || i >= len(text) {
				return false // v has a digit more, and no room for it
			}
			g := &groups[v]
			text[i] = g[2]
			if n > 1 {
				text[i-1] = g[1]
				if n > 2 {
					text[i-2] = g[0]
				}
			}
			return true
		}
		if old < 1000 || i-2 < first || i >= len(text) {
			return false // v has a group more
		}
		q, oq := v/1000, old/1000
		*(*[3]byte)(text[i-2 : i+1]) = groups[v-q*1000] // one step
		i -= 3
		if dot {
			i--
			dot = false
		}
		v, old = q, oq
	}
	return true
}

// carryDecimal adds one to the number whose last digit is at i, its
// digits the other way from first, and reports whether it fits: a
// digit more takes the place of the padding before its first digit,
// which must be first or later.
func carryDecimal(text []byte, first, i int) bool {
	for ; i >= first; i-- {
		switch c := text[i]; {
		case c == '9':
			text[i] = '0'
		case c >= '0' && c < '9':
			text[i] = c + 1
			return true
		default: // padding: the number has a digit more
			text[i] = '1'
			return true
		}
	}
	return false
}

// b2i returns 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// groups holds the numbers 000 to 999, three digits each: one a step
// for setDecimal, and one flat run of digits for putGroup.
var groups = func() (g [1000][3]byte) {
	for n := range g {
		g[n] = [3]byte{byte('0' + n/100), byte('0' + n/10%10), byte('0' + n%10)}
	}
	return g
}()

// putGroup writes v, below 1000, at the start of d without leading
// zeros, and returns how many digits it wrote: one to three. It moves
// three bytes, one of them or two past the digits: d has room for them.
func putGroup(d []byte, v uint64) int {
	k := 1 + b2i(v >= 10) + b2i(v >= 100)
	flat := (*[3 * len(groups)]byte)(unsafe.Pointer(&groups)) // the digits of 000 to 999
	*(*[3]byte)(d) = *(*[3]byte)(flat[3*v+3-uint64(k):])
	return k
}

// appendUint appends v in decimal, as strconv.AppendUint does: below a
// million (a duration in microseconds, a sequence number), a group of
// three digits at a time, into the room b has after them.
func appendUint(b []byte, v uint64) []byte {
	if v >= 1_000_000 {
		return strconv.AppendUint(b, v, 10)
	}
	b = slices.Grow(b, 8)
	n := len(b)
	d := b[n : n+8]
	if v < 1000 {
		return b[:n+putGroup(d, v)]
	}
	hi := v / 1000
	k := putGroup(d, hi)
	*(*[3]byte)(d[k:]) = groups[v-hi*1000]
	return b[:n+k+3]
}

// decimalDigits returns how many decimal digits n has.
func decimalDigits(n uint64) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}
