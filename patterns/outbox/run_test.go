package outbox

import (
	"bytes"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/patterntest"
)

// record runs cfg and returns its events.
func record(cfg Config) ([]trace.Event, *trace.Report) {
	var ev []trace.Event
	r := cfg.Run(cfg.Common, trace.SinkFunc(func(e *trace.Event) { ev = append(ev, *e) }))
	return ev, r
}

func verdictOK(t *testing.T, r *trace.Report, name string) bool {
	t.Helper()
	v, ok := r.Verdict(name)
	if !ok {
		t.Fatalf("no verdict %q", name)
	}
	return v.OK
}

// crashedOrders returns the ids of the orders the order service had in
// hand when an injected crash hit it.
func crashedOrders(ev []trace.Event) []string {
	var ids []string
	for _, e := range ev {
		if e.Kind == trace.Crash && e.Actor == OrderService {
			id, _, _ := strings.Cut(strings.TrimPrefix(e.Note, "injected crash (--crash-rate); "), " ")
			ids = append(ids, id)
		}
	}
	return ids
}

// One seed meets the same faults in every variant: the same orders are hit
// by a crash, and the same commits fail.
func TestVariantsMeetTheSameFaults(t *testing.T) {
	failed := 0
	for seed := uint64(1); seed <= 20; seed++ {
		cfg := Default()
		cfg.Seed, cfg.Orders, cfg.CrashRate, cfg.DBFailRate = seed, 60, 0.1, 0.1
		cfg.Variant = DualWrite
		dual, _ := record(cfg)
		cfg.Variant = Outbox
		ob, _ := record(cfg)
		a, b := crashedOrders(dual), crashedOrders(ob)
		if len(a) == 0 || !slices.Equal(a, b) {
			t.Fatalf("seed %d: dual-write crashed holding %v, outbox holding %v", seed, a, b)
		}
		fa, fb := failedCommits(dual), failedCommits(ob)
		if !slices.Equal(fa, fb) {
			t.Fatalf("seed %d: commits failed for %v in dual-write, %v in outbox", seed, fa, fb)
		}
		failed += len(fa)
	}
	if failed == 0 {
		t.Fatal("no commit failed in any seed")
	}
}

func failedCommits(ev []trace.Event) []string {
	var ids []string
	for _, e := range ev {
		if e.Kind == trace.Rollback && e.Actor == OrderService && strings.Contains(e.Note, "commit failed") {
			ids = append(ids, e.Msg.ID)
		}
	}
	return ids
}

func TestDualWriteCrashLeavesAZombie(t *testing.T) {
	cfg := Default()
	cfg.Variant, cfg.Orders, cfg.CrashRate = DualWrite, 3, 0.5
	ev, r := record(cfg)
	if verdictOK(t, r, "no-zombie") || !verdictOK(t, r, "no-ghost") {
		t.Fatalf("checks %+v", r.Checks)
	}
	var why bool
	for _, e := range ev {
		if e.Kind == trace.Drop && e.Actor == OrderService && e.Why == whyZombie {
			why = true
		}
	}
	if !why {
		t.Fatal("no drop event explains the zombie")
	}
	// The outbox with the same seed loses nothing.
	cfg.Variant = Outbox
	_, r = record(cfg)
	for _, name := range []string{"no-zombie", "no-ghost", "exactly-once-effect", "per-key-order"} {
		if !verdictOK(t, r, name) {
			t.Fatalf("outbox: %s failed: %+v", name, r.Checks)
		}
	}
}

func TestPublishFirstFailedCommitLeavesAGhost(t *testing.T) {
	cfg := Default()
	cfg.Variant, cfg.Orders, cfg.DBFailRate = PublishFirst, 3, 0.5
	_, r := record(cfg)
	if verdictOK(t, r, "no-ghost") || !verdictOK(t, r, "no-zombie") {
		t.Fatalf("checks %+v", r.Checks)
	}
}

func TestBrokerOutage(t *testing.T) {
	cfg := Default()
	cfg.Orders = 6
	cfg.BrokerDown = sim.Window{From: 20 * time.Millisecond, To: 300 * time.Millisecond}

	cfg.Variant = DualWrite
	_, r := record(cfg)
	if verdictOK(t, r, "no-zombie") {
		t.Fatal("dual write rode out a broker outage without a zombie")
	}

	cfg.Variant = Outbox
	ev, r := record(cfg)
	if !verdictOK(t, r, "no-zombie") || !verdictOK(t, r, "exactly-once-effect") {
		t.Fatalf("outbox checks %+v", r.Checks)
	}
	// Nothing is published inside the outage, and afterwards the rows go
	// out oldest first.
	var order []string
	faults := 0
	for _, e := range ev {
		switch e.Kind {
		case trace.Fault:
			faults++
		case trace.Publish:
			if cfg.BrokerDown.Contains(e.T) {
				t.Fatalf("published %s at %v, inside the outage", e.Msg.ID, e.T)
			}
			order = append(order, e.Msg.ID)
		}
	}
	if faults != 2 {
		t.Fatalf("%d fault events, want the start and the end of the outage", faults)
	}
	if got := strings.Join(order, " "); got != "e1 e2 e3 e4 e5 e6 e7 e8 e9 e10 e11 e12" {
		t.Fatalf("published %s", got)
	}
}

