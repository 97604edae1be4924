package broker

import (
	"fmt"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// A queue's count of open consumers is the number of its consumers that
// are active and below their room, before every step of runs where
// consumers crash, restart, crash together, nack, time out and leave: pick
// finds none without asking when it is 0.
func TestOpenCountFollowsEveryConsumer(t *testing.T) {
	for _, prefetch := range []int{0, 1, 3} {
		for _, mode := range []AckMode{ManualAck, AutoAck} {
			w := sim.New(7)
			b := New(w)
			q := b.Queue("orders", QueueOptions{VisibilityTimeout: 30 * ms, MaxDeliveries: 3})
			work := w.Rand("work")
			var cs []*Consumer
			var actors []*sim.Actor
			for i := range 12 {
				a := w.Actor(fmt.Sprintf("c%d", i))
				actors = append(actors, a)
				if i == 11 {
					a.Crash("down before it subscribes")
				}
				cs = append(cs, q.Subscribe(a, ConsumerOptions{Prefetch: prefetch, Ack: mode}, func(d *Delivery) {
					w.After(time.Duration(1+work.IntN(40))*ms, a, func() {
						if work.IntN(10) == 0 {
							d.Nack(true, "failed")
							return
						}
						d.Ack()
					})
				}))
			}
			for i := range 2000 {
				w.At(time.Duration(i/20)*ms, nil, func() {
					q.Send("p", &Message{Msg: trace.Msg{ID: fmt.Sprintf("m%d", i+1), Type: "T", Class: trace.Command}})
				})
			}
			for i := range 30 {
				w.At(time.Duration(3*i+1)*ms, nil, func() { actors[(i*7)%11].CrashFor(5*ms, "") })
			}
			w.At(20*ms, nil, func() { actors[11].Restart("") })
			w.At(40*ms, nil, func() { sim.CrashTogether([]*sim.Actor{actors[1], actors[2], actors[3]}, "together") })
			w.At(65*ms, nil, func() { actors[1].Restart("") })
			w.At(50*ms, nil, func() { cs[10].Remove("scaling in"); cs[4].Remove("") })
			w.At(52*ms, nil, func() { actors[4].CrashFor(5*ms, "after it left") })
			steps, none := 0, 0
			w.Run(func() bool {
				steps++
				open := 0
				for _, c := range q.consumers {
					if c.active && c.held < c.room {
						open++
					}
				}
				if open != q.open {
					t.Fatalf("prefetch %d %s, step %d: %d consumers open, the count says %d",
						prefetch, mode, steps, open, q.open)
				}
				if open == 0 {
					none++
				}
				return false
			})
			if steps < 2000 || (prefetch > 0 && mode == ManualAck && none == 0) {
				t.Fatalf("prefetch %d %s: %d steps, %d with none open: the run did not test the count",
					prefetch, mode, steps, none)
			}
		}
	}
}
