package requestreply

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// busy is a scenario with every fault at once.
func busy() Config {
	c := Default()
	c.Requests, c.Requesters, c.Responders = 200, 3, 2
	c.Arrival = sim.Exp(3 * ms)
	c.Slow = map[string]float64{"stock-2": 5}
	c.Crashes = []sim.Crash{{Actor: "pricing-1", At: 100 * ms}, {Actor: "checkout-2", At: 300 * ms}}
	c.RestartAfter = 80 * ms
	c.DropReplyRate = 0.05
	c.ReplyQueue = Shared
	return c
}

func jsonOf(t *testing.T, c Config) []byte {
	t.Helper()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	j := trace.NewJSON(&b)
	c.Run(c.Common, j)
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSameSeedSameBytes: one seed, one trace, byte for byte; another seed,
// another trace.
func TestSameSeedSameBytes(t *testing.T) {
	for _, mode := range Modes {
		c := busy()
		c.Seed = 7
		if mode == Poll {
			c.Mode, c.ReplyQueue = Poll, PerRequester
		}
		a, b := jsonOf(t, c), jsonOf(t, c)
		if !bytes.Equal(a, b) {
			t.Fatalf("%s: two runs with seed 7 differ", mode)
		}
		c.Seed = 8
		if bytes.Equal(a, jsonOf(t, c)) {
			t.Errorf("%s: seeds 7 and 8 gave the same trace", mode)
		}
		if !bytes.Contains(a, []byte(`"correlation_id":"r1"`)) {
			t.Errorf("%s: the trace carries no correlation ids", mode)
		}
	}
}

// TestMemoryFollowsWhatIsInFlight: once every call has its outcome and its
// messages are settled, neither the checks nor the services nor the
// requesters hold anything of it — not even an idempotent service's
// stored answers, in either mode.
func TestMemoryFollowsWhatIsInFlight(t *testing.T) {
	for _, mode := range Modes {
		c := Default()
		c.Requests, c.Responders, c.Idempotent, c.Mode = 5000, 2, true, mode
		c.Arrival, c.DropReplyRate = sim.Exp(10*ms), 0.01
		c.Crashes, c.RestartAfter = []sim.Crash{{Actor: "stock-1", At: time.Second}}, 150*ms
		r := newRun(c, nil)
		if v := r.finish().Checks[0]; !v.OK {
			t.Fatalf("%s: %s", mode, v.Detail)
		}
		if n, m := len(r.calls.calls), len(r.calls.inflight); n != 0 || m != 0 {
			t.Errorf("%s: the checks still hold %d calls and %d messages after all settled", mode, n, m)
		}
		for _, s := range r.svcs {
			if n := len(s.stored) + len(s.results) + len(s.pending); n != 0 {
				t.Errorf("%s: %s still keeps %d answers, results or counts", mode, s.name, n)
			}
		}
		for _, q := range r.reqs {
			if len(q.ended) > remember {
				t.Errorf("%s: %s remembers %d finished calls, past %d", mode, q.a.Name, len(q.ended), remember)
			}
		}
	}
}

// TestValidateNamesTheFlag: each bad value is refused in one line naming
// its flag.
func TestValidateNamesTheFlag(t *testing.T) {
	for _, tc := range []struct {
		flag string
		set  func(*Config)
	}{
		{"--requests", func(c *Config) { c.Requests = MaxRequests + 1 }},
		{"--requesters", func(c *Config) { c.Requesters = 0 }},
		{"--responders", func(c *Config) { c.Responders = MaxResponders + 1 }},
		{"--retries", func(c *Config) { c.Retries = -1 }},
		{"--retries", func(c *Config) { c.Timeout = 0 }},
		{"--drop-reply-rate", func(c *Config) { c.DropReplyRate = 1 }},
		{"--reply-queue", func(c *Config) { c.ReplyQueue = "mine" }},
		{"--mode", func(c *Config) { c.Mode = "push" }},
		{"--reply-queue shared", func(c *Config) { c.Mode, c.ReplyQueue = Poll, Shared }},
		{"--mode poll", func(c *Config) { c.Mode, c.Timeout, c.Retries = Poll, 0, 0 }},
		{"--slow", func(c *Config) { c.Slow = map[string]float64{"billing": 2} }},
		{"--slow stock", func(c *Config) { c.Slow = map[string]float64{"stock": 0} }},
		{"--crash", func(c *Config) { c.Crashes = []sim.Crash{{Actor: "checkout-3", At: time.Millisecond}} }},
	} {
		c := Default()
		tc.set(&c)
		err := c.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), tc.flag) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v", tc.flag, err)
		}
	}
	if err := Default().Validate(); err != nil {
		t.Errorf("the default is refused: %v", err)
	}
}

// TestARequesterCrashLeavesItsCallersWaiting: what a requester held only in
// memory is gone with it, and the check says which calls.
func TestARequesterCrashLeavesItsCallersWaiting(t *testing.T) {
	c := Default()
	c.Slow = map[string]float64{Pricing: 4}
	c.Crashes = []sim.Crash{{Actor: Checkout, At: 20 * ms}}
	r := c.Run(patterns.Common{Seed: 1}, nil)
	v, _ := r.Verdict("answered-or-failed")
	if v.OK || !strings.Contains(strings.Join(v.Evidence, " "), "asked by checkout") {
		t.Errorf("a crashed requester's calls were not reported: %s %v", v.Detail, v.Evidence)
	}
}
