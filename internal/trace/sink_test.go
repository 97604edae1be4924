package trace_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

func TestTeeFansOutInOrderAndSkipsNil(t *testing.T) {
	var got []string
	mark := func(name string) trace.Sink {
		return trace.SinkFunc(func(e *trace.Event) { got = append(got, name+":"+e.Kind.String()) })
	}
	var none trace.Sink
	tee := trace.Tee(mark("a"), none, trace.Tee(mark("b"), nil, mark("c")), mark("d"))
	tee.Event(&trace.Event{Kind: trace.Ack})
	tee.Event(&trace.Event{Kind: trace.Drop})
	if s := strings.Join(got, " "); s != "a:ack b:ack c:ack d:ack a:drop b:drop c:drop d:drop" {
		t.Errorf("fanned out as %s", s)
	}
	one := mark("x")
	if trace.Tee(nil, one) == nil {
		t.Error("a tee of one sink is nil")
	}
	trace.Tee().Event(&trace.Event{}) // a tee of nothing takes events and drops them
	trace.Tee(nil, nil).Event(&trace.Event{})
}

func TestRecorderStampsAndFansOut(t *testing.T) {
	var now time.Duration
	var seen []int64
	sink := trace.SinkFunc(func(e *trace.Event) { seen = append(seen, e.Seq*100+int64(e.T)) })
	r := trace.NewRecorder(&now, sink, nil, sink)
	r.Emit(trace.Event{})
	now = 7
	r.Emit(trace.Event{})
	if len(seen) != 4 || seen[0] != 100 || seen[1] != 100 || seen[2] != 207 || r.Count() != 2 {
		t.Errorf("seen %v, count %d", seen, r.Count())
	}
}

// choosy is a sink that wants only acks.
type choosy struct{ got []trace.Kind }

func (c *choosy) Event(e *trace.Event) { c.got = append(c.got, e.Kind) }
func (c *choosy) Wants() trace.Kinds   { return trace.KindsOf(trace.Ack) }

// A choosy sink sees only the kinds it wants, the others every kind, and
// the recorder still numbers the events nobody wants.
func TestChoosySinksSeeOnlyTheirKinds(t *testing.T) {
	var all []int64
	c := &choosy{}
	r := trace.NewRecorder(new(time.Duration), c)
	for _, k := range []trace.Kind{trace.Send, trace.Ack, trace.Drop, trace.Ack} {
		r.Emit(trace.Event{Kind: k})
	}
	if len(c.got) != 2 || r.Count() != 4 || r.Wants(trace.Send) || !r.Wants(trace.Ack) {
		t.Fatalf("choosy got %v, count %d", c.got, r.Count())
	}
	c = &choosy{}
	r = trace.NewRecorder(new(time.Duration), c,
		trace.SinkFunc(func(e *trace.Event) { all = append(all, e.Seq) }))
	for _, k := range []trace.Kind{trace.Send, trace.Ack, trace.Drop} {
		r.Emit(trace.Event{Kind: k})
	}
	if len(c.got) != 1 || !slices.Equal(all, []int64{1, 2, 3}) {
		t.Errorf("choosy got %v, the other sink seqs %v", c.got, all)
	}
}

// numeric is a sink that reads numbered messages by number.
type numeric struct{ ids []string }

func (n *numeric) Event(e *trace.Event) { n.ids = append(n.ids, e.Msg.ID) }
func (n *numeric) Numeric()             {}

// The recorder makes a numbered message's text only when a sink that is
// not Numeric wants the event, and makes the text Numbering says.
func TestRecorderMakesTextOnlyForWhoReadsIt(t *testing.T) {
	names := &trace.Numbering{ID: "m", Key: "order-", KeyFrom: 1000}
	msg := trace.Msg{Num: 7, Names: names}
	num := &numeric{}
	trace.NewRecorder(new(time.Duration), num).Emit(trace.Event{Kind: trace.Send, Msg: msg})
	var text []string
	r := trace.NewRecorder(new(time.Duration), num, &choosy{},
		trace.SinkFunc(func(e *trace.Event) { text = append(text, e.Msg.ID+" "+e.Msg.Key) }))
	r.Emit(trace.Event{Kind: trace.Send, Msg: msg})
	msg.Num = 7 + 1024 // the same slot of the recorder's cache
	r.Emit(trace.Event{Kind: trace.Ack, Msg: msg})
	if !slices.Equal(num.ids, []string{"", "m7", "m1031"}) || !slices.Equal(text, []string{"m7 order-1007", "m1031 order-2031"}) {
		t.Errorf("numeric sink saw ids %q, the other %q", num.ids, text)
	}
	if id, key := (&trace.Msg{Num: 12, Names: &trace.Numbering{ID: "r"}}).Text(); id != "r12" || key != "" {
		t.Errorf("Text() = %q, %q", id, key)
	}
}

// Focus and Cap pass on that the renderer after them reads numbered
// messages by number, so the recorder makes no text for them; a Focus
// following a message by its id needs the text, and gets it.
func TestFiltersPassOnThatTheirRendererIsNumeric(t *testing.T) {
	msg := trace.Msg{Num: 7, Names: &trace.Numbering{ID: "m", Key: "order-", KeyFrom: 1000}}
	for _, c := range []struct {
		name string
		mk   func(next trace.Sink) trace.Sink
		want string
	}{
		{"focus", func(n trace.Sink) trace.Sink { return trace.NewFocus(n, nil, "") }, ""},
		{"focus on actors", func(n trace.Sink) trace.Sink { return trace.NewFocus(n, []string{"orders"}, "") }, ""},
		{"cap", func(n trace.Sink) trace.Sink { return trace.NewCap(n, 10) }, ""},
		{"focus on a message", func(n trace.Sink) trace.Sink { return trace.NewFocus(n, nil, "m7") }, "m7"},
		{"focus then cap", func(n trace.Sink) trace.Sink { return trace.NewFocus(trace.NewCap(n, 10), nil, "") }, ""},
		{"not numeric", func(n trace.Sink) trace.Sink {
			return trace.NewFocus(trace.SinkFunc(func(e *trace.Event) { n.Event(e) }), nil, "")
		}, "m7"},
	} {
		num := &numeric{}
		trace.NewRecorder(new(time.Duration), c.mk(num)).
			Emit(trace.Event{Kind: trace.Send, Actor: "producer", To: "orders", Msg: msg})
		if !slices.Equal(num.ids, []string{c.want}) {
			t.Errorf("%s: the renderer saw ids %q, want %q", c.name, num.ids, c.want)
		}
	}
}
