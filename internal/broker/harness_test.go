package broker

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

const ms = time.Millisecond

// rig is a small world with a broker, recording every event as a line such
// as "10ms deliver m1 orders>w1 #1".
type rig struct {
	t     *testing.T
	w     *sim.World
	b     *Broker
	lines []string
	evs   []trace.Event
	sent  bool // the messages are on their way
}

func newRig(t *testing.T) *rig {
	r := &rig{t: t}
	r.w = sim.New(1, trace.SinkFunc(func(e *trace.Event) {
		r.evs = append(r.evs, *e)
		s := fmt.Sprintf("%s %s", trace.FormatDuration(e.T), e.Kind)
		if e.HasMsg() {
			s += " " + e.Msg.ID
		}
		s += " " + e.Actor
		if e.To != "" {
			s += ">" + e.To
		}
		if e.Msg.Attempt > 0 && e.Kind != trace.Send {
			s += fmt.Sprintf(" #%d", e.Msg.Attempt)
		}
		r.lines = append(r.lines, s)
	}))
	r.b = New(r.w)
	return r
}

// send puts messages m1…mn on q at time 0.
func (r *rig) send(q *Queue, n int) {
	r.w.At(0, nil, func() {
		r.sent = true
		for i := 1; i <= n; i++ {
			q.Send("producer", &Message{Msg: trace.Msg{ID: fmt.Sprintf("m%d", i), Type: "T", Class: trace.Command}})
		}
	})
}

// worker subscribes a consumer that works for work, then handles and acks
// (or nacks, for the ids in fail).
func (r *rig) worker(q *Queue, name string, opts ConsumerOptions, work time.Duration, fail ...string) *Consumer {
	a := r.w.Actor(name)
	return q.Subscribe(a, opts, func(d *Delivery) {
		r.w.After(work, a, func() {
			for _, id := range fail {
				if d.Msg.ID == id {
					d.Nack(true, "failed")
					return
				}
			}
			d.Handle("")
			d.Ack()
		})
	})
}

func (r *rig) run() { r.w.Run(func() bool { return r.sent && r.b.Idle() }) }

// has fails the test unless every want line appears, in this order.
func (r *rig) has(want ...string) {
	r.t.Helper()
	i := 0
	for _, l := range r.lines {
		if i < len(want) && l == want[i] {
			i++
		}
	}
	if i < len(want) {
		r.t.Fatalf("missing %q (in order) in:\n%s", want[i], strings.Join(r.lines, "\n"))
	}
}

// lacks fails the test if any line starts with prefix.
func (r *rig) lacks(prefix string) {
	r.t.Helper()
	for _, l := range r.lines {
		if strings.HasPrefix(l, prefix) {
			r.t.Fatalf("unexpected %q in:\n%s", l, strings.Join(r.lines, "\n"))
		}
	}
}

func (r *rig) count(kind trace.Kind) int {
	n := 0
	for _, e := range r.evs {
		if e.Kind == kind {
			n++
		}
	}
	return n
}
