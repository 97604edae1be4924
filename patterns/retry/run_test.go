package retry

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// events runs c with seed 1 and returns its events (the summary's report
// kept).
func events(t *testing.T, c Config) []trace.Event {
	t.Helper()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	var evs []trace.Event
	c.Run(patterns.Common{Seed: 1}, trace.SinkFunc(func(e *trace.Event) { evs = append(evs, *e) }))
	return evs
}

func count(evs []trace.Event, k trace.Kind, match func(*trace.Event) bool) int {
	n := 0
	for i := range evs {
		if evs[i].Kind == k && (match == nil || match(&evs[i])) {
			n++
		}
	}
	return n
}

func report(evs []trace.Event) *trace.Report { return evs[len(evs)-1].Report }

func verdictOf(t *testing.T, r *trace.Report, name string) trace.Verdict {
	t.Helper()
	v, ok := r.Verdict(name)
	if !ok {
		t.Fatalf("no verdict %s", name)
	}
	return v
}

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestSameSeedSameTrace(t *testing.T) {
	for _, c := range []Config{Default(), storm(Immediate), withBreaker(), byBroker(), careless(false)} {
		var a, b bytes.Buffer
		for _, buf := range []*bytes.Buffer{&a, &b} {
			j := trace.NewJSON(buf)
			c.Run(patterns.Common{Seed: 7}, j)
			if err := j.Flush(); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("two runs with seed 7 differ (%s)", c.Policy)
		}
		var other bytes.Buffer
		j := trace.NewJSON(&other)
		c.Run(patterns.Common{Seed: 8}, j)
		j.Flush()
		if bytes.Equal(a.Bytes(), other.Bytes()) {
			t.Errorf("seeds 7 and 8 gave the same trace (%s): the seed reaches nothing", c.Policy)
		}
	}
}

func storm(p Policy) Config {
	c := Default()
	c.Orders, c.Arrival, c.Outage, c.Policy, c.Retries = 200, sim.Const(ms(10)), sim.Window{From: ms(500), To: ms(1500)}, p, 5
	return c
}

func withBreaker() Config {
	c := Default()
	c.Orders, c.Outage, c.Breaker, c.BreakerFailures = 12, sim.Window{From: ms(100), To: ms(700)}, true, 3
	return c
}

func byBroker() Config {
	c := Default()
	c.Orders, c.Arrival, c.Outage, c.RetryBy, c.MaxDeliveries = 6, sim.Const(ms(40)), sim.Window{From: ms(50), To: ms(400)}, ByBroker, 6
	return c
}

func careless(idempotent bool) Config {
	c := Default()
	c.Orders, c.Arrival, c.Outage, c.Policy, c.Retries, c.RedriveAt = 60, sim.Const(ms(10)), sim.Window{From: ms(200), To: ms(2000)}, Immediate, 2, ms(3000)
	c.Idempotent = idempotent
	return c
}

func TestImmediateRetriesStormAndBackoffDoesNot(t *testing.T) {
	imm := report(events(t, storm(Immediate)))
	back := report(events(t, storm(Backoff)))
	if v := verdictOf(t, imm, "amplification"); v.OK {
		t.Errorf("immediate retries kept within capacity: %s", v.Detail)
	}
	if v := verdictOf(t, back, "amplification"); !v.OK {
		t.Errorf("backoff went past capacity: %s", v.Detail)
	}
	if imm.Total("acked") >= back.Total("acked") {
		t.Errorf("the storm paid %d orders, backoff %d: the storm should pay fewer", imm.Total("acked"), back.Total("acked"))
	}
}

func TestTheStormKeepsTheGatewayOverloadedAfterTheOutage(t *testing.T) {
	evs := events(t, storm(Immediate))
	refused := count(evs, trace.Response, func(e *trace.Event) bool {
		return e.Msg.Type == outcomeTypes[tooMany] && e.T > ms(1500)
	})
	if refused == 0 {
		t.Error("no call refused for capacity after the outage: the storm did not outlast it")
	}
}

func TestTheBreakerStopsCallsWhileOpenAndProbesOnceHalfOpen(t *testing.T) {
	evs := events(t, withBreaker())
	var marks []int // indexes of breaker events
	for i, e := range evs {
		if e.Kind == trace.Breaker {
			marks = append(marks, i)
		}
	}
	if len(marks) < 3 {
		t.Fatalf("%d breaker transitions, want open, half-open and after", len(marks))
	}
	callsBetween := func(a, b int) int { return count(evs[a:b], trace.Call, nil) }
	if n := callsBetween(marks[0], marks[1]); n != 0 {
		t.Errorf("%d calls while the breaker was open", n)
	}
	if n := callsBetween(marks[1], marks[2]); n != 1 {
		t.Errorf("%d calls while half-open, want the one probe", n)
	}
	if v := verdictOf(t, report(evs), "no-loss"); !v.OK {
		t.Errorf("the breaker lost orders: %s %v", v.Detail, v.Evidence)
	}
}

