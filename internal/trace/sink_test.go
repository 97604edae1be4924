package trace_test

import (
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
