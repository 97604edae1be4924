//go:build live

package live

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns/outbox"
)

// runOutboxBoth runs cfg simulated, then live on an embedded server with
// SQLite databases, and returns both reports and both traces. A live run
// is bounded by --until.
func runOutboxBoth(t *testing.T, cfg outbox.Config, o Options) (simulated, live *trace.Report, simEvents, liveEvents []trace.Event) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := cfg.LiveReady(); err != nil {
		t.Fatal(err)
	}
	return simAndLive(t, cfg.Run, o)
}

// ids returns the sorted ids of the events that keep says are about one.
func ids(events []trace.Event, keep func(e *trace.Event) bool) []string {
	var out []string
	for i := range events {
		if e := &events[i]; keep(e) && !slices.Contains(out, e.Msg.ID) {
			out = append(out, e.Msg.ID)
		}
	}
	slices.Sort(out)
	return out
}

// publishedTwice returns the ids the trace shows published more than once.
func publishedTwice(events []trace.Event) []string {
	n := map[string]int{}
	return ids(events, func(e *trace.Event) bool {
		if e.Kind == trace.Publish {
			n[e.Msg.ID]++
		}
		return e.Kind == trace.Publish && n[e.Msg.ID] == 2
	})
}

// byService returns the ids the order service said kind about.
func byService(kind trace.Kind) func(e *trace.Event) bool {
	return func(e *trace.Event) bool { return e.Kind == kind && e.Actor == outbox.OrderService }
}

// The crash draws come from the fault stream, one per event, so the same
// writes crash simulated and live, between the same two writes.
func TestADualWriteCrashLeavesTheSameZombiesSimulatedAndLive(t *testing.T) {
	cfg := outbox.Default()
	cfg.Variant, cfg.Orders, cfg.CrashRate = outbox.DualWrite, 3, 0.5
	s, l, se, le := runOutboxBoth(t, cfg, Options{})
	sameVerdicts(t, s, l, map[string]bool{"no-zombie": false, "no-ghost": true})
	zombies := func(events []trace.Event) []string {
		return ids(events, func(e *trace.Event) bool { return e.Kind == trace.Drop && e.Actor == outbox.OrderService })
	}
	if zs, zl := zombies(se), zombies(le); len(zs) == 0 || !slices.Equal(zs, zl) {
		t.Errorf("zombies: simulated %v, live %v, want the same, at least one", zs, zl)
	}
	// Live, the zombie's commit is a real SQLite commit of its order row.
	for _, e := range le {
		if e.Kind == trace.Commit && e.Actor == outbox.OrderService && e.Msg.ID == zombies(le)[0] {
			if len(e.Writes) != 1 || !strings.HasPrefix(e.Writes[0].Key, "orders/") {
				t.Errorf("live commit of %s wrote %v, want its order row", e.Msg.ID, e.Writes)
			}
		}
	}
}

func TestAPublishFirstCrashLeavesTheSameGhostsSimulatedAndLive(t *testing.T) {
	cfg := outbox.Default()
	cfg.Variant, cfg.Orders, cfg.CrashRate = outbox.PublishFirst, 3, 0.5
	s, l, se, le := runOutboxBoth(t, cfg, Options{})
	sameVerdicts(t, s, l, map[string]bool{"no-zombie": true, "no-ghost": false})
	ghosts := func(events []trace.Event) []string { return ids(events, byService(trace.Note)) }
	if gs, gl := ghosts(se), ghosts(le); len(gs) == 0 || !slices.Equal(gs, gl) {
		t.Errorf("ghosts: simulated %v, live %v, want the same, at least one", gs, gl)
	}
	// The crash rolled back the open SQLite transaction: a rollback event,
	// and no commit, for every ghost.
	rolled := ids(le, func(e *trace.Event) bool { return e.Kind == trace.Rollback && e.Actor == outbox.OrderService })
	for _, id := range ghosts(le) {
		if !slices.Contains(rolled, id) || slices.Contains(ids(le, byService(trace.Commit)), id) {
			t.Errorf("live ghost %s: rolled back %v, want its transaction rolled back, never committed", id, rolled)
		}
	}
}

