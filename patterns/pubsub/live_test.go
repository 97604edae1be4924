package pubsub

import (
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
)

func TestLiveReadyRefusesWhatHasNoJetStreamMappingNamingTheFlag(t *testing.T) {
	filter := func(p string) []Filter {
		f, err := broker.ParseFilter(p)
		if err != nil {
			t.Fatal(err)
		}
		return []Filter{{Name: "shipping", Filter: f}}
	}
	for _, tc := range []struct {
		change func(*Config)
		says   string // "" when the scenario runs live
	}{
		{func(*Config) {}, ""},
		{func(c *Config) { c.Filters = filter("orders.*.eu") }, ""},
		{func(c *Config) { c.Filters = filter("orders.>") }, ""},
		{func(c *Config) { c.Filters = filter("orders.#") }, "no NATS equivalent"},
		{func(c *Config) { c.Filters = filter("*.placed.eu") }, "must begin with orders."},
		{func(c *Config) { c.Mode = Direct }, "--mode direct"},
		{func(c *Config) { c.DuplicateRate = 0.1 }, "--duplicate-rate"},
		{func(c *Config) { c.Slow = map[string]float64{"email": 20} }, ""}, // 400ms: within a quarter of AckWait
		{func(c *Config) { c.Slow = map[string]float64{"email": 30} }, "--work and --slow: email works 600ms"},
		{func(c *Config) { c.Work = sim.Const(time.Second) }, "--work and --slow: inventory"},
	} {
		cfg := Default()
		tc.change(&cfg)
		err := cfg.LiveReady()
		switch {
		case tc.says == "" && err != nil:
			t.Errorf("%s: refused live: %v", cfg.Params(), err)
		case tc.says != "" && (err == nil || !strings.Contains(err.Error(), tc.says)):
			t.Errorf("%s: %v, want a refusal saying %q", cfg.Params(), err, tc.says)
		}
	}
}
