package broker

import (
	"fmt"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// publish puts events e1…en on t, one every gap from time at, each with
// the subject given by subject(i).
func (r *rig) publish(t *Topic, n int, at, gap time.Duration, subject func(i int) string) {
	for i := 1; i <= n; i++ {
		r.w.At(at+time.Duration(i-1)*gap, nil, func() {
			t.Publish("pub", &Message{Msg: trace.Msg{ID: fmt.Sprintf("e%d", i), Type: "E", Class: trace.EventMsg},
				Subject: subject(i)})
		})
	}
}

func anySubject(int) string { return "orders.placed.eu" }

// subscriber attaches a consumer called name to s that handles and acks
// each event after work.
func (r *rig) subscriber(s *Subscription, name string, work time.Duration) *Consumer {
	a := r.w.Actor(name)
	return s.Consume(a, ConsumerOptions{Prefetch: 1}, func(d *Delivery) {
		r.w.After(work, a, func() {
			d.Handle("")
			d.Ack()
		})
	})
}

// handled returns the ids name handled, in order.
func (r *rig) handled(name string) []string {
	var ids []string
	for _, e := range r.evs {
		if e.Kind == trace.Handle && e.Actor == name {
			ids = append(ids, e.Msg.ID)
		}
	}
	return ids
}

func wantIDs(t *testing.T, who string, got []string, want ...string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s handled %v, want %v", who, got, want)
	}
}

func TestPublishFansOutACopyToEverySubscription(t *testing.T) {
	r := newRig(t)
	top := r.b.Topic("orders")
	a := top.Subscribe("a", SubscriptionOptions{Durable: true})
	b := top.Subscribe("b", SubscriptionOptions{Durable: true})
	r.subscriber(a, "a", 10*ms)
	r.subscriber(b, "b", 10*ms)
	r.publish(top, 2, 0, 0, anySubject)
	r.run()
	r.has("0s publish e1 pub>orders", "0s send e1 orders>orders/a", "0s send e1 orders>orders/b",
		"0s publish e2 pub>orders", "0s send e2 orders>orders/a", "0s send e2 orders>orders/b")
	wantIDs(t, "a", r.handled("a"), "e1", "e2")
	wantIDs(t, "b", r.handled("b"), "e1", "e2")
	if a.Queue.Name != "orders/a" || r.b.Topic("orders") != top {
		t.Errorf("queue %q; Topic re-declared", a.Queue.Name)
	}
	if !r.b.Idle() {
		t.Error("broker not idle once every copy was acked")
	}
}

func TestFilterKeepsOnlyMatchingSubjects(t *testing.T) {
	r := newRig(t)
	top := r.b.Topic("orders")
	regions := []string{"eu", "us", "eu", "apac"}
	subject := func(i int) string { return "orders.placed." + regions[i-1] }
	pats := map[string]string{"star": "orders.*.eu", "tail": "orders.>", "hash": "#.apac"}
	for _, name := range []string{"star", "tail", "hash"} {
		f, err := ParseFilter(pats[name])
		if err != nil {
			t.Fatal(err)
		}
		r.subscriber(top.Subscribe(name, SubscriptionOptions{Durable: true, Filter: f}), name, ms)
	}
	r.publish(top, 4, 0, 10*ms, subject)
	r.run()
	wantIDs(t, "star", r.handled("star"), "e1", "e3")
	wantIDs(t, "tail", r.handled("tail"), "e1", "e2", "e3", "e4")
	wantIDs(t, "hash", r.handled("hash"), "e4")
	// A filtered-out event is not missed: no send and no drop.
	r.lacks("0s send e1 orders>orders/hash")
	if n := r.count(trace.Drop); n != 0 {
		t.Errorf("%d drops: a filter skips events, it does not lose them", n)
	}
}

