package trace

import "strconv"

// msgHead is the start of a message's part of a line, as written for its
// last event, "m1  cmd PlaceOrder order-1001": the events of a message
// in flight repeat it.
type msgHead struct {
	id, typ, key string // for a numbered message (names set), what its id and key start with
	class        Class
	names        *Numbering
	num          uint64
	idEnd, keyAt int // for a numbered message: where its id's digits end, where its key's start (0: no key)
	text         []byte
	cols         int // its columns, a byte of the id, type and key counted as one
	ascii        int // 1 when the id, type and key are printable ASCII, so cols are exact; -1 when not; 0 not known yet
}

// exact reports whether the head's columns are exact: its id, type and
// key are printable ASCII, a byte a column.
func (h *msgHead) exact() bool {
	if h.ascii == 0 {
		ascii := func(s string) bool { return plainJSON(s) == len(s) }
		h.ascii = -1
		if ascii(h.id) && ascii(h.typ) && ascii(h.key) {
			h.ascii = 1
		}
	}
	return h.ascii > 0
}

// msgHead returns the start of m's part of a line, made when m's is not
// among the heads made lately.
func (t *Text) msgHead(m *Msg) *msgHead {
	if m.numbered() {
		return t.numHead(m)
	}
	i := slot(addr(m.ID)) &^ 1
	if h := twoWays(t.heads[:], i, func(h *msgHead) bool {
		return h.text != nil && h.class == m.Class && same(h.id, m.ID) && same(h.typ, m.Type) && same(h.key, m.Key)
	}); h != nil {
		return h
	}
	spare := t.heads[i+1].text
	t.heads[i+1] = t.heads[i]
	h := &t.heads[i]
	*h = msgHead{id: m.ID, typ: m.Type, key: m.Key, class: m.Class}
	h.text, h.cols = t.appendMsgHead(spare[:0], m)
	return h
}

// numHead returns the start of a numbered message's part of a line,
// found by its number, and made from it, not from the text of its id and
// key, when it is not the one of the last message of that number's slot.
//
// A later number of the same numbering, type and class (most often the
// one the slot held before, 256 less) is written over the digits of the
// head the slot holds, only those that differ.
func (t *Text) numHead(m *Msg) *msgHead {
	h := &t.numHeads[m.Num&(uint64(len(t.numHeads))-1)]
	if h.text != nil && h.names == m.Names && h.class == m.Class && same(h.typ, m.Type) {
		if h.num == m.Num {
			return h
		}
		if m.Num > h.num && h.renumber(m.Num) {
			return h
		}
	}
	spare := h.text
	*h = msgHead{id: m.Names.ID, typ: m.Type, key: m.Names.Key, class: m.Class, names: m.Names, num: m.Num}
	h.text, h.cols = t.appendMsgHead(spare[:0], m)
	h.idEnd = len(h.id) + decimalDigits(m.Num)
	if h.key != "" {
		h.keyAt = len(h.text) - decimalDigits(m.Names.KeyFrom+m.Num)
	}
	return h
}

// renumber makes h, the head of a numbered message, the head of the
// later number num, by writing the digits of its id and key that differ,
// and reports whether they keep their places (when they do not, the head
// must be made again).
func (h *msgHead) renumber(num uint64) bool {
	key := h.names.KeyFrom
	if !setDecimal(h.text, len(h.id), h.idEnd-1, h.num, num, false) ||
		h.keyAt > 0 && !setDecimal(h.text, h.keyAt, len(h.text)-1, key+h.num, key+num, false) {
		return false // half written, perhaps: made again
	}
	h.num = num
	return true
}

// appendMsgHead writes the id, the class and type, and the key of m, and
// returns how many columns they took.
func (t *Text) appendMsgHead(b []byte, m *Msg) ([]byte, int) {
	st := t.class[m.Class.known()]
	start := len(b)
	id, key := m.ID, m.Key
	numbered := m.numbered()
	if numbered {
		id, key = m.Names.ID, m.Names.Key
		b = strconv.AppendUint(append(b, id...), m.Num, 10)
	} else {
		b = append(b, id...)
	}
	n := len(b) - start
	for ; n < idWidth; n++ {
		b = append(b, ' ')
	}
	b = append(b, ' ')
	b = append(b, st.on...)
	b = append(append(append(b, m.Class.info().tag...), ' '), m.Type...)
	b = append(b, st.off...)
	n += 1 + 4 + len(m.Type)
	if key != "" {
		k := len(b)
		b = append(append(b, ' '), key...)
		if numbered {
			b = strconv.AppendUint(b, m.Names.KeyFrom+m.Num, 10)
		}
		n += len(b) - k
	}
	return b, n
}