// relayCrash is three orders whose relay crashes between publishing a
// batch and marking it sent: the first batch's draw crashes it (seed 1).
func relayCrash(inbox bool) outbox.Config {
	cfg := outbox.Default()
	cfg.Orders, cfg.RelayCrashRate, cfg.Inbox = 3, 0.5, inbox
	return cfg
}

func TestARelayCrashWithAnInboxHasNoDuplicateEffectSimulatedAndLive(t *testing.T) {
	s, l, se, le := runOutboxBoth(t, relayCrash(true), Options{})
	sameVerdicts(t, s, l, map[string]bool{"no-zombie": true, "no-ghost": true, "exactly-once-effect": true,
		"per-key-order": true})
	if ps, pl := publishedTwice(se), publishedTwice(le); len(ps) == 0 || len(pl) == 0 {
		t.Errorf("published twice: simulated %v, live %v, want a repeat in both", ps, pl)
	}
}

// Without an inbox the simulation applies the relay's repeat twice: it
// has no duplicate window. Live, JetStream drops the repeat (same
// Nats-Msg-Id within 2m): the same repeat, told as a duplicate, one effect.
func TestARelayRepeatWithinTheDuplicateWindowIsDroppedByJetStream(t *testing.T) {
	s, l, se, le := runOutboxBoth(t, relayCrash(false), Options{})
	sameVerdicts(t, s, l, map[string]bool{"no-zombie": true, "no-ghost": true})
	if verdicts(s)["exactly-once-effect"] || !verdicts(l)["exactly-once-effect"] {
		t.Errorf("exactly-once-effect: simulated %v, live %v; want false (applied twice), true (deduped)",
			verdicts(s)["exactly-once-effect"], verdicts(l)["exactly-once-effect"])
	}
	deduped := ids(le, func(e *trace.Event) bool {
		return e.Kind == trace.Note && e.Actor == outbox.Topic && strings.Contains(e.Note, "Nats-Msg-Id")
	})
	if ps := publishedTwice(se); len(ps) == 0 || !slices.Equal(deduped, publishedTwice(le)) {
		t.Errorf("simulated repeats %v; live deduped %v of its repeats %v, want all of them",
			ps, deduped, publishedTwice(le))
	}
}

// Past the duplicate window JetStream takes the repeat as a new message:
// live agrees with the simulation, the event is applied twice.
func TestARelayRepeatPastTheDuplicateWindowIsAppliedTwiceSimulatedAndLive(t *testing.T) {
	cfg := relayCrash(false)
	cfg.RestartAfter = 500 * time.Millisecond // the repeat comes 500ms on; JetStream forgets after 100–150ms
	s, l, _, _ := runOutboxBoth(t, cfg, Options{DuplicateWindow: 100 * time.Millisecond})
	sameVerdicts(t, s, l, map[string]bool{"no-zombie": true, "no-ghost": true, "exactly-once-effect": false})
}

// Past the window with an inbox: the repeat reaches the inventory live
// too, and its SQLite inbox absorbs it.
func TestARelayRepeatPastTheDuplicateWindowIsAbsorbedByTheInboxSimulatedAndLive(t *testing.T) {
	cfg := relayCrash(true)
	cfg.RestartAfter = 500 * time.Millisecond
	s, l, se, le := runOutboxBoth(t, cfg, Options{DuplicateWindow: 100 * time.Millisecond})
	sameVerdicts(t, s, l, map[string]bool{"no-zombie": true, "no-ghost": true, "exactly-once-effect": true})
	skipped := func(events []trace.Event) []string {
		return ids(events, func(e *trace.Event) bool { return e.Kind == trace.Skip && e.Actor == outbox.Inventory })
	}
	// Which rows the crashed batch held follows the wall clock live: each
	// run's repeats are its own, and every one of them is absorbed.
	for _, run := range []struct {
		name   string
		events []trace.Event
	}{{"simulated", se}, {"live", le}} {
		if sk, twice := skipped(run.events), publishedTwice(run.events); len(sk) == 0 || !slices.Equal(sk, twice) {
			t.Errorf("%s: absorbed by the inbox %v, published twice %v, want the same, at least one",
				run.name, sk, twice)
		}
	}
}
