//go:build live

package live

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns/pubsub"
)

// runPubsubBoth runs cfg simulated, then live on an embedded server, and
// returns both reports and both traces. A live run is bounded by --until.
func runPubsubBoth(t *testing.T, cfg pubsub.Config) (simulated, live *trace.Report, simEvents, liveEvents []trace.Event) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := cfg.LiveReady(); err != nil {
		t.Fatal(err)
	}
	return simAndLive(t, cfg.Run, Options{})
}

// twoSubscribers is inventory and email, email away from 60ms to 180ms
// while orders come every 40ms: e3, e4 and e5 are published while it is
// away, 20ms from either end of the window, a margin the wall clock keeps.
func twoSubscribers() pubsub.Config {
	cfg := pubsub.Default()
	cfg.Subscribers = []string{"inventory", "email"}
	cfg.Arrival = sim.Const(40 * time.Millisecond)
	cfg.Offline = []pubsub.Offline{{Name: "email", Window: sim.Window{From: 60 * time.Millisecond, To: 180 * time.Millisecond}}}
	return cfg
}

// handledBy returns, for each actor, the ids it handled, from events.
func handledBy(events []trace.Event) map[string][]string {
	h := map[string][]string{}
	for _, e := range events {
		if e.Kind == trace.Handle {
			h[e.Actor] = append(h[e.Actor], e.Msg.IDText())
		}
	}
	return h
}

func TestADurableSubscriberOfflineMissesNothingSimulatedAndLive(t *testing.T) {
	s, l, _, events := runPubsubBoth(t, twoSubscribers())
	sameVerdicts(t, s, l, map[string]bool{"every-event-delivered": true, "no-loss": true})
	// email was away from 60ms to 180ms: the events published meanwhile
	// waited on its durable consumer and came once it was back.
	if got := handledBy(events)["email"]; len(got) != 6 {
		t.Errorf("live: email handled %v, want all 6 events", got)
	}
	for _, e := range events {
		if e.Kind == trace.Drop {
			t.Errorf("live: a durable subscription dropped %s: %s", e.Msg.IDText(), e.Note)
		}
	}
}

func TestATransientSubscriberOfflineMissesEventsSimulatedAndLive(t *testing.T) {
	cfg := twoSubscribers()
	cfg.Transient = []string{"email"}
	s, l, simEvents, events := runPubsubBoth(t, cfg)
	sameVerdicts(t, s, l, map[string]bool{"transient-missed": false, "every-event-delivered": true})
	// The events missed uncopied are those published while email was
	// away: e3, e4 and e5 simulated; live, the ones its own trace shows
	// published between email's crash and its restart (the wall clock
	// drifts, so which ones those are can differ).
	missed := func(events []trace.Event) (away []string) {
		for _, e := range events {
			if e.Kind == trace.Drop && e.Actor == pubsub.Topic {
				away = append(away, e.Msg.IDText())
			}
		}
		return away
	}
	if sm := missed(simEvents); !slices.Equal(sm, []string{"e3", "e4", "e5"}) {
		t.Errorf("simulated: missed %v uncopied, want e3, e4 and e5", sm)
	}
	var away []string
	down := false
	for _, e := range events {
		switch {
		case e.Kind == trace.Crash && e.Actor == "email":
			down = true
		case e.Kind == trace.Restart && e.Actor == "email":
			down = false
		case e.Kind == trace.Publish && down:
			away = append(away, e.Msg.IDText())
		}
	}
	if lm := missed(events); len(lm) == 0 || !slices.Equal(lm, away) {
		t.Errorf("live: missed %v uncopied, want those published while email was away, %v, and not none", lm, away)
	}
}

func TestAFilterReceivesOnlyItsSubjectsSimulatedAndLive(t *testing.T) {
	cfg := pubsub.Default()
	cfg.Subscribers = []string{"inventory", "shipping"}
	f, err := broker.ParseFilter("orders.*.eu")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Filters = []pubsub.Filter{{Name: "shipping", Filter: f}}
	s, l, simEvents, events := runPubsubBoth(t, cfg)
	sameVerdicts(t, s, l, map[string]bool{"every-event-delivered": true, "no-loss": true})
	want := []string{"e1", "e3", "e6"} // orders.placed.eu: the regions cycle eu, us, eu, apac, us, eu
	for name, evs := range map[string][]trace.Event{"simulated": simEvents, "live": events} {
		got := handledBy(evs)["shipping"]
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: shipping handled %v, want only the EU orders %v", name, got, want)
		}
		if n := len(handledBy(evs)["inventory"]); n != 6 {
			t.Errorf("%s: inventory, unfiltered, handled %d events, want 6", name, n)
		}
	}
}

func TestAGroupSharesTheWorkSimulatedAndLive(t *testing.T) {
	cfg := pubsub.Default()
	cfg.Subscribers = []string{"payment"}
	cfg.Events, cfg.Arrival = 12, sim.Const(5*time.Millisecond)
	cfg.Instances = map[string]int{"payment": 3}
	s, l, _, events := runPubsubBoth(t, cfg)
	sameVerdicts(t, s, l, map[string]bool{"every-event-delivered": true, "no-duplicate-effects": true})
	// The three instances compete on one consumer: each event handled
	// once, by one of them, and more than one of them working.
	seen, workers := map[string]bool{}, 0
	for actor, ids := range handledBy(events) {
		if !strings.HasPrefix(actor, "payment-") {
			t.Errorf("live: %s handled %v, want only payment-1 … payment-3", actor, ids)
		}
		workers++
		for _, id := range ids {
			if seen[id] {
				t.Errorf("live: %s handled twice in the group", id)
			}
			seen[id] = true
		}
	}
	if len(seen) != 12 || workers < 2 {
		t.Errorf("live: %d events handled by %d instances, want 12 by at least 2", len(seen), workers)
	}
}

func TestAFailingSubscriberDeadLettersAfterExactlyThreeDeliveriesSimulatedAndLive(t *testing.T) {
	cfg := pubsub.Default()
	cfg.Events, cfg.Subscribers, cfg.Fail = 3, []string{"inventory", "payment"}, []string{"payment"}
	s, l, _, events := runPubsubBoth(t, cfg)
	sameVerdicts(t, s, l, map[string]bool{"every-event-delivered": false, "no-loss": true})
	deliveries, dead := map[string]int{}, map[string]int{}
	for _, e := range events {
		switch {
		case e.Kind == trace.Deliver && e.Actor == "orders/payment":
			deliveries[e.Msg.IDText()]++
		case e.Kind == trace.DeadLetter && e.Actor == "orders/payment":
			dead[e.Msg.IDText()]++
		case e.Kind == trace.DeadLetter:
			t.Errorf("live: %s dead-lettered %s, want only payment's copies", e.Actor, e.Msg.IDText())
		}
	}
	for _, id := range []string{"e1", "e2", "e3"} {
		if deliveries[id] != pubsub.MaxDeliveries || dead[id] != 1 {
			t.Errorf("live: payment's %s delivered %d times and dead-lettered %d times, want %d and 1",
				id, deliveries[id], dead[id], pubsub.MaxDeliveries)
		}
	}
}
