package pubsub

import (
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
)

func TestDefaultIsValid(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateNamesTheFlag(t *testing.T) {
	ms := time.Millisecond
	eu, _ := broker.ParseFilter("orders.*.eu")
	cases := []struct {
		name string
		edit func(c *Config)
		want string
	}{
		{"events", func(c *Config) { c.Events = 0 }, "--events must be from 1"},
		{"no subscribers", func(c *Config) { c.Subscribers = nil }, "--subscribers needs at least one"},
		{"twice", func(c *Config) { c.Subscribers = []string{"a", "a"} }, "--subscribers: a given twice"},
		{"bad name", func(c *Config) { c.Subscribers = []string{"a/b"} }, `--subscribers: "a/b" is not a usable name`},
		{"publisher name", func(c *Config) { c.Subscribers = []string{Publisher} }, "is not a usable name"},
		{"transient", func(c *Config) { c.Transient = []string{"mail"} },
			`--transient: no subscriber "mail": want inventory, payment, email, shipping or analytics`},
		{"late", func(c *Config) { c.Late = []Late{{"x", ms}} }, `--late: no subscriber "x"`},
		{"late twice", func(c *Config) { c.Late = []Late{{"email", ms}, {"email", 2 * ms}} }, "--late: email given twice"},
		{"offline", func(c *Config) { c.Offline = []Offline{{"x", sim.Window{From: ms, To: 2 * ms}}} }, `--offline: no subscriber "x"`},
		{"offline before late", func(c *Config) {
			c.Late = []Late{{"email", 50 * ms}}
			c.Offline = []Offline{{"email", sim.Window{From: 10 * ms, To: 60 * ms}}}
		}, "--offline email@10ms..60ms: email starts only at 50ms (--late)"},
		{"overlap", func(c *Config) {
			c.Offline = []Offline{{"email", sim.Window{From: 10 * ms, To: 60 * ms}}, {"email", sim.Window{From: 50 * ms, To: 70 * ms}}}
		}, "--offline: the windows 10ms..60ms and 50ms..70ms of email overlap"},
		{"filter", func(c *Config) { c.Filters = []Filter{{"x", eu}} }, `--filter: no subscriber "x"`},
		{"filter twice", func(c *Config) { c.Filters = []Filter{{"shipping", eu}, {"shipping", eu}} }, "--filter: shipping given twice"},
		{"instances", func(c *Config) { c.Instances = map[string]int{"x": 2} }, `--instances: no subscriber "x"`},
		{"instances 0", func(c *Config) { c.Instances = map[string]int{"payment": 0} }, "--instances payment=0: want from 1 to 50"},
		{"slow", func(c *Config) { c.Slow = map[string]float64{"x": 2} }, `--slow: no subscriber "x"`},
		{"fail", func(c *Config) { c.Fail = []string{"x"} }, `--fail: no subscriber "x"`},
		{"rate", func(c *Config) { c.DuplicateRate = 1.5 }, "--duplicate-rate must be from 0 to 0.9"},
		{"mode", func(c *Config) { c.Mode = "rpc" }, `--mode: "rpc" is not a mode`},
		{"transient direct", func(c *Config) { c.Mode = Direct; c.Transient = []string{"email"} },
			"--transient email: subscriptions exist only with --mode events"},
	}
	for _, c := range cases {
		cfg := Default()
		c.edit(&cfg)
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: the error is not one line: %q", c.name, err)
		}
	}
}

func TestTheSameWindowTwiceIsOneWindow(t *testing.T) {
	c := Default()
	w := sim.Window{From: 30 * time.Millisecond, To: 90 * time.Millisecond}
	c.Offline = []Offline{{"email", w}, {"email", w}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	one := c
	one.Offline = c.Offline[:1]
	if a, b := c.Run(c.Common, nil), one.Run(one.Common, nil); a.Total("delivered") != b.Total("delivered") || a.End != b.End {
		t.Error("a repeated window changed the run")
	}
}

func TestInstanceNames(t *testing.T) {
	c := Default()
	c.Instances = map[string]int{"payment": 3, "email": 1}
	if got := strings.Join(c.InstanceNames("payment"), ","); got != "payment-1,payment-2,payment-3" {
		t.Errorf("group: %s", got)
	}
	if got := strings.Join(c.InstanceNames("email"), ","); got != "email" {
		t.Errorf("one instance: %s", got)
	}
}

func TestSubjectsCycleThroughRegions(t *testing.T) {
	want := []string{"orders.placed.eu", "orders.placed.us", "orders.placed.eu", "orders.placed.apac",
		"orders.placed.us", "orders.placed.eu", "orders.placed.eu"}
	for i, w := range want {
		if got := Subject(i + 1); got != w {
			t.Errorf("Subject(%d) = %s, want %s", i+1, got, w)
		}
	}
}
