package saga

import (
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// collect records every event of a run.
type collect struct{ events []trace.Event }

func (c *collect) Event(e *trace.Event) { c.events = append(c.events, *e) }

func verdict(t *testing.T, r *trace.Report, name string) trace.Verdict {
	t.Helper()
	v, ok := r.Verdict(name)
	if !ok {
		t.Fatalf("no verdict %q", name)
	}
	return v
}

func sagaChecks() []string {
	return []string{"saga-atomic", "no-orphan-holds", "compensate-once", "no-duplicate-effects", "no-loss"}
}

// TestSagaHoldsUnderFaults runs both styles through failures, lost acks,
// stock races and crashes over many seeds: every saga check must hold.
func TestSagaHoldsUnderFaults(t *testing.T) {
	for _, style := range Styles {
		for seed := uint64(1); seed <= 40; seed++ {
			cfg := Default()
			cfg.Seed, cfg.Style = seed, style
			cfg.Orders, cfg.Stock = 12, 8
			cfg.Arrival = sim.Exp(10 * time.Millisecond)
			cfg.FailRate = map[string]float64{"payment": 0.1, "inventory": 0.1, "shipping": 0.2}
			cfg.FailCompensation = map[string]int{"payment": 1}
			cfg.DuplicateRate = 0.2
			cfg.RestartAfter = 50 * time.Millisecond
			lead := Orchestrator
			if style == Choreography {
				lead = OrderService
			}
			cfg.Crashes = []sim.Crash{{Actor: lead, At: 40 * time.Millisecond}, {Actor: "inventory", At: 90 * time.Millisecond}}
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			r := cfg.Run(cfg.Common, nil)
			for _, name := range sagaChecks() {
				if v := verdict(t, r, name); !v.OK {
					t.Fatalf("%s seed %d: %s failed: %s %v", style, seed, name, v.Detail, v.Evidence)
				}
			}
		}
	}
}

// TestNaiveShowsTheAnomaly: without a saga a shipping failure leaves the
// payment and the stock held, and the checks name the order.
func TestNaiveShowsTheAnomaly(t *testing.T) {
	for _, style := range Styles {
		cfg := Default()
		cfg.Style, cfg.Fail, cfg.Naive = style, []string{"shipping"}, true
		r := cfg.Run(cfg.Common, nil)
		v := verdict(t, r, "no-orphan-holds")
		if v.OK || len(v.Evidence) == 0 || !strings.Contains(v.Evidence[0], "order-1001: REJECTED but payment AUTHORIZED") {
			t.Errorf("%s: naive no-orphan-holds = %+v, want it broken for order-1001", style, v)
		}
		cfg.Naive = false
		if v := verdict(t, cfg.Run(cfg.Common, nil), "no-orphan-holds"); !v.OK {
			t.Errorf("%s: with the saga no-orphan-holds failed: %v", style, v.Evidence)
		}
	}
}

// TestNaiveCrashLeavesPending: the naive orchestrator forgets its calls in
// a crash; the saga resumes from its database.
func TestNaiveCrashLeavesPending(t *testing.T) {
	cfg := Default()
	cfg.Crashes = []sim.Crash{{Actor: Orchestrator, At: 30 * time.Millisecond}}
	cfg.RestartAfter = 100 * time.Millisecond
	cfg.Naive = true
	if v := verdict(t, cfg.Run(cfg.Common, nil), "saga-atomic"); v.OK || !strings.Contains(strings.Join(v.Evidence, ";"), "order-1001: stuck PENDING") {
		t.Errorf("naive crash: saga-atomic = %+v, want order-1001 stuck PENDING", v)
	}
	cfg.Naive = false
	c := &collect{}
	r := cfg.Run(cfg.Common, c)
	if v := verdict(t, r, "saga-atomic"); !v.OK {
		t.Errorf("saga crash: %v", v.Evidence)
	}
	resumed := false
	for _, e := range c.events {
		if e.Kind == trace.Note && strings.HasPrefix(e.Note, "resume order-1001") && e.Why != "" {
			resumed = true
		}
	}
	if !resumed {
		t.Error("the orchestrator did not say it resumed order-1001 from its database")
	}
}

// TestStockRace: five orders, three units: three APPROVED, two REJECTED,
// stock at zero and never below.
func TestStockRace(t *testing.T) {
	for _, style := range Styles {
		cfg := Default()
		cfg.Style, cfg.Orders, cfg.Stock = style, 5, 3
		led := NewLedger()
		cfg.Run(cfg.Common, led)
		approved, rejectedN := 0, 0
		for n := 1; n <= 5; n++ {
			switch led.value(led.view(n).state) {
			case "APPROVED":
				approved++
			case "REJECTED":
				rejectedN++
			}
		}
		if approved != 3 || rejectedN != 2 || led.stock != 0 {
			t.Errorf("%s: %d approved, %d rejected, stock %d; want 3, 2, 0",
				style, approved, rejectedN, led.stock)
		}
	}
}

// TestCompensationRetriedNeverSkipped: VoidPayment fails twice, then is
// applied exactly once.
func TestCompensationRetriedNeverSkipped(t *testing.T) {
	cfg := Default()
	cfg.Fail = []string{"shipping"}
	cfg.FailCompensation = map[string]int{"payment": 2}
	c := &collect{}
	r := cfg.Run(cfg.Common, c)
	nacks, comps := 0, 0
	for _, e := range c.events {
		if e.Actor == "payment" && e.Kind == trace.Nack {
			nacks++
		}
		if e.Actor == "payment" && e.Kind == trace.Compensate {
			comps++
		}
	}
	if nacks != 2 || comps != 1 {
		t.Errorf("VoidPayment: %d failures, %d compensations; want 2 and 1", nacks, comps)
	}
	if v := verdict(t, r, "saga-atomic"); !v.OK {
		t.Error(v.Evidence)
	}
}

// TestLedgerCatchesDoubleCompensation feeds the ledger a trace in which a
// compensation is applied twice, and a stock that goes negative.
func TestLedgerCatchesDoubleCompensation(t *testing.T) {
	l := NewLedger()
	l.Event(&trace.Event{Kind: trace.Run, Params: []trace.Param{{Name: "orders", Value: "1"}, {Name: "stock", Value: "0"}}})
	l.Event(&trace.Event{Kind: trace.Commit, Note: "tx 1",
		Writes: []trace.Write{{Key: "order/order-1001", Value: "PENDING"}}})
	l.Event(&trace.Event{Kind: trace.Commit, Note: "the note is for people; the writes are the data",
		Writes: []trace.Write{{Key: "stock", Value: "-1"}, {Key: "reservation/order-1001", Value: "HELD"}}})
	for _, id := range []string{"m4", "m5"} {
		l.Event(&trace.Event{Kind: trace.Compensate, Actor: "inventory", Msg: trace.Msg{ID: id, Key: "order-1001"}})
	}
	vs := l.Verdicts("")
	want := map[string]bool{"saga-atomic": false, "no-orphan-holds": true, "compensate-once": false}
	for _, v := range vs {
		if w, ok := want[v.Name]; ok && v.OK != w {
			t.Errorf("%s ok = %v, want %v (%s)", v.Name, v.OK, w, v.Detail)
		}
	}
}

// TestValidate names the flag for each bad value.
func TestValidate(t *testing.T) {
	cases := []struct {
		mut  func(*Config)
		want string
	}{
		{func(c *Config) { c.Fail = []string{"billing"} }, "--fail"},
		{func(c *Config) { c.FailRate = map[string]float64{"payment": 2} }, "--fail-rate"},
		{func(c *Config) { c.Orders = -1 }, "--orders"},
		{func(c *Config) { c.Crashes = []sim.Crash{{Actor: "order-svc"}} }, "--crash"},
		{func(c *Config) { c.Style = Choreography; c.Crashes = []sim.Crash{{Actor: "orchestrator"}} }, "--crash"},
	}
	for _, tc := range cases {
		c := Default()
		tc.mut(&c)
		if err := c.Validate(); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Validate() = %v, want an error naming %s", err, tc.want)
		}
	}
}

// TestFaultsPerOrderStable: a random rejection belongs to the order, not
// to the order of events, so the naive and saga variants meet the same.
func TestFaultsPerOrderStable(t *testing.T) {
	cfg := Default()
	cfg.Orders = 50
	cfg.FailRate = map[string]float64{"shipping": 0.3}
	a, b := NewLedger(), NewLedger()
	cfg.Run(cfg.Common, a)
	cfg.Naive = true
	cfg.Run(cfg.Common, b)
	for n := 1; n <= 50; n++ {
		fa := a.final(a.view(n), Shipping) == steps[Shipping].failVal
		fb := b.final(b.view(n), Shipping) == steps[Shipping].failVal
		if fa != fb {
			t.Fatalf("order %d: shipping failed %v with the saga, %v without", n, fa, fb)
		}
	}
}