// A relay crash publishes a row again; without an inbox it is applied
// twice, with one it is skipped, and with the planted bug it is applied
// twice although the inbox is on.
func TestRelayCrashDuplicate(t *testing.T) {
	cfg := Default()
	cfg.Orders, cfg.RelayCrashRate = 3, 0.5
	_, r := record(cfg)
	if r.Total("published") <= 3 {
		t.Fatalf("published %d times, want a duplicate", r.Total("published"))
	}
	if verdictOK(t, r, "exactly-once-effect") || !verdictOK(t, r, "no-zombie") {
		t.Fatalf("without inbox: %+v", r.Checks)
	}

	cfg.Inbox = true
	ev, r := record(cfg)
	if !verdictOK(t, r, "exactly-once-effect") || r.Total("skipped") == 0 {
		t.Fatalf("with inbox: skipped %d, %+v", r.Total("skipped"), r.Checks)
	}
	var absorbed bool
	for _, e := range ev {
		if e.Kind == trace.Rollback && e.Actor == Inventory && e.Why == whyAbsorbed {
			absorbed = true
		}
	}
	if !absorbed {
		t.Fatal("no event explains why the inbox absorbed the duplicate")
	}

	cfg.BugSkipInboxRecord = true
	_, r = record(cfg)
	if verdictOK(t, r, "exactly-once-effect") {
		t.Fatal("the planted inbox bug went unnoticed")
	}
}

func TestDeterministic(t *testing.T) {
	cfg := Default()
	cfg.Orders, cfg.CrashRate, cfg.RelayCrashRate, cfg.DBFailRate, cfg.Inbox = 50, 0.1, 0.1, 0.1, true
	run := func() string {
		var b bytes.Buffer
		out := trace.NewJSON(&b)
		cfg.Run(cfg.Common, out)
		out.Flush()
		return b.String()
	}
	if a, b := run(), run(); a != b {
		t.Fatal("one seed gave two runs")
	}
}

// Over many seeds the outbox with an inbox keeps every guarantee, even
// with every fault at once.
func TestOutboxGuaranteesHold(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		cfg := Default()
		cfg.Seed, cfg.Orders, cfg.Inbox = seed, 30, true
		cfg.CrashRate, cfg.DBFailRate, cfg.RelayCrashRate = 0.1, 0.1, 0.1
		cfg.BrokerDown = sim.Window{From: 100 * time.Millisecond, To: 400 * time.Millisecond}
		cfg.Batch = 1 + int(seed%4)
		r := cfg.Run(cfg.Common, nil)
		for _, v := range r.Checks {
			if !v.OK {
				t.Fatalf("seed %d: %s: %s %v", seed, v.Name, v.Detail, v.Evidence)
			}
		}
		if r.Stopped != "" {
			t.Fatalf("seed %d: %s", seed, r.Stopped)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		change func(*Config)
		want   string
	}{
		{func(c *Config) { c.Orders = 0 }, "--orders must be from 1 to 10000000 (got 0)"},
		{func(c *Config) { c.Batch = 0 }, "--batch must be from 1 to 10000 (got 0)"},
		{func(c *Config) { c.PollInterval = 0 }, "--poll-interval must be above 0 (got 0s)"},
		{func(c *Config) { c.CrashRate, c.RestartAfter = 0.1, 0 }, "--crash-rate needs --restart-after above 0"},
		{func(c *Config) { c.Variant, c.Crashes = DualWrite, []sim.Crash{{Actor: Relay}} },
			`--crash: no actor "relay" in the dual-write variant: want order-service or inventory`},
	} {
		cfg := Default()
		tc.change(&cfg)
		err := cfg.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
	if err := Default().Validate(); err != nil {
		t.Fatal(err)
	}
}

// --orders once allocated three slices of its size up front: the largest
// count panicked in makeslice, and any large one cost memory before the
// first order arrived.
func TestOrdersAllocateAsTheyArrive(t *testing.T) {
	cfg := Default()
	cfg.Orders = math.MaxInt64
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "--orders") {
		t.Fatalf("--orders %d: got %v, want an error naming the flag", cfg.Orders, err)
	}
	cfg.Orders = MaxOrders
	cfg.Until = 50 * time.Millisecond
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cfg.Run(cfg.Common, nil)
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
		t.Errorf("a 50ms run of %d orders allocated %d MB", cfg.Orders, got>>20)
	}
}

