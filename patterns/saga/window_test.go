package saga

import (
	"slices"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/patterntest"
)

// With the default --arrival 0 every order's command was once in flight
// at once: 100,000 orders took 2.6 GB and nearly three minutes. The shop
// now keeps a window of patterns.DefaultWindow orders in flight; an
// orchestrator whose step timed out sends again, and answers come back,
// so each order may have a few messages out: a bounded few.
func TestArrivalZeroKeepsAWindow(t *testing.T) {
	cfg := Default()
	cfg.Orders = 6000
	if cfg.Arrival.Mean() != 0 {
		t.Fatalf("the default arrival is %v: this test wants 0", cfg.Arrival)
	}
	for _, style := range Styles {
		cfg.Style = style
		most, _ := patterntest.MostInFlight(t, cfg)
		if limit := 4 * patterns.DefaultWindow; most > limit {
			t.Errorf("%s: %d messages in flight at once: want at most %d", style, most, limit)
		}
	}
}

// A steady run keeps what is in flight: the ledger forgets a page of
// orders once all are settled, keeping only the records of those not
// approved in full (16 bytes each), and the orchestrator holds only the
// sagas running (they kept 12 and 8 bytes an order, about 24 in all with
// the databases' rows). What stays is a byte a row in each database and,
// with 5% failures per step, the 14% of orders rejected.
func TestSettledSagasKeepFewBytes(t *testing.T) {
	for _, tc := range []struct {
		style string
		fail  float64
		limit float64
	}{{Orchestration, 0, 8}, {Choreography, 0, 8}, {Orchestration, 0.05, 12}} {
		per := patterntest.HeapPerOrder(t, func(n int) patterns.Config {
			cfg := Default()
			cfg.Style, cfg.Orders, cfg.Stock = tc.style, n, n
			cfg.Arrival, cfg.Work = sim.Exp(2*time.Millisecond), sim.Exp(time.Millisecond)
			if tc.style == Orchestration {
				cfg.Timeout = 0
			}
			if tc.fail > 0 {
				cfg.FailRate = map[string]float64{"payment": tc.fail, "inventory": tc.fail, "shipping": tc.fail}
			}
			return cfg
		}, 5_000, 50_000)
		if per > tc.limit {
			t.Errorf("%s, failures %.2f: a settled saga kept %.1f bytes, want at most %.0f", tc.style, tc.fail, per, tc.limit)
		}
	}
}

// A page of orders approved with every step done is forgotten, and an
// order of it written again is judged as it would have been: voided after
// its approval, it is an APPROVED order with its payment gone.
func TestLedgerForgetsApprovedPages(t *testing.T) {
	l := NewLedger()
	l.Event(&trace.Event{Kind: trace.Run, Params: []trace.Param{{Name: "orders", Value: "767"}}})
	write := func(n int, kv ...string) {
		e := &trace.Event{Kind: trace.Commit}
		for i := 0; i < len(kv); i += 2 {
			e.Writes = append(e.Writes, trace.Write{Key: kv[i] + patterns.OrderKey(n), Value: kv[i+1]})
		}
		l.Event(e)
	}
	for n := 1; n < 3*check.DensePage; n++ {
		write(n, orderPrefix, pending)
		write(n, steps[Payment].key, steps[Payment].doneVal, steps[Inventory].key, steps[Inventory].doneVal,
			steps[Shipping].key, steps[Shipping].doneVal)
		if n != 2*check.DensePage+1 {
			write(n, orderPrefix, approved)
		}
	}
	if l.orders.Get(check.DensePage) != nil || l.orders.Get(2*check.DensePage) == nil {
		t.Fatal("the page of approved orders was kept, or the page with one pending was forgotten")
	}
	write(check.DensePage+4, steps[Payment].key, steps[Payment].offVal)
	v := l.Verdicts("")[0]
	want := []string{patterns.OrderKey(2*check.DensePage+1) + ": stuck PENDING",
		patterns.OrderKey(check.DensePage+4) + ": APPROVED but payment VOIDED"}
	if !slices.Equal(v.Evidence, want) {
		t.Errorf("got %q, want %q", v.Evidence, want)
	}
}