func TestDurableSubscriptionKeepsTheBacklogWhileOffline(t *testing.T) {
	r := newRig(t)
	top := r.b.Topic("orders")
	s := top.Subscribe("email", SubscriptionOptions{Durable: true})
	r.subscriber(s, "email", 5*ms)
	a, _ := r.w.Lookup("email")
	a.CrashAt(15*ms, 30*ms) // offline 15ms..45ms
	r.publish(top, 5, 0, 10*ms, anySubject)
	r.w.At(41*ms, nil, func() {
		if got := s.Queue.Ready(); got != 4 {
			t.Errorf("backlog while offline = %d, want 4 (e2 back from the crash, e3, e4, e5)", got)
		}
	})
	r.run()
	wantIDs(t, "email", r.handled("email"), "e1", "e2", "e3", "e4", "e5")
	// e2 was in hand at the crash: with no visibility timeout it is back at
	// once (the connection closed), first in line when email returns.
	r.has("15ms crash email", "15ms timeout e2 orders/email>email #1", "45ms restart email",
		"45ms deliver e2 orders/email>email #2", "50ms deliver e3 orders/email>email #1")
	if n := r.count(trace.Drop); n != 0 {
		t.Errorf("%d drops: a durable subscription loses nothing", n)
	}
}

func TestDurableRedeliversWhatWasInHandAtTheCrash(t *testing.T) {
	r := newRig(t)
	top := r.b.Topic("orders")
	s := top.Subscribe("email", SubscriptionOptions{Durable: true, Queue: QueueOptions{VisibilityTimeout: 100 * ms}})
	r.subscriber(s, "email", 10*ms)
	a, _ := r.w.Lookup("email")
	a.CrashAt(5*ms, 20*ms) // e1 is in hand, unacked
	r.publish(top, 1, 0, 0, anySubject)
	r.run()
	r.has("0s deliver e1 orders/email>email #1", "5ms crash email", "100ms timeout e1 orders/email>email #1",
		"100ms deliver e1 orders/email>email #2", "110ms handle e1 email>orders/email #2")
}

func TestTransientLosesWhatIsPublishedWhileOffline(t *testing.T) {
	r := newRig(t)
	top := r.b.Topic("orders")
	s := top.Subscribe("email", SubscriptionOptions{})
	r.subscriber(s, "email", 5*ms)
	slow := top.Subscribe("audit", SubscriptionOptions{})
	r.subscriber(slow, "audit", 25*ms) // still holds a backlog when it goes
	a, _ := r.w.Lookup("email")
	a.CrashAt(16*ms, 20*ms) // offline 16ms..36ms, after handling e2
	b, _ := r.w.Lookup("audit")
	b.CrashAt(35*ms, 0) // for good
	r.publish(top, 5, 0, 10*ms, anySubject)
	r.run()
	wantIDs(t, "email", r.handled("email"), "e1", "e2", "e5")
	r.has("20ms drop e3 orders>orders/email", "30ms drop e4 orders>orders/email")
	for _, e := range r.evs {
		if e.Kind == trace.Drop && e.Msg.Attempt == 0 && e.Why == "" {
			t.Errorf("drop of %s at %s has no Why", e.Msg.ID, e.T)
		}
	}
	// audit handled e1 at 25ms and was on e2 when it went: e2 comes back to
	// a queue that no longer exists, and e3, e4 waiting in it go too.
	wantIDs(t, "audit", r.handled("audit"), "e1")
	r.has("35ms crash audit", "35ms drop e2 orders/audit>orders/audit #1",
		"35ms drop e3 orders/audit>orders/audit", "35ms drop e4 orders/audit>orders/audit",
		"40ms drop e5 orders>orders/audit")
	if !r.b.Idle() {
		t.Errorf("broker not idle: %d unsettled", r.b.UnsettledCount())
	}
}

func TestTransientMissesWhatCameBeforeItJoined(t *testing.T) {
	r := newRig(t)
	top := r.b.Topic("orders")
	late := top.Subscribe("late", SubscriptionOptions{})
	durable := top.Subscribe("kept", SubscriptionOptions{Durable: true})
	r.w.At(25*ms, nil, func() {
		r.subscriber(late, "late", ms)
		r.subscriber(durable, "kept", ms)
	})
	r.publish(top, 4, 0, 10*ms, anySubject)
	r.run()
	wantIDs(t, "late", r.handled("late"), "e4")
	wantIDs(t, "kept", r.handled("kept"), "e1", "e2", "e3", "e4")
	for _, e := range r.evs {
		if e.Kind == trace.Drop && e.Msg.ID == "e1" {
			if e.Note != "lost to late: transient, and not joined yet" {
				t.Errorf("drop note %q", e.Note)
			}
			return
		}
	}
	t.Error("no drop for e1")
}

