package trace_test

import (
	"fmt"
	"reflect"
	"slices"
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
	now := time.Duration(5)
	r := trace.NewRecorder(&now, trace.SinkFunc(func(e *trace.Event) { got = append(got, *e) }))
	r.Emit(filled(t))
	m := trace.Msg{ID: "m1", Type: "T", Class: trace.Command, Key: "k1", Num: 1}
	r.EmitMsg(trace.Ack, "w1", "q", &m, 2, time.Millisecond, "done")
	want := trace.Event{Seq: 2, T: 5, Kind: trace.Ack, Actor: "w1", To: "q", Msg: m, Took: time.Millisecond, Note: "done"}
	want.Msg.Attempt = 2
	if len(got) != 2 || !reflect.DeepEqual(got[1], want) {
		t.Errorf("EmitMsg after a full event gave\n%+v\nwant\n%+v", got[len(got)-1], want)
	}
}

// follower records how it was told each event: on the narrow path or as
// an Event.
type follower struct{ got []string }

func (f *follower) Event(e *trace.Event) { f.got = append(f.got, "event "+e.Kind.String()) }
func (f *follower) Numeric()             {}
func (f *follower) Follow(e *trace.MsgEvent) {
	f.got = append(f.got, fmt.Sprintf("follow %s %d %s>%s #%d %s", e.Kind, e.T, e.Actor, e.To, e.Attempt, e.Note))
}

// EmitMsg gives the narrow path to the Followers that want the kind
// before any other sink does, and points at the message, with no text
// made; a Follower after another sink that wants the kind is told the
// Event, which that sink may have changed.
func TestEmitMsgFollowsUntilAnotherSinkWantsTheKind(t *testing.T) {
	now := time.Duration(4)
	first, acks, last := &follower{}, &choosyAcks{}, &follower{}
	r := trace.NewRecorder(&now, first, acks, last)
	m := trace.Msg{Num: 3, Names: &trace.Numbering{ID: "m"}, Attempt: 9}
	r.EmitMsg(trace.Send, "p", "q", &m, 0, 0, "")
	r.EmitMsg(trace.Ack, "w", "q", &m, 2, 0, "done")
	wantFirst := []string{"follow send 4 p>q #0 ", "follow ack 4 w>q #2 done"}
	wantLast := []string{"follow send 4 p>q #0 ", "event ack"}
	if !slices.Equal(first.got, wantFirst) || !slices.Equal(last.got, wantLast) || !slices.Equal(acks.ids, []string{"m3"}) {
		t.Errorf("the first follower told %q, want %q;\nthe last %q, want %q; the other sink saw %q",
			first.got, wantFirst, last.got, wantLast, acks.ids)
	}
}

// choosyAcks wants only acks, as an Event, and reads their text.
type choosyAcks struct{ ids []string }

func (c *choosyAcks) Event(e *trace.Event) { c.ids = append(c.ids, e.Msg.ID) }
func (c *choosyAcks) Wants() trace.Kinds   { return trace.KindsOf(trace.Ack) }

// narrowing is a sink that wants acks until it has seen one.
type narrowing struct{ seen bool }

func (n *narrowing) Event(*trace.Event) { n.seen = true }
func (n *narrowing) Wants() trace.Kinds {
	if n.seen {
		return 0
	}
	return trace.KindsOf(trace.Ack)
}

// Reroute asks the sinks again what they want: once the sink before a
// Follower wants acks no more, the Follower takes them on the narrow path.
func TestRerouteGivesTheNarrowPathBack(t *testing.T) {
	now := time.Duration(1)
	first, f := &narrowing{}, &follower{}
	r := trace.NewRecorder(&now, first, f)
	m := trace.Msg{ID: "m1"}
	r.EmitMsg(trace.Ack, "w", "q", &m, 1, 0, "")
	r.Reroute()
	r.EmitMsg(trace.Ack, "w", "q", &m, 1, 0, "")
	if want := []string{"event ack", "follow ack 1 w>q #1 "}; !slices.Equal(f.got, want) {
		t.Errorf("the follower was told %q, want %q", f.got, want)
	}
}