func TestTheBreakerIgnoresScatteredFailuresAmongManyCalls(t *testing.T) {
	c := Default()
	c.Orders, c.Workers, c.Arrival, c.GatewayLatency = 3000, 16, sim.Exp(time.Millisecond), sim.Uniform(ms(5), ms(15))
	c.GatewayCapacity, c.Outage, c.FailRate, c.Breaker = 0, sim.Window{}, 0.02, true
	evs := events(t, c)
	if n := count(evs, trace.Breaker, nil); n != 0 {
		t.Errorf("the breaker changed state %d times on 2%% failures: it should weigh them against the calls", n)
	}
	if count(evs, trace.Response, func(e *trace.Event) bool { return e.Msg.Type != outcomeTypes[charged] }) < 5 {
		t.Fatal("too few failures to tell")
	}
}

func TestRetryByBrokerRedeliversEachAttempt(t *testing.T) {
	evs := events(t, byBroker())
	calls := count(evs, trace.Call, nil)
	deliveries := count(evs, trace.Deliver, func(e *trace.Event) bool { return e.Actor == Queue })
	if calls != deliveries {
		t.Errorf("%d calls in %d deliveries: with --retry-by broker each attempt is a delivery", calls, deliveries)
	}
	if n := count(evs, trace.Note, func(e *trace.Event) bool { return strings.HasPrefix(e.Actor, "worker-") }); n != 0 {
		t.Errorf("%d in-process retries with --retry-by broker", n)
	}
	byWorker := byBroker()
	byWorker.RetryBy, byWorker.Retries = ByWorker, 10
	evs = events(t, byWorker)
	if d := count(evs, trace.Deliver, nil); d != byWorker.Orders {
		t.Errorf("%d deliveries of %d orders: in-process retries should hold each message", d, byWorker.Orders)
	}
}

func TestACarelessRedriveChargesTwiceAndAnIdempotentGatewayDoesNot(t *testing.T) {
	plain := report(events(t, careless(false)))
	if v := verdictOf(t, plain, "no-duplicate-charges"); v.OK || !strings.Contains(strings.Join(v.Evidence, " "), "after its redrive") {
		t.Errorf("the careless redrive was not caught charging twice: %s %v", v.Detail, v.Evidence)
	}
	evs := events(t, careless(true))
	if v := verdictOf(t, report(evs), "no-duplicate-charges"); !v.OK {
		t.Errorf("the idempotent gateway charged twice: %s", v.Evidence)
	}
	if count(evs, trace.Skip, nil) == 0 {
		t.Error("the idempotent gateway recognised no repeat")
	}
}

func TestClassifyDeadLettersAPoisonOrderAtOnce(t *testing.T) {
	c := Default()
	c.Orders, c.Poison = 4, []string{"m2"}
	callsFor := func(c Config) int {
		return count(events(t, c), trace.Call, func(e *trace.Event) bool { return e.Msg.ID == "m2" })
	}
	if n, want := callsFor(c), (c.Retries+1)*c.MaxDeliveries; n != want {
		t.Errorf("unclassified poison called %d times, want every retry of every delivery: %d", n, want)
	}
	c.Classify = true
	if n := callsFor(c); n != 1 {
		t.Errorf("classified poison called %d times, want 1", n)
	}
	if v := verdictOf(t, report(events(t, c)), "no-loss"); !v.OK {
		t.Errorf("a declined order parked with its reason counts as lost: %s", v.Evidence)
	}
}

func TestBackoffGrowsToItsCap(t *testing.T) {
	r := &run{cfg: Default(), jitter: sim.New(1).Rand("jitter")}
	r.cfg.Jitter = NoJitter
	for k, want := range map[int]time.Duration{1: ms(50), 2: ms(100), 3: ms(200), 5: ms(800), 6: time.Second, 80: time.Second} {
		if got := r.backoff(k); got != want {
			t.Errorf("backoff(%d) = %v, want %v", k, got, want)
		}
	}
	r.cfg.Jitter = EqualJitter
	for k := 1; k <= 8; k++ {
		d := min(ms(50)<<(k-1), time.Second)
		if got := r.backoff(k); got < d/2 || got > d {
			t.Fatalf("equal jitter gave %v for retry %d, outside %v..%v", got, k, d/2, d)
		}
	}
	r.cfg.Jitter = FullJitter
	seen := map[time.Duration]bool{}
	for i := 0; i < 50; i++ {
		got := r.backoff(3)
		if got < 0 || got > ms(200) {
			t.Fatalf("full jitter gave %v, outside 0..200ms", got)
		}
		seen[got] = true
	}
	if len(seen) < 10 {
		t.Errorf("full jitter gave only %d distinct waits in 50", len(seen))
	}
	r.cfg.Policy = Immediate
	if got := r.backoff(5); got != 0 {
		t.Errorf("immediate retries wait %v", got)
	}
}

