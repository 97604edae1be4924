package trace

import (
	"slices"
	"strconv"
	"time"
)

// jsonMemo is what a JSON renderer remembers from one event to the next,
// so as not to make the same text twice: the last sequence number and
// time, and the pieces of the objects made lately that the next events
// repeat (the kind, actor and receiver; the start of a message's object;
// a type, a note). A piece is found by the address of its strings' bytes and
// confirmed by their values, and it keeps them. Its methods on a nil memo
// remember nothing.
type jsonMemo struct {
	stamp  stampJSON
	who    [1 << whoBits]whoJSON
	heads  [1 << memoBits]head
	nums   [1 << memoBits]head // the heads of numbered messages, by their number's low bits
	fields [1 << memoBits]fieldJSON
	made   []byte // a head being made, before it is copied to its slot
}

// whoJSON is what appendWho wrote for a kind, an actor and a receiver.
type whoJSON struct {
	kind      Kind
	actor, to string
	json      []byte
}

// fieldJSON is a field, a string, and their JSON.
type fieldJSON struct {
	name, s string
	json    []byte
}

// appendWho appends what the appendWho function does.
func (memo *jsonMemo) appendWho(b []byte, e *MsgEvent) []byte {
	if memo == nil {
		return appendWho(b, e)
	}
	w, ok := twoWays(memo.who[:], whoSlot(e), func(w *whoJSON) bool {
		return w.json != nil && w.kind == e.Kind && same(w.actor, e.Actor) && same(w.to, e.To)
	})
	if ok {
		return appendPiece(b, w.json)
	}
	n := len(b)
	b = appendWho(b, e)
	w.kind, w.actor, w.to, w.json = e.Kind, e.Actor, e.To, append(roomy(w.json), b[n:]...)
	return b
}

// appendMsgHead appends what the appendMsgHead function does, then the
// message's attempt field when attempt is above 0.
func (memo *jsonMemo) appendMsgHead(b []byte, m *Msg, attempt int) []byte {
	if memo == nil {
		b = appendMsgHead(b, m, nil)
		if attempt > 0 {
			b = appendAttempt(b, attempt)
		}
		return b
	}
	var h *head
	if m.numbered() {
		h = memo.numHead(m)
	} else {
		h = memo.head(m)
	}
	text := h.text // the head and attemptOne
	if attempt != 1 {
		text = text[:len(text)-len(attemptOne)]
	}
	if len(text) > pieceRoom { // most heads: written as two pieces
		b = appendPiece(b, text[:pieceRoom])
		text = text[pieceRoom:]
	}
	b = appendPiece(b, text)
	if attempt > 1 {
		b = appendAttempt(b, attempt)
	}
	return b
}

// attemptOne is the attempt field of a first delivery, which every event
// of a message but its send most often has: each head made is kept with
// it after, to be written with the head or left off.
const attemptOne = `,"attempt":1`

// head returns the head of m, which is not numbered, made when it is not
// among the heads made lately.
func (memo *jsonMemo) head(m *Msg) *head {
	h, ok := twoWays(memo.heads[:], slot(addr(m.ID))&^1, func(h *head) bool { return h.isOf(m) })
	if !ok {
		*h = head{id: m.ID, typ: m.Type, key: m.Key, class: m.Class, text: memo.make(h.text, m)}
	}
	return h
}

// numHead returns the head of a numbered message, found by its number,
// and made from it when it is not the one of the last message of that
// number's slot.
//
// A later number of the same numbering, type and class (most often the
// one the slot held before) is written over the digits of the head the
// slot holds, only those that differ, as the text renderer does.
func (memo *jsonMemo) numHead(m *Msg) *head {
	h := &memo.nums[m.Num&(uint64(len(memo.nums))-1)]
	if h.numbersLike(m) && (h.num == m.Num || m.Num > h.num && h.renumber(m.Num)) {
		return h
	}
	text := memo.make(h.text, m)
	// Where the digits are: the id's after its quoted prefix, the key's
	// at the end, before the quote. A prefix JSON escapes is left alone.
	idAt := -1
	if plainJSON(m.Names.ID) == len(m.Names.ID) {
		idAt = len(`,"msg":{"id":"`) + len(m.Names.ID)
	}
	h.numbered(m, text, idAt, len(text)-len(attemptOne)-1)
	return h
}

