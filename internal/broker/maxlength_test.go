package broker

import (
	"errors"
	"strings"
	"testing"

	"github.com/msgplay/msgplay/internal/trace"
)

// A full queue refuses what is sent to it: the send returns ErrQueueFull
// and a drop event says why; what is delivered and not yet acked does not
// count against the limit.
func TestMaxLengthRefusesWhatComesWhileFull(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{MaxLength: 2})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 1}, 10*ms)
	var errs []error
	r.w.At(0, nil, func() {
		r.sent = true
		for i := 1; i <= 5; i++ {
			errs = append(errs, q.Send("producer", &Message{Msg: trace.Msg{ID: "m" + string(rune('0'+i)), Class: trace.Command}}))
		}
	})
	r.run()
	// m1 goes to w1 at once, m2 and m3 wait, m4 and m5 find the queue full.
	r.has("0s deliver m1 q>w1 #1", "0s drop m4 q>q", "0s drop m5 q>q",
		"10ms ack m1 w1>q #1", "20ms ack m2 w1>q #1", "30ms ack m3 w1>q #1")
	for i, err := range errs {
		if full := errors.Is(err, ErrQueueFull); full != (i >= 3) {
			t.Errorf("send of m%d returned %v", i+1, err)
		}
	}
	for _, e := range r.evs {
		if e.Kind == trace.Drop && !strings.Contains(e.Note, "queue full") {
			t.Errorf("a drop without its reason: %q", e.Note)
		}
	}
	if !r.b.Idle() {
		t.Error("the refused messages are still counted unsettled")
	}
}
