package broker

import (
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

func TestRoundRobinWithPrefetchOne(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 1}, 10*ms)
	r.worker(q, "w2", ConsumerOptions{Prefetch: 1}, 10*ms)
	r.send(q, 4)
	r.run()
	r.has("0s deliver m1 q>w1 #1", "0s deliver m2 q>w2 #1",
		"10ms ack m1 w1>q #1", "10ms deliver m3 q>w1 #1",
		"10ms ack m2 w2>q #1", "10ms deliver m4 q>w2 #1",
		"20ms ack m3 w1>q #1", "20ms ack m4 w2>q #1")
	if !r.b.Idle() {
		t.Error("broker not idle after every ack")
	}
}

func TestPrefetchZeroPushesEverythingAtOnce(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 0}, 10*ms)
	r.worker(q, "w2", ConsumerOptions{Prefetch: 0}, 10*ms)
	r.send(q, 5)
	r.run()
	// All five go out at time 0, alternating, and each worker works through
	// its own buffer one at a time.
	r.has("0s deliver m1 q>w1 #1", "0s deliver m2 q>w2 #1", "0s deliver m3 q>w1 #1",
		"0s deliver m4 q>w2 #1", "0s deliver m5 q>w1 #1",
		"10ms ack m1 w1>q #1", "20ms ack m3 w1>q #1", "30ms ack m5 w1>q #1")
}

func TestPrefetchTwoHoldsTwo(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 2}, 10*ms)
	r.send(q, 3)
	r.run()
	r.has("0s deliver m1 q>w1 #1", "0s deliver m2 q>w1 #1", "10ms ack m1 w1>q #1", "10ms deliver m3 q>w1 #1")
	for _, l := range r.lines {
		if l == "0s deliver m3 q>w1 #1" {
			t.Fatal("a third message went out while two were unacked")
		}
	}
}

func TestNoConsumerKeepsMessagesWaiting(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{})
	r.send(q, 2)
	r.w.Run(nil)
	if q.Ready() != 2 || r.b.UnsettledCount() != 2 || r.b.Idle() {
		t.Errorf("ready %d, unsettled %d: want both waiting", q.Ready(), r.b.UnsettledCount())
	}
}

func TestNackRequeuesThenDeadLettersPastMaxDeliveries(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("orders", QueueOptions{MaxDeliveries: 3})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 1}, 10*ms, "m1")
	r.send(q, 1)
	r.run()
	r.has("10ms nack m1 w1>orders #1", "10ms deliver m1 orders>w1 #2",
		"20ms nack m1 w1>orders #2", "30ms nack m1 w1>orders #3",
		"30ms dead-letter m1 orders>orders.dlq #3")
	r.lacks("30ms deliver m1 orders>w1 #4")
	if q.DeadLetterQueue().Ready() != 1 || !r.b.Idle() {
		t.Error("the dead-lettered message is not waiting in orders.dlq, or the broker is not idle")
	}
	for _, e := range r.evs {
		if e.Kind == trace.DeadLetter && (e.Note != "MaxDeliveryCountExceeded: 3 deliveries" || e.Why == "") {
			t.Errorf("dead-letter note %q, why %q", e.Note, e.Why)
		}
	}
}

func TestNackWithoutRequeueDeadLettersAtOnce(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{MaxDeliveries: 5})
	a := r.w.Actor("w1")
	q.Subscribe(a, ConsumerOptions{Prefetch: 1}, func(d *Delivery) { d.Nack(false, "malformed") })
	r.send(q, 1)
	r.run()
	r.has("0s nack m1 w1>q #1", "0s dead-letter m1 q>q.dlq #1")
}

func TestVisibilityTimeoutWhileStillWorkingGivesDuplicateAndRefusedAck(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{VisibilityTimeout: 30 * ms})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 1}, 50*ms)
	r.worker(q, "w2", ConsumerOptions{Prefetch: 1}, 10*ms)
	r.send(q, 1)
	r.run()
	r.has("0s deliver m1 q>w1 #1", "30ms timeout m1 q>w1 #1", "30ms deliver m1 q>w2 #2",
		"40ms handle m1 w2>q #2", "40ms ack m1 w2>q #2",
		"50ms handle m1 w1>q #1", "50ms ack-lost m1 w1>q #1")
	if r.count(trace.Handle) != 2 || r.count(trace.Ack) != 1 {
		t.Errorf("handled %d times and acked %d: want the effect twice and one ack", r.count(trace.Handle), r.count(trace.Ack))
	}
}

