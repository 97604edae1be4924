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
	w   io.Writer
	buf []byte
	err error
}

// NewJSON returns a JSON Lines renderer writing to w.
func NewJSON(w io.Writer) *JSON { return &JSON{w: w} }

// Event implements Sink.
func (j *JSON) Event(e *Event) {
	j.buf = AppendJSON(j.buf, e)
	j.buf = append(j.buf, '\n')
	if len(j.buf) > 32<<10 || e.Kind == Summary {
		j.Flush()
	}
}

// Flush writes what is buffered and returns the first write error.
func (j *JSON) Flush() error {
	if len(j.buf) > 0 && j.err == nil {
		_, j.err = j.w.Write(j.buf)
	}
	j.buf = j.buf[:0]
	return j.err
}

// AppendJSON appends e as one JSON object, without a newline.
func AppendJSON(b []byte, e *Event) []byte {
	b = append(b, `{"seq":`...)
	b = strconv.AppendInt(b, e.Seq, 10)
	b = append(b, `,"t_us":`...)
	b = strconv.AppendInt(b, int64(e.T/time.Microsecond), 10)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, e.Kind.String())
	b = append(b, `,"actor":`...)
	b = appendJSONString(b, e.Actor)
	if e.To != "" {
		b = append(b, `,"to":`...)
		b = appendJSONString(b, e.To)
	}
	if e.HasMsg() {
		m := &e.Msg
		b = append(b, `,"msg":{"id":`...)
		b = appendJSONString(b, m.ID)
		b = append(b, `,"type":`...)
		b = appendJSONString(b, m.Type)
		if m.Class != NoClass {
			b = append(b, `,"class":`...)
			b = appendJSONString(b, m.Class.String())
		}
		if m.Key != "" {
			b = append(b, `,"key":`...)
			b = appendJSONString(b, m.Key)
		}
		if m.Attempt > 0 {
			b = append(b, `,"attempt":`...)
			b = strconv.AppendInt(b, int64(m.Attempt), 10)
		}
		if m.ReplyTo != "" {
			b = append(b, `,"reply_to":`...)
			b = appendJSONString(b, m.ReplyTo)
		}
		if m.CorrelationID != "" {
			b = append(b, `,"correlation_id":`...)
			b = appendJSONString(b, m.CorrelationID)
		}
		if m.Size > 0 {
			b = append(b, `,"size":`...)
			b = strconv.AppendInt(b, m.Size, 10)
		}
		b = append(b, '}')
	}
	if e.Note != "" {
		b = append(b, `,"note":`...)
		b = appendJSONString(b, e.Note)
	}
	if e.Why != "" {
		b = append(b, `,"why":`...)
		b = appendJSONString(b, e.Why)
	}
	if e.Took > 0 {
		b = append(b, `,"took_us":`...)
		b = strconv.AppendInt(b, int64(e.Took/time.Microsecond), 10)
	}
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
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// AppendJSONString appends s as a JSON string, escaped as the trace's own
// strings are, for other writers of JSON (such as `msgplay check`).
func AppendJSONString(b []byte, s string) []byte { return appendJSONString(b, s) }
