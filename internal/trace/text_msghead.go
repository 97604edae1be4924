package trace

import "strconv"

// msgHead is the start of a message's part of a line, as written for its
// last event, "m1  cmd PlaceOrder order-1001": the events of a message
// in flight repeat it.
type msgHead struct {
	head
	cols  int // its columns, a byte of the id, type and key counted as one
	ascii int // 1 when the id, type and key are printable ASCII, so cols are exact; -1 when not; 0 not known yet
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
	h, ok := twoWays(t.heads[:], slot(addr(m.ID))&^1, func(h *msgHead) bool { return h.isOf(m) })
	if !ok {
		text, cols := t.appendMsgHead(roomy(h.text), m)
		*h = msgHead{head: head{id: m.ID, typ: m.Type, key: m.Key, class: m.Class, text: text}, cols: cols}
	}
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
	if h.numbersLike(m) {
		if h.num == m.Num {
			return h
		}
		if m.Num > h.num && h.renumber(m.Num) {
			return h
		}
	}
	text, cols := t.appendMsgHead(roomy(h.text), m)
	h.numbered(m, text, len(m.Names.ID), len(text))
	h.cols, h.ascii = cols, 0
	return h
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
