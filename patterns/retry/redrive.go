package retry

import (
	"fmt"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/trace"
)

// redrive moves what waits in the dead-letter queue back to the queue at
// --redrive-at, at --redrive-rate, as SQS's StartMessageMoveTask does:
// the messages there when it starts, oldest first, their delivery counts
// reset.
type redrive struct {
	r        *run
	from, to *broker.Queue
	left     int
	done     bool
	moveFn   func()
}

func newRedrive(r *run, from, to *broker.Queue) *redrive {
	rd := &redrive{r: r, from: from, to: to}
	rd.moveFn = rd.move
	w := r.w
	w.Actor(Redriver)
	at := r.cfg.RedriveAt
	w.At(at, nil, rd.start)
	return rd
}

func (rd *redrive) start() {
	rd.left = rd.from.Ready()
	rate := "all at once"
	if r := rd.r.cfg.RedriveRate; r > 0 {
		rate = fmt.Sprintf("at %d/s", r)
	}
	note := fmt.Sprintf("moving %d messages from %s back to %s, %s", rd.left, DLQ, Queue, rate)
	if rd.left == 0 {
		note = DLQ + " is empty: nothing to move"
	}
	rd.r.w.Emit(trace.Event{Kind: trace.Note, Actor: Redriver, To: DLQ, Note: note,
		Why: "A dead-letter queue is only useful if someone replays it once the cause is fixed: a redrive " +
			"moves its messages back to the queue they came from, with fresh delivery counts."})
	rd.move()
}

// move moves one message, and plans the next.
func (rd *redrive) move() {
	for rd.left > 0 {
		rd.left--
		rd.from.MoveTo(rd.to, Redriver)
		if r := rd.r.cfg.RedriveRate; r > 0 && rd.left > 0 {
			rd.r.w.After(time.Second/time.Duration(r), nil, rd.moveFn)
			return
		}
	}
	rd.done = true
}
