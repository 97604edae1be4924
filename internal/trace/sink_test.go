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
	now := int64(0)
	var seen []int64
	sink := trace.SinkFunc(func(e *trace.Event) { seen = append(seen, e.Seq*100+int64(e.T)) })
	r := trace.NewRecorder(func() time.Duration { return time.Duration(now) }, sink, nil, sink)
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
	r := trace.NewRecorder(func() time.Duration { return 0 }, c)
	for _, k := range []trace.Kind{trace.Send, trace.Ack, trace.Drop, trace.Ack} {
		r.Emit(trace.Event{Kind: k})
	}
	if len(c.got) != 2 || r.Count() != 4 || r.Wants(trace.Send) || !r.Wants(trace.Ack) {
		t.Fatalf("choosy got %v, count %d", c.got, r.Count())
	}
	c = &choosy{}
	r = trace.NewRecorder(func() time.Duration { return 0 }, c,
		trace.SinkFunc(func(e *trace.Event) { all = append(all, e.Seq) }))
	for _, k := range []trace.Kind{trace.Send, trace.Ack, trace.Drop} {
		r.Emit(trace.Event{Kind: k})
	}
	if len(c.got) != 1 || !slices.Equal(all, []int64{1, 2, 3}) {
		t.Errorf("choosy got %v, the other sink seqs %v", c.got, all)
	}
}
