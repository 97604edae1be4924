//go:build live

package live

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/competing"
)

// runBoth runs cfg simulated, then live on an embedded server, and
// returns both reports and the live trace.
func runBoth(t *testing.T, cfg competing.Config) (simulated, live *trace.Report, events []trace.Event) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	simulated, live, _, events = simAndLive(t, cfg.Run, Options{})
	return simulated, live, events
}

// simAndLive runs a scenario simulated, then live on an embedded server
// opened with o, and returns both reports and both traces. A live run is
// bounded by --until, so a broken broker fails the test instead of
// hanging it.
func simAndLive(t *testing.T, run patterns.Runner, o Options) (simulated, live *trace.Report, simEvents, liveEvents []trace.Event) {
	t.Helper()
	simulated = run(patterns.Common{Seed: 1}, trace.SinkFunc(func(e *trace.Event) { simEvents = append(simEvents, *e) }))
	b, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	live = run(patterns.Common{Seed: 1, Until: 20 * time.Second, Live: b},
		trace.SinkFunc(func(e *trace.Event) { liveEvents = append(liveEvents, *e) }))
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	if live.Stopped != "" {
		t.Fatalf("the live run was cut short: %s", live.Stopped)
	}
	if n := len(b.holder) + len(b.nacked); n > 0 && len(b.unsettled) == 0 {
		t.Errorf("every message settled, yet the books still hold %d entries: they grow with the run", n)
	}
	return simulated, live, simEvents, liveEvents
}

// verdicts returns each check's name and whether it held.
func verdicts(r *trace.Report) map[string]bool {
	v := map[string]bool{}
	for _, c := range r.Checks {
		v[c.Name] = c.OK
	}
	return v
}

func sameVerdicts(t *testing.T, simulated, live *trace.Report, want map[string]bool) {
	t.Helper()
	s, l := verdicts(simulated), verdicts(live)
	for name, ok := range want {
		if s[name] != ok || l[name] != ok {
			t.Errorf("%s: simulated %v, live %v, want %v", name, s[name], l[name], ok)
		}
	}
}

func small() competing.Config {
	cfg := competing.Default()
	cfg.Messages, cfg.Consumers = 6, 2
	cfg.VisibilityTimeout = 300 * time.Millisecond
	return cfg
}

// crashing returns a scenario whose one worker crashes halfway through
// some deliveries, holding the message by construction whatever the
// timing: its n-th delivery crashes or not, from its own fault stream,
// simulated or live alike.
func crashing() competing.Config {
	cfg := small()
	cfg.Consumers, cfg.CrashRate, cfg.RestartAfter = 1, 0.5, 100*time.Millisecond
	return cfg
}

func TestManualAckAndACrashLoseNothingSimulatedAndLive(t *testing.T) {
	cfg := crashing()
	s, l, events := runBoth(t, cfg)
	sameVerdicts(t, s, l, map[string]bool{"no-loss": true})
	// The crash held a message unacked: JetStream delivered it again after
	// AckWait, and the trace says so with a timeout.
	timeouts, redelivered := 0, 0
	for _, e := range events {
		switch {
		case e.Kind == trace.Timeout:
			timeouts++
		case e.Kind == trace.Deliver && e.Msg.Attempt == 2:
			redelivered++
		}
	}
	if timeouts == 0 || redelivered == 0 {
		t.Errorf("live: %d timeouts and %d redeliveries, want both after worker-1's crash", timeouts, redelivered)
	}
}

func TestAutoAckAndACrashLoseAMessageSimulatedAndLive(t *testing.T) {
	cfg := crashing()
	cfg.Ack = broker.AutoAck
	s, l, _ := runBoth(t, cfg)
	sameVerdicts(t, s, l, map[string]bool{"no-loss": false})
}

func TestPoisonIsDeadLetteredAfterExactlyMaxDeliveriesSimulatedAndLive(t *testing.T) {
	cfg := small()
	cfg.Poison, cfg.MaxDeliveries = []string{"m2"}, 3
	s, l, events := runBoth(t, cfg)
	sameVerdicts(t, s, l, map[string]bool{"no-loss": true, "no-duplicate-effects": true})
	deliveries, dead := 0, 0
	for _, e := range events {
		if e.Msg.ID != "m2" {
			continue
		}
		switch e.Kind {
		case trace.Deliver:
			deliveries++
		case trace.DeadLetter:
			dead++
		}
	}
	if deliveries != 3 || dead != 1 {
		t.Errorf("live: m2 delivered %d times and dead-lettered %d times, want 3 and 1", deliveries, dead)
	}
}