// A relay crash is drawn once per batch: at the highest rate allowed a
// batch still gets marked sent after 100 polls on average, so the run
// ends. Once it was drawn per row and ended the batch at the first crash,
// so a batch of ten got through with chance 0.01^10, and every republish
// counted as progress: the run never ended.
func TestRelayCrashRateAtItsCeilingEnds(t *testing.T) {
	cfg := Default()
	cfg.Orders, cfg.RelayCrashRate = 100, MaxRelayCrashRate
	cfg.Until = time.Hour
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	cfg.RelayCrashRate = 0.999999
	if err := cfg.Validate(); err == nil {
		t.Error("--relay-crash-rate 0.999999 accepted: the run would not end")
	}
	cfg.RelayCrashRate = MaxRelayCrashRate
	var stopped string
	rep := cfg.Run(cfg.Common, trace.SinkFunc(func(e *trace.Event) {
		if e.Kind == trace.Summary {
			stopped = e.Report.Stopped
		}
	}))
	if stopped != "" || rep.End >= cfg.Until {
		t.Errorf("the run did not end by itself: %q at %v", stopped, rep.End)
	}
}

// Each order is written twice, so its key has an order to keep: one relay
// thread publishes the rows oldest first and keeps it in every run; four
// threads let an update overtake its creation, and the check says so.
func TestParallelRelayBreaksPerKeyOrder(t *testing.T) {
	broken := 0
	for seed := uint64(1); seed <= 50; seed++ {
		cfg := Default()
		cfg.Seed, cfg.Orders = seed, 20
		if r := cfg.Run(cfg.Common, nil); !verdictOK(t, r, "per-key-order") {
			t.Fatalf("seed %d: one relay thread broke per-key order", seed)
		}
		cfg.RelayWorkers = 4
		if r := cfg.Run(cfg.Common, nil); !verdictOK(t, r, "per-key-order") {
			broken++
			if !verdictOK(t, r, "no-zombie") || !verdictOK(t, r, "exactly-once-effect") {
				t.Fatalf("seed %d: four relay threads lost or repeated an event: %+v", seed, r.Checks)
			}
		}
	}
	if broken < 25 {
		t.Errorf("four relay threads broke per-key order in %d of 50 runs, want most", broken)
	}
}

// The inventory says at the moment it happens that an update overtook the
// creation it updates.
func TestTheOvertakenCreationIsNarrated(t *testing.T) {
	cfg := Default()
	cfg.Orders, cfg.RelayWorkers = 3, 4
	ev, r := record(cfg)
	var told []string
	for _, e := range ev {
		if e.Kind == trace.Handle && strings.Contains(e.Note, "has not arrived") {
			told = append(told, e.Msg.ID)
		}
	}
	v, _ := r.Verdict("per-key-order")
	if len(told) == 0 || len(told) != len(v.Evidence) {
		t.Errorf("narrated %v, the check found %v", told, v.Evidence)
	}
}

// TestMemoryFollowsWhatIsInFlight: a run whose order service falls far
// behind (orders wait for it) keeps a few bytes per event once settled
// or waiting, not a record with its strings.
func TestMemoryFollowsWhatIsInFlight(t *testing.T) {
	cfg := Default()
	cfg.Orders = 50_000
	cfg.Arrival = sim.Const(time.Millisecond) // ten times faster than the service
	events := uint64(2 * cfg.Orders)
	per := patterntest.HeapAtEnd(cfg, cfg.Common) / events
	t.Logf("%d bytes per event", per)
	if per > 48 {
		t.Errorf("the run held %d bytes per event at its end, want at most 48", per)
	}
}

// At a rate the service keeps up with, the checks forget the events that
// are done (committed, published, applied once, in order) and the keys
// whose two events are, and the narrator the events published and applied
// once: a settled order keeps its rows, a byte each (about 4 bytes in all;
// 40 with the events' records, the keys' order and the narration).
func TestSettledOrdersKeepFewBytes(t *testing.T) {
	per := patterntest.HeapPerOrder(t, func(n int) patterns.Config {
		cfg := Default()
		cfg.Orders = n
		cfg.Arrival = sim.Exp(2 * time.Millisecond)
		return cfg
	}, 10_000, 100_000)
	if per > 8 {
		t.Errorf("a settled order kept %.1f bytes, want at most 8", per)
	}
}