func TestVariantsKeepTheirGuaranteesUnderFaults(t *testing.T) {
	seeds := uint64(100)
	if testing.Short() {
		seeds = 20
	}
	caught := map[string]bool{}
	for _, v := range Definition.Variants {
		c := Default()
		Definition.Faults(&c)
		v.Apply(&c)
		if err := c.Validate(); err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		for seed := uint64(1); seed <= seeds; seed++ {
			r := c.Run(patterns.Common{Seed: seed}, nil)
			for _, ch := range r.Checks {
				if !ch.OK && slices.Contains(v.Guarantees, ch.Name) {
					t.Errorf("%s seed %d broke %s: %s %v", v.Name, seed, ch.Name, ch.Detail, ch.Evidence)
				}
				if !ch.OK {
					caught[v.Name+"/"+ch.Name] = true
				}
			}
		}
	}
	for _, want := range []string{"no-retry/no-loss", "immediate/amplification", "backoff/no-duplicate-charges"} {
		if !caught[want] {
			t.Errorf("%s never caught under the faults", want)
		}
	}
}

func TestValidateNamesTheFlag(t *testing.T) {
	for flag, bad := range map[string]func(*Config){
		"--orders":           func(c *Config) { c.Orders = MaxOrders + 1 },
		"--workers":          func(c *Config) { c.Workers = 0 },
		"--gateway-latency":  func(c *Config) { c.GatewayLatency = sim.Const(2 * time.Minute) },
		"--outage":           func(c *Config) { c.Outage = sim.Window{From: 0, To: 11 * time.Minute} },
		"--fail-rate":        func(c *Config) { c.FailRate = 1.5 },
		"--gateway-capacity": func(c *Config) { c.GatewayCapacity = -1 },
		"--retries":          func(c *Config) { c.Retries = MaxRetries + 1 },
		"--backoff":          func(c *Config) { c.Base, c.Cap = time.Second, ms(10) },
		"--breaker-failures": func(c *Config) { c.BreakerFailures = 0 },
		"--breaker-window":   func(c *Config) { c.BreakerWindow = 2 * time.Minute },
		"--breaker-ratio":    func(c *Config) { c.BreakerRatio = 0 },
		"--breaker-open":     func(c *Config) { c.BreakerOpen = 0 },
		"--max-deliveries":   func(c *Config) { c.MaxDeliveries = 0 },
		"--redrive-at":       func(c *Config) { c.RedriveAt = time.Hour },
		"--redrive-rate":     func(c *Config) { c.RedriveRate = MaxRate + 1 },
		"--poison":           func(c *Config) { c.Poison = []string{"m21"} },
	} {
		c := Default()
		bad(&c)
		err := c.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), flag) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v, want one line naming the flag", flag, err)
		}
	}
	if err := Default().Validate(); err != nil {
		t.Errorf("the default is refused: %v", err)
	}
}

func TestALongWaitIsNotStoppedAsIdle(t *testing.T) {
	c := Default()
	c.Policy, c.RedriveAt = None, 3*time.Minute
	r := report(events(t, c))
	if r.Stopped != "" {
		t.Fatalf("stopped: %s", r.Stopped)
	}
	if v := verdictOf(t, r, "no-loss"); !v.OK {
		t.Errorf("the redrive at 3m did not pay the parked orders: %s %v", v.Detail, v.Evidence)
	}
	c = Default()
	c.Orders, c.Outage = 3, sim.Window{From: 2 * time.Minute, To: 4 * time.Minute}
	r = report(events(t, c))
	if r.Stopped != "" || r.End != 4*time.Minute {
		t.Fatalf("a run with its outage far ahead ended at %v (%s), want at the outage's end", r.End, r.Stopped)
	}
	if v := verdictOf(t, r, "recovery-time"); !v.OK {
		t.Errorf("recovery after an outage with nothing to do: %s", v.Detail)
	}
}
