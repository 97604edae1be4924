package competing

import (
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
)

func TestValidateNamesTheFlag(t *testing.T) {
	for _, c := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Consumers = 0 }, "--consumers"},
		{func(c *Config) { c.Messages = -1 }, "--messages"},
		{func(c *Config) { c.Prefetch = -1 }, "--prefetch"},
		{func(c *Config) { c.MaxDeliveries = -1 }, "--max-deliveries"},
		{func(c *Config) { c.Slow = map[string]float64{"worker-9": 2} }, "--slow"},
		{func(c *Config) { c.Crashes = []sim.Crash{{Actor: "nobody"}} }, "--crash"},
		{func(c *Config) { c.Poison = []string{"m13"} }, "--poison"},
		{func(c *Config) { c.CrashRate = 1 }, "--crash-rate"},
		{func(c *Config) { c.CrashRate = 0.1 }, "--crash-rate"},
	} {
		cfg := Default()
		c.edit(&cfg)
		if err := cfg.Validate(); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("want an error naming %s, got %v", c.want, err)
		}
	}
	if err := Default().Validate(); err != nil {
		t.Errorf("the default scenario is invalid: %v", err)
	}
}

// A crash before the ack loses orders with auto-ack and none with manual
// ack, with the same seed and the same crash: the pattern's whole lesson.
func TestManualAckSurvivesTheCrashThatAutoAckLosesTo(t *testing.T) {
	for _, mode := range []broker.AckMode{broker.AutoAck, broker.ManualAck} {
		cfg := Default()
		cfg.Ack = mode
		cfg.Crashes = []sim.Crash{{Actor: "worker-2", At: 30 * time.Millisecond}}
		r := cfg.Run(cfg.Common, nil)
		v, _ := r.Verdict("no-loss")
		if v.OK != (mode == broker.ManualAck) {
			t.Errorf("ack %s: no-loss %v (%s)", mode, v.OK, v.Detail)
		}
	}
}

func TestProducerCrashStopsSendingUntilRestart(t *testing.T) {
	cfg := Default()
	cfg.Arrival = Default().Work // one send every 20..60ms
	cfg.Crashes = []sim.Crash{{Actor: Producer, At: 100 * time.Millisecond}}
	down := cfg.Run(cfg.Common, nil)
	cfg.RestartAfter = 200 * time.Millisecond
	back := cfg.Run(cfg.Common, nil)
	if down.Total("sent") >= int64(cfg.Messages) || back.Total("sent") != int64(cfg.Messages) {
		t.Errorf("sent %d with the producer down for good and %d with a restart; want fewer than %d, then all",
			down.Total("sent"), back.Total("sent"), cfg.Messages)
	}
}
