package trace_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// filled returns an event with every field set, whatever fields Event
// has now or gets later.
func filled(t *testing.T) trace.Event {
	var e trace.Event
	v := reflect.ValueOf(&e).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("x")
		case reflect.Int, reflect.Int64:
			f.SetInt(3)
		case reflect.Uint8:
			f.SetUint(uint64(trace.Note))
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Struct:
			f.FieldByName("ID").SetString("x")
		default:
			t.Fatalf("Event.%s: a kind of field filled does not know", v.Type().Field(i).Name)
		}
	}
	return e
}

// TestEmitMsgLeavesNothingOfTheEventBefore holds EmitMsg, which fills the
// recorder's event field by field instead of clearing it, to an event
// with nothing but what it was given: a field added to Event and not to
// EmitMsg would carry over from the event before.
func TestEmitMsgLeavesNothingOfTheEventBefore(t *testing.T) {
	var got []trace.Event
	r := trace.NewRecorder(func() time.Duration { return 5 }, trace.SinkFunc(func(e *trace.Event) { got = append(got, *e) }))
	r.Emit(filled(t))
	m := trace.Msg{ID: "m1", Type: "T", Class: trace.Command, Key: "k1", Num: 1}
	r.EmitMsg(trace.Ack, "w1", "q", &m, 2, time.Millisecond, "done")
	want := trace.Event{Seq: 2, T: 5, Kind: trace.Ack, Actor: "w1", To: "q", Msg: m, Took: time.Millisecond, Note: "done"}
	want.Msg.Attempt = 2
	if len(got) != 2 || !reflect.DeepEqual(got[1], want) {
		t.Errorf("EmitMsg after a full event gave\n%+v\nwant\n%+v", got[len(got)-1], want)
	}
}
