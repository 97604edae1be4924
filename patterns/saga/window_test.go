package saga

import (
	"testing"

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
