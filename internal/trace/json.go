package trace

import (
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// JSON renders events as JSON Lines, one object per event, in the field
// order of the contract: seq, t_us, kind, actor, to, msg (id, type, class,
// key, attempt, reply_to, correlation_id, size), note, why, took_us,
// writes (commit), then params (run) or summary (summary). A param's value
// is written without its hint: the JSON is data.
type JSON struct {
	w    io.Writer
	buf  []byte
	err  error
	memo jsonMemo
}

// NewJSON returns a JSON Lines renderer writing to w.
func NewJSON(w io.Writer) *JSON { return &JSON{w: w} }

// Event implements Sink.
func (j *JSON) Event(e *Event) {
	j.buf = appendEventJSON(j.buf, e, &j.memo)
	j.buf = append(j.buf, '\n')
	if len(j.buf) > 32<<10 || e.Kind == Summary {
		j.Flush()
	}
}

// Follow implements Follower: the object of an event every message has,
// as Event writes it.
func (j *JSON) Follow(e *MsgEvent) {
	j.buf = append(appendMsgEventJSON(j.buf, e, "", &j.memo), '}', '\n')
	if len(j.buf) > 32<<10 {
		j.Flush()
	}
}

// Numeric implements Numeric: the text of a numbered message's id and
// key is written from its number.
func (j *JSON) Numeric() {}

// Flush writes what is buffered and returns the first write error.
func (j *JSON) Flush() error {
	if len(j.buf) > 0 && j.err == nil {
		_, j.err = j.w.Write(j.buf)
	}
	j.buf = j.buf[:0]
	return j.err
}

// jsonKinds holds each kind's field as AppendJSON writes it,
// `,"kind":"send"`, and last the field of a kind beyond the table.
var jsonKinds = func() (fields [numKinds + 1]string) {
	for k := range fields {
		fields[k] = string(appendJSONString([]byte(`,"kind":`), Kind(k).String()))
	}
	return fields
}()

// jsonClasses holds each class's field as AppendJSON writes it,
// `,"class":"command"`.
var jsonClasses = func() (fields [len(classes)]string) {
	for c := range fields {
		fields[c] = string(appendJSONString([]byte(`,"class":`), Class(c).String()))
	}
	return fields
}()

// AppendJSON appends e as one JSON object, without a newline.
func AppendJSON(b []byte, e *Event) []byte { return appendEventJSON(b, e, nil) }

// appendEventJSON appends e as one JSON object, with what memo remembers
// of the events before when memo is not nil.
func appendEventJSON(b []byte, e *Event, memo *jsonMemo) []byte {
	m := e.AsMsg()
	b = appendMsgEventJSON(b, &m, e.Why, memo)
	if len(e.Writes) > 0 {
		b = append(b, `,"writes":[`...)
		for i, w := range e.Writes {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"key":`...)
			b = appendJSONString(b, w.Key)
			if w.Deleted {
				b = append(b, `,"deleted":true}`...)
				continue
			}
			b = append(b, `,"value":`...)
			b = appendJSONString(b, w.Value)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if e.Kind == Run {
		b = append(b, `,"params":{`...)
		for i, p := range e.Params {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, p.Name)
			b = append(b, ':')
			b = appendJSONString(b, p.Value)
		}
		b = append(b, '}')
		if len(e.Actors) > 0 {
			b = append(b, `,"actors":`...)
			b = appendJSONStrings(b, e.Actors)
		}
	}
	if e.Report != nil {
		b = append(b, `,"summary":`...)
		b = appendReport(b, e.Report)
	}
	return append(b, '}')
}

// appendMsgEventJSON appends the fields of e, with why (the event's Why)
// when there is one, to the last that an event about a message has, its
// took_us; the object is left open.
func appendMsgEventJSON(b []byte, e *MsgEvent, why string, memo *jsonMemo) []byte {
	if memo != nil { // not a method of memo's as the others are: one call the less
		b = memo.stamp.append(b, e.Seq, e.T)
	} else {
		b = appendStamp(b, e)
	}
	b = memo.appendWho(b, e)
	if e.HasMsg() {
		b = appendMsgJSON(b, e.Msg, e.Attempt, memo)
	}
	if e.Note != "" {
		b = memo.appendField(b, `,"note":`, e.Note)
	}
	if why != "" {
		b = memo.appendField(b, `,"why":`, why)
	}
	if e.Took > 0 {
		b = appendUint(append(b, `,"took_us":`...), uint64(e.Took/time.Microsecond))
	}
	return b
}

// appendStamp opens e's object with its sequence number and time:
// `{"seq":7,"t_us":1500`.
func appendStamp(b []byte, e *MsgEvent) []byte {
	b = strconv.AppendInt(append(b, seqField...), e.Seq, 10)
	return strconv.AppendInt(append(b, timeField...), int64(e.T/time.Microsecond), 10)
}

// The fields appendStamp writes.
const (
	seqField  = `{"seq":`
	timeField = `,"t_us":`
)

// appendWho appends what happened and who took part:
// `,"kind":"deliver","actor":"orders","to":"worker-1"`.
func appendWho(b []byte, e *MsgEvent) []byte {
	b = append(b, jsonKinds[min(e.Kind, numKinds)]...)
	b = appendJSONString(append(b, `,"actor":`...), e.Actor)
	if e.To != "" {
		b = appendJSONString(append(b, `,"to":`...), e.To)
	}
	return b
}

// appendMsgJSON appends the field of a message, at the given attempt:
// its object.
func appendMsgJSON(b []byte, m *Msg, attempt int, memo *jsonMemo) []byte {
	b = memo.appendMsgHead(b, m, attempt)
	if m.ReplyTo != "" {
		b = memo.appendField(b, `,"reply_to":`, m.ReplyTo)
	}
	if m.CorrelationID != "" {
		b = memo.appendField(b, `,"correlation_id":`, m.CorrelationID)
	}
	if m.Size > 0 {
		b = append(b, `,"size":`...)
		b = strconv.AppendInt(b, m.Size, 10)
	}
	return append(b, '}')
}

// appendMsgHead appends the start of a message's field, which the events
// of a message in flight repeat: `,"msg":{"id":"m1","type":"PlaceOrder"`,
// its class and its key.
func appendMsgHead(b []byte, m *Msg, memo *jsonMemo) []byte {
	numbered := m.numbered()
	b = append(b, `,"msg":{"id":`...)
	if numbered {
		b = appendNumberedJSON(b, m.Names.ID, m.Num)
	} else {
		b = appendJSONString(b, m.ID)
	}
	b = memo.appendField(b, `,"type":`, m.Type)
	if m.Class != NoClass {
		b = append(b, jsonClasses[m.Class.known()]...)
	}
	switch {
	case numbered && m.Names.Key != "":
		b = appendNumberedJSON(append(b, `,"key":`...), m.Names.Key, m.Names.KeyFrom+m.Num)
	case !numbered && m.Key != "":
		b = appendJSONString(append(b, `,"key":`...), m.Key)
	}
	return b
}

// appendNumberedJSON appends prefix followed by the digits of n as one
// JSON string: the id or key of a numbered message (see Numbering).
func appendNumberedJSON(b []byte, prefix string, n uint64) []byte {
	b = appendJSONString(b, prefix)
	return append(strconv.AppendUint(b[:len(b)-1], n, 10), '"')
}

// appendAttempt appends a message's attempt field: `,"attempt":1`.
func appendAttempt(b []byte, n int) []byte {
	if n < len(jsonAttempts) {
		return append(b, jsonAttempts[n]...)
	}
	return strconv.AppendInt(append(b, `,"attempt":`...), int64(n), 10)
}

// jsonAttempts holds the attempt fields of the first attempts.
var jsonAttempts = func() (fields [10]string) {
	for n := range fields {
		fields[n] = `,"attempt":` + strconv.Itoa(n)
	}
	return fields
}()

func appendReport(b []byte, r *Report) []byte {
	b = append(b, `{"pattern":`...)
	b = appendJSONString(b, r.Pattern)
	b = append(b, `,"seed":`...)
	b = strconv.AppendUint(b, r.Seed, 10)
	b = append(b, `,"end_us":`...)
	b = strconv.AppendInt(b, int64(r.End/time.Microsecond), 10)
	b = append(b, `,"settled":`...)
	b = strconv.AppendBool(b, r.Stopped == "")
	if r.Stopped != "" {
		b = append(b, `,"stopped":`...)
		b = appendJSONString(b, r.Stopped)
	}
	if len(r.InFlight) > 0 {
		b = append(b, `,"in_flight":`...)
		b = appendJSONStrings(b, r.InFlight)
	}
	if len(r.Warnings) > 0 {
		b = append(b, `,"warnings":`...)
		b = appendJSONStrings(b, r.Warnings)
	}
	b = append(b, `,"totals":{`...)
	for i, c := range r.Totals {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, c.Name)
		b = append(b, ':')
		b = strconv.AppendInt(b, c.Value, 10)
	}
	b = append(b, `},"tables":[`...)
	for i, t := range r.Tables {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"title":`...)
		b = appendJSONString(b, t.Title)
		b = append(b, `,"columns":`...)
		b = appendJSONStrings(b, t.Columns)
		b = append(b, `,"rows":[`...)
		for k, row := range t.Rows {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendJSONStrings(b, row)
		}
		b = append(b, "]}"...)
	}
	b = append(b, ']')
	if len(r.Series) > 0 {
		b = append(b, `,"series":[`...)
		for i, sr := range r.Series {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"title":`...)
			b = appendJSONString(b, sr.Title)
			b = append(b, `,"step_us":`...)
			b = strconv.AppendInt(b, int64(sr.Step/time.Microsecond), 10)
			b = append(b, `,"values":[`...)
			for k, v := range sr.Values {
				if k > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendInt(b, v, 10)
			}
			b = append(b, "]}"...)
		}
		b = append(b, ']')
	}
	b = append(b, `,"checks":[`...)
	for i, v := range r.Checks {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendJSONString(b, v.Name)
		b = append(b, `,"title":`...)
		b = appendJSONString(b, v.Title)
		b = append(b, `,"ok":`...)
		b = strconv.AppendBool(b, v.OK)
		b = append(b, `,"detail":`...)
		b = appendJSONString(b, v.Detail)
		if len(v.Evidence) > 0 {
			b = append(b, `,"evidence":`...)
			b = appendJSONStrings(b, v.Evidence)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

func appendJSONStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced, the rest as it is.
// Runs of bytes that need no escaping are copied whole.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for {
		n := plainJSON(s)
		b = append(b, s[:n]...)
		if s = s[n:]; s == "" {
			return append(b, '"')
		}
		if c := s[0]; c < utf8.RuneSelf {
			b = appendJSONEscape(b, c)
			s = s[1:]
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[:size]...)
		}
		s = s[size:]
	}
}

// plainJSON returns how many bytes s starts with that a JSON string holds
// as they are: printable ASCII but the quote and the backslash. It looks
// at eight bytes at a time while they are all plain.
func plainJSON(s string) int {
	i := 0
	for ; i+8 <= len(s) && plain8(load8(s[i:])); i += 8 {
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return i
		}
	}
	return len(s)
}

// load8 returns the first eight bytes of s, the first lowest.
func load8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// plain8 reports whether each of the eight bytes in x is plain, as
// plainJSON means it. Each term sets the top bit of some byte when there
// is one that is not: below 0x20 (a control character); 0x7f or above
// (delete, or a byte of a multi-byte character: a carry out of 0xff
// comes from a byte found already); a quote; a backslash (x-ones&^x finds
// a zero byte, and a byte xor the quote is zero where x holds a quote).
func plain8(x uint64) bool {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	quote, backslash := x^(ones*'"'), x^(ones*'\\')
	return ((x-ones*0x20)&^x|x|(x+ones)|(quote-ones)&^quote|(backslash-ones)&^backslash)&tops == 0
}

// appendJSONEscape appends the escape of an ASCII byte that a JSON string
// cannot hold as it is.
func appendJSONEscape(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}

// AppendJSONString appends s as a JSON string, escaped as the trace's own
// strings are, for other writers of JSON (such as `msgplay check`).
func AppendJSONString(b []byte, s string) []byte { return appendJSONString(b, s) }