func TestCrashedConsumersMessagesReturnAfterTheTimeoutNeverSooner(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{VisibilityTimeout: 100 * ms})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 2}, 50*ms)
	r.worker(q, "w2", ConsumerOptions{Prefetch: 2}, 10*ms)
	r.w.Actor("w1").CrashAt(5*ms, 0)
	r.send(q, 4) // w1 gets m1, m3; w2 gets m2, m4
	r.run()
	r.has("0s deliver m1 q>w1 #1", "0s deliver m3 q>w1 #1", "5ms crash w1",
		"100ms timeout m1 q>w1 #1", "100ms deliver m1 q>w2 #2",
		"100ms timeout m3 q>w1 #1", "100ms deliver m3 q>w2 #2")
	for _, e := range r.evs {
		if e.Kind == trace.Deliver && e.Msg.Attempt == 2 && e.T < 100*ms {
			t.Fatalf("m%s came back at %v, before the visibility timeout", e.Msg.ID, e.T)
		}
		if e.Kind == trace.Crash && e.Note != "held m1 (working), m3 unacked: visible again after the 100ms visibility timeout" {
			t.Errorf("crash note %q", e.Note)
		}
	}
	r.lacks("50ms handle m1 w1") // the crashed worker's work never completes
}

func TestNoVisibilityTimeoutRequeuesAtOnceOnCrash(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 1}, 50*ms)
	r.worker(q, "w2", ConsumerOptions{Prefetch: 1}, 10*ms)
	r.w.Actor("w1").CrashAt(5*ms, 0)
	r.send(q, 2)
	r.run()
	r.has("5ms crash w1", "5ms timeout m1 q>w1 #1", "10ms deliver m1 q>w2 #2", "20ms ack m1 w2>q #2")
}

func TestAutoAckLosesWhatACrashedConsumerHeld(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{VisibilityTimeout: 100 * ms})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 1, Ack: AutoAck}, 50*ms)
	r.w.Actor("w1").CrashAt(70*ms, 0)
	r.send(q, 3)
	r.run()
	// Prefetch does not hold back an auto-ack consumer: all three arrive at 0.
	r.has("0s deliver m1 q>w1 #1", "0s ack m1 w1>q #1", "0s deliver m3 q>w1 #1",
		"50ms handle m1 w1>q #1", "70ms crash w1", "70ms drop m2 w1>q #1", "70ms drop m3 w1>q #1")
	r.lacks("100ms timeout")
	if !r.b.Idle() {
		t.Error("auto-acked messages are still unsettled after the crash")
	}
}

func TestRestartedConsumerTakesWorkAgain(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{VisibilityTimeout: 30 * ms})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 1}, 10*ms)
	r.w.Actor("w1").CrashAt(5*ms, 100*ms)
	r.send(q, 2)
	r.run()
	r.has("5ms crash w1", "30ms timeout m1 q>w1 #1", "105ms restart w1",
		"105ms deliver m1 q>w1 #2", "115ms ack m1 w1>q #2", "115ms deliver m2 q>w1 #1")
}

func TestLostAcksRedeliverAndSettleEventually(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{DuplicateRate: 0.5})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 1}, ms)
	r.send(q, 50)
	r.run()
	lost, acks, handles := r.count(trace.AckLost), r.count(trace.Ack), r.count(trace.Handle)
	// Each delivery's ack is lost with chance 1/2, so a message loses one
	// ack on average before one gets through: about 50 in all.
	if lost < 25 || lost > 80 {
		t.Errorf("%d acks lost for 50 messages at rate 0.5, want about 50", lost)
	}
	if acks != 50 || handles != 50+lost || !r.b.Idle() {
		t.Errorf("acks %d, handles %d, lost %d: want every message settled once and handled once more per lost ack",
			acks, handles, lost)
	}
}

func TestDuplicateRateZeroNeverLosesAcks(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 1}, ms)
	r.send(q, 200)
	r.run()
	if r.count(trace.AckLost) != 0 || r.count(trace.Handle) != 200 {
		t.Errorf("lost %d acks and handled %d times with no duplicate rate", r.count(trace.AckLost), r.count(trace.Handle))
	}
}

func TestRingGrowsAndWraps(t *testing.T) {
	var rg ring[int]
	next := 0
	for round := 0; round < 50; round++ {
		for i := 0; i < 7; i++ {
			rg.pushBack(next)
			next++
		}
		for i := 0; i < 5; i++ {
			rg.popFront()
		}
	}
	rg.pushFront(-1)
	if rg.at(0) != -1 || rg.len() != 101 {
		t.Fatalf("front %d, len %d", rg.at(0), rg.len())
	}
	prev := rg.popFront()
	for rg.len() > 0 {
		v := rg.popFront()
		if v != prev+1 && prev != -1 {
			t.Fatalf("%d after %d: order lost", v, prev)
		}
		prev = v
	}
}