// make returns the head of m and attemptOne, written over buf, which it
// grows at most once, with room for appendMsgHead to write it as two
// pieces.
func (memo *jsonMemo) make(buf []byte, m *Msg) []byte {
	memo.made = appendMsgHead(memo.made[:0], m, memo)
	return append(append(slices.Grow(buf[:0], 2*pieceRoom), memo.made...), attemptOne...)
}

// appendField appends a field whose value is a string: name, such as
// `,"note":`, then s quoted.
func (memo *jsonMemo) appendField(b []byte, name, s string) []byte {
	if memo == nil {
		return appendJSONString(append(b, name...), s)
	}
	f := &memo.fields[slot(addr(s)+addr(name))]
	if f.json != nil && same(f.s, s) && same(f.name, name) {
		return appendPiece(b, f.json)
	}
	n := len(b)
	b = appendJSONString(append(b, name...), s)
	f.name, f.s, f.json = name, s, append(roomy(f.json), b[n:]...)
	return b
}

// stampJSON is the stamp appendStamp wrote last, `{"seq":7,"t_us":1500`,
// kept to be written over: the next event's sequence number is one more,
// and its time the same (a delivery at the time of its send) or a little
// later, so only the digits that differ are written (see setDecimal).
type stampJSON struct {
	seq, t int64
	at     time.Duration // the time t was written from, to find the same time again without a division
	text   []byte
	tAt    int // where the time's field starts in text
}

// append appends the stamp of sequence number seq and time at.
func (s *stampJSON) append(b []byte, seq int64, at time.Duration) []byte {
	if !s.next(seq, at) {
		s.set(seq, at)
	}
	return appendPiece(b, s.text)
}

// next makes the stamp the one of seq and t, and reports whether it did,
// in the most common step, small enough to be inlined: seq the next
// sequence number, ending in a digit below 9, and at the same time (the
// delivery of a message at the time of its send).
func (s *stampJSON) next(seq int64, at time.Duration) bool {
	if seq != s.seq+1 || at != s.at || s.seq < 0 || s.tAt == 0 || s.text[s.tAt-1] == '9' {
		return false
	}
	s.text[s.tAt-1]++
	s.seq = seq
	return true
}

// set makes the stamp the one of seq and at: written over, or again.
func (s *stampJSON) set(seq int64, at time.Duration) {
	t := int64(at / time.Microsecond)
	s.at = at
	if s.text == nil || !s.update(seq, t) {
		s.text = strconv.AppendInt(append(roomy(s.text), seqField...), seq, 10)
		s.tAt = len(s.text)
		s.text = strconv.AppendInt(append(s.text, timeField...), t, 10)
		s.seq, s.t = seq, t
	}
}

// update writes seq and t over the stamp's digits, and reports whether
// they fit; when they do not, the stamp must be written again.
func (s *stampJSON) update(seq, t int64) bool {
	switch {
	case seq == s.seq:
	case seq == s.seq+1 && s.seq >= 0 && s.text[s.tAt-1] != '9':
		s.text[s.tAt-1]++ // the next sequence number, most often
	case seq > s.seq && s.seq >= 0 && setDecimal(s.text, len(seqField), s.tAt-1, uint64(s.seq), uint64(seq), false):
	default:
		return false
	}
	s.seq = seq
	switch {
	case t == s.t:
	case t > s.t && s.t >= 0 && setDecimal(s.text, s.tAt+len(timeField), len(s.text)-1, uint64(s.t), uint64(t), false):
	default:
		return false
	}
	s.t = t
	return true
}