func TestConsumerGroupCompetesWithinASubscription(t *testing.T) {
	r := newRig(t)
	top := r.b.Topic("orders")
	pay := top.Subscribe("payment", SubscriptionOptions{Durable: true})
	solo := top.Subscribe("email", SubscriptionOptions{Durable: true})
	for i := 1; i <= 3; i++ {
		r.subscriber(pay, fmt.Sprintf("payment-%d", i), 10*ms)
	}
	r.subscriber(solo, "email", 10*ms)
	r.publish(top, 6, 0, 0, anySubject)
	r.run()
	// Each event reaches the group once, spread over its members…
	wantIDs(t, "payment-1", r.handled("payment-1"), "e1", "e4")
	wantIDs(t, "payment-2", r.handled("payment-2"), "e2", "e5")
	wantIDs(t, "payment-3", r.handled("payment-3"), "e3", "e6")
	// …while the other subscription still gets every one.
	wantIDs(t, "email", r.handled("email"), "e1", "e2", "e3", "e4", "e5", "e6")
}

func TestTransientGroupStaysWhileOneMemberIsUp(t *testing.T) {
	r := newRig(t)
	top := r.b.Topic("orders")
	s := top.Subscribe("pay", SubscriptionOptions{})
	r.subscriber(s, "pay-1", 5*ms)
	r.subscriber(s, "pay-2", 5*ms)
	a, _ := r.w.Lookup("pay-1")
	a.CrashAt(1*ms, 0)
	r.publish(top, 3, 10*ms, 10*ms, anySubject)
	r.run()
	wantIDs(t, "pay-2", r.handled("pay-2"), "e1", "e2", "e3")
	if n := r.count(trace.Drop); n != 0 || !s.Connected() {
		t.Errorf("%d drops, connected %v: one member up keeps a transient subscription", n, s.Connected())
	}
}

func TestEachSubscriptionHasItsOwnDeadLetterQueue(t *testing.T) {
	r := newRig(t)
	top := r.b.Topic("orders")
	bad := top.Subscribe("email", SubscriptionOptions{Durable: true, Queue: QueueOptions{MaxDeliveries: 2}})
	good := top.Subscribe("shipping", SubscriptionOptions{Durable: true, Queue: QueueOptions{MaxDeliveries: 2}})
	a := r.w.Actor("email")
	bad.Consume(a, ConsumerOptions{Prefetch: 1}, func(d *Delivery) {
		r.w.After(ms, a, func() { d.Nack(true, "smtp down") })
	})
	r.subscriber(good, "shipping", ms)
	r.publish(top, 1, 0, 0, anySubject)
	r.run()
	r.has("1ms nack e1 email>orders/email #1", "2ms nack e1 email>orders/email #2",
		"2ms dead-letter e1 orders/email>orders/email.dlq #2")
	wantIDs(t, "shipping", r.handled("shipping"), "e1")
	if bad.Queue.DeadLetterQueue().Name != "orders/email.dlq" || bad.Queue.DeadLetterQueue().Ready() != 1 {
		t.Error("the dead letter is not waiting in orders/email.dlq")
	}
	if good.Queue.DeadLetterQueue().Ready() != 0 {
		t.Error("shipping's dead-letter queue got email's failure")
	}
}

func TestDuplicateRateRedeliversToOneSubscriptionOnly(t *testing.T) {
	r := newRig(t)
	top := r.b.Topic("orders")
	dup := top.Subscribe("dup", SubscriptionOptions{Durable: true, Queue: QueueOptions{DuplicateRate: 1}})
	r.subscriber(dup, "dup", ms)
	r.subscriber(top.Subscribe("once", SubscriptionOptions{Durable: true}), "once", ms)
	r.publish(top, 1, 0, 0, anySubject)
	r.w.Run(func() bool { return len(r.handled("dup")) >= 3 })
	r.has("1ms ack-lost e1 dup>orders/dup #1", "1ms deliver e1 orders/dup>dup #2")
	wantIDs(t, "once", r.handled("once"), "e1")
}