func TestALostAckComesBackAfterTheVisibilityTimeout(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{VisibilityTimeout: 100 * ms, DuplicateRate: 0.999})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 1}, 10*ms)
	r.send(q, 1)
	r.w.SetUntil(250 * ms)
	r.run()
	// The ack at 10ms is lost: the broker still counts the delivery as
	// held, so nothing comes back before the timeout at 100ms.
	r.has("10ms ack-lost m1 w1>q #1", "100ms timeout m1 q>w1 #1", "100ms deliver m1 q>w1 #2",
		"110ms ack-lost m1 w1>q #2", "200ms timeout m1 q>w1 #2")
	r.lacks("10ms deliver m1 q>w1 #2")
}

func TestSettlingCountsAsProgress(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{})
	r.worker(q, "w1", ConsumerOptions{Prefetch: 1}, 30*time.Second)
	r.send(q, 4) // two minutes of work, all sent at 0
	r.run()
	if r.w.Stopped() != "" || r.count(trace.Ack) != 4 {
		t.Errorf("a backlog still draining was stopped (%q) after %d acks", r.w.Stopped(), r.count(trace.Ack))
	}
}

func TestReplyGoesWhereTheRequestAsksWithItsCorrelationID(t *testing.T) {
	r := newRig(t)
	replies := r.b.Queue("checkout.replies", QueueOptions{})
	req := &Message{Msg: trace.Msg{ID: "r3.2", Type: "Q", Class: trace.Command, ReplyTo: replies.Name, CorrelationID: "r3"}}
	rep := &Message{Msg: trace.Msg{ID: "a3", Type: "A", Class: trace.Reply}}
	if !r.b.Reply("pricing", req, rep) {
		t.Fatal("Reply refused a request naming a declared queue")
	}
	if rep.CorrelationID != "r3" || replies.Ready() != 1 {
		t.Errorf("reply carries %q and the queue holds %d; want r3 and 1", rep.CorrelationID, replies.Ready())
	}
	bare := &Message{Msg: trace.Msg{ID: "c7", ReplyTo: replies.Name}}
	r.b.Reply("pricing", bare, &Message{Msg: trace.Msg{ID: "a7"}})
	if last := r.evs[len(r.evs)-1]; last.Msg.CorrelationID != "c7" || last.To != replies.Name {
		t.Errorf("a request without a correlation id is answered with %+v; want its id c7", last.Msg)
	}
	if r.b.Reply("pricing", &Message{Msg: trace.Msg{ID: "x", ReplyTo: "nowhere"}}, &Message{}) {
		t.Error("Reply sent to a queue that does not exist")
	}
}

func TestSizeLimitRefusesLargerMessages(t *testing.T) {
	var drops []trace.Event
	w := sim.New(1, trace.SinkFunc(func(e *trace.Event) {
		if e.Kind == trace.Drop {
			drops = append(drops, *e)
		}
	}))
	b := New(w)
	b.SetMaxMessageSize(256 * trace.KB)
	q := b.Queue("orders", QueueOptions{})
	ok := &Message{Msg: trace.Msg{ID: "o1", Type: "PlaceOrder", Size: 256 * trace.KB}}
	big := &Message{Msg: trace.Msg{ID: "o2", Type: "PlaceOrder", Size: 256*trace.KB + 1}}
	if err := q.Send("shop", ok); err != nil {
		t.Fatalf("a message at the limit was refused: %v", err)
	}
	if err := q.Send("shop", big); err != ErrTooLarge {
		t.Fatalf("a message over the limit: got %v, want ErrTooLarge", err)
	}
	if q.Ready() != 1 || len(drops) != 1 || drops[0].Msg.ID != "o2" || drops[0].Actor != "shop" || drops[0].To != "orders" {
		t.Errorf("ready %d, drops %+v", q.Ready(), drops)
	}
}

// A message sent while a delivery is being handed out (here by the handler
// itself, which runs at once) waits until that delivery is told: it is
// handed out next, not in the middle, even when nothing else waits.
func TestSendDuringADeliveryIsHandedOutAfterIt(t *testing.T) {
	r := newRig(t)
	q := r.b.Queue("q", QueueOptions{})
	var order []string
	for _, name := range []string{"w1", "w2"} {
		q.Subscribe(r.w.Actor(name), ConsumerOptions{Ack: AutoAck}, func(d *Delivery) {
			order = append(order, name+" got "+d.Msg.ID)
			if d.Msg.ID == "m1" {
				q.Send(name, &Message{Msg: trace.Msg{ID: "m2", Type: "T", Class: trace.Command}})
				order = append(order, name+" sent m2")
			}
		})
	}
	r.send(q, 1)
	r.run()
	if got := strings.Join(order, ", "); got != "w1 got m1, w1 sent m2, w2 got m2" {
		t.Errorf("order: %s", got)
	}
}
