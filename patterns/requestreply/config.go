// Package requestreply simulates asynchronous request-reply: checkout asks
// the pricing and stock services questions it needs answers to, over
// messaging. A request is a command carrying a correlation id and the
// queue its reply goes to; the requester matches each reply to its request
// by correlation id, times out, retries, and tells its caller the answer or
// the failure. In poll mode the same calls go the HTTP way (202 Accepted,
// then polling a status location).
package requestreply

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// The ceilings of the count flags.
const (
	MaxRequests   = 10_000_000
	MaxRequesters = 64 // --requesters
	MaxResponders = 64 // --responders, per service
	MaxRetries    = 20
)

// The values of --reply-queue.
const (
	PerRequester  = "per-requester"  // each requester instance has its own reply queue
	Shared        = "shared"         // every instance consumes from checkout.replies
	SharedForward = "shared-forward" // shared, and a reply an instance did not ask for is put back
)

// The values of --mode.
const (
	Await = "await" // replies come back on a reply queue
	Poll  = "poll"  // 202 Accepted, then polling a status location
)

// ReplyQueues and Modes list the values of --reply-queue and --mode.
var (
	ReplyQueues = []string{PerRequester, Shared, SharedForward}
	Modes       = []string{Await, Poll}
)

// RetryAfter is how long, in poll mode, the status endpoint tells the
// client to wait before it polls again (the Retry-After header).
const RetryAfter = 10 * time.Millisecond

// Config is one request-reply scenario.
type Config struct {
	patterns.Common

	Requests   int      // calls r1 … rN: odd ones ask pricing, even ones stock
	Requesters int      // checkout instances
	Responders int      // instances of each service
	Work       sim.Dist // a responder's time for one request, reply included
	Arrival    sim.Dist // time between calls; 0 = all at once

	Timeout time.Duration // how long one try waits for its answer; 0 = for ever
	Retries int           // tries after the first, once a try times out

	Crashes      []sim.Crash        // scheduled crashes of requesters or responders
	RestartAfter time.Duration      // how long a crashed actor stays down; 0 = for good
	Slow         map[string]float64 // responder → factor it works slower by

	DropReplyRate float64 // chance a reply (or, polling, a status answer) is lost on the way
	Idempotent    bool    // responders dedupe by request id and replay the stored answer

	ReplyQueue string // per-requester, shared or shared-forward
	Mode       string // await or poll

	bug bug // a planted bug, for the tests of the checks
}

// bug is a mistake the tests plant in the requester or the responder to
// prove the checks catch it.
type bug uint8

const (
	noBug           bug = iota
	bugForgetCaller     // the requester gives a call up without telling its caller
	bugForgetAnswer     // the idempotent responder never stores the answers it gave
	bugMatchOldest      // the requester completes its oldest call with whatever reply comes
)

// Default returns the scenario `msgplay request-reply` runs with no flags.
func Default() Config {
	return Config{
		Common:     patterns.Common{Seed: 1},
		Requests:   4,
		Requesters: 1,
		Responders: 1,
		Work:       sim.Uniform(10*time.Millisecond, 30*time.Millisecond),
		Arrival:    sim.Const(5 * time.Millisecond),
		Timeout:    100 * time.Millisecond,
		Retries:    2,
		ReplyQueue: PerRequester,
		Mode:       Await,
	}
}

// The services checkout asks, and the base name of its instances.
const (
	Pricing  = "pricing"
	Stock    = "stock"
	Checkout = "checkout"
)

// instance names the i-th of n instances of base: base itself when there
// is one, base-i when there are more.
func instance(base string, i, n int) string {
	if n == 1 {
		return base
	}
	return base + "-" + strconv.Itoa(i)
}

// RequesterName returns the name of the i-th checkout instance, from 1.
func (c Config) RequesterName(i int) string { return instance(Checkout, i, c.Requesters) }

// ResponderName returns the name of the i-th instance of service, from 1.
func (c Config) ResponderName(service string, i int) string {
	return instance(service, i, c.Responders)
}

// RequestID returns the correlation id of the n-th call, from 1.
func RequestID(n int) string { return "r" + strconv.Itoa(n) }

// OrderKey returns the business key of the n-th call: each order asks
// pricing, then stock.
func OrderKey(n int) string { return "order-" + strconv.Itoa(1000+(n+1)/2) }

// names lists instance names for error messages: "a, b or c" or "a-1 … a-N".
func names(base string, n int) string {
	if n == 1 {
		return base
	}
	if n == 2 {
		return base + "-1 or " + base + "-2"
	}
	return base + "-1 … " + base + "-" + strconv.Itoa(n)
}

func (c Config) isRequester(name string) bool {
	for i := 1; i <= c.Requesters; i++ {
		if name == c.RequesterName(i) {
			return true
		}
	}
	return false
}

func (c Config) isResponder(name string) bool {
	for i := 1; i <= c.Responders; i++ {
		if name == c.ResponderName(Pricing, i) || name == c.ResponderName(Stock, i) {
			return true
		}
	}
	return false
}

func (c Config) responders() string {
	return names(Pricing, c.Responders) + ", " + names(Stock, c.Responders)
}

// Validate reports the first thing wrong with c, naming the flag.
func (c Config) Validate() error {
	if err := cmp.Or(
		patterns.CheckRange("--requests", c.Requests, 1, MaxRequests),
		patterns.CheckRange("--requesters", c.Requesters, 1, MaxRequesters),
		patterns.CheckRange("--responders", c.Responders, 1, MaxResponders),
		patterns.CheckRange("--retries", c.Retries, 0, MaxRetries),
		patterns.CheckRate("--drop-reply-rate", c.DropReplyRate, patterns.MaxLossRate,
			"past it nearly every answer is lost and each call is a run of timeouts"),
	); err != nil {
		return err
	}
	switch {
	case c.Retries > 0 && c.Timeout == 0:
		return fmt.Errorf("--retries needs a --timeout above 0: a requester that waits for ever never retries")
	case !slices.Contains(ReplyQueues, c.ReplyQueue):
		return fmt.Errorf("--reply-queue: %q is not a reply queue: want %s", c.ReplyQueue, patterns.OrList(ReplyQueues))
	case !slices.Contains(Modes, c.Mode):
		return fmt.Errorf("--mode: %q is not a mode: want await or poll", c.Mode)
	case c.Mode == Poll && c.ReplyQueue != PerRequester:
		return fmt.Errorf("--reply-queue %s needs --mode await: polling uses no reply queue", c.ReplyQueue)
	case c.Mode == Poll && c.Timeout == 0:
		return fmt.Errorf("--mode poll needs a --timeout above 0: a client that polls for ever never stops")
	}
	if err := patterns.CheckSlows(c.Slow, c.Work, c.isResponder, "responder", c.responders()); err != nil {
		return err
	}
	isActor := func(name string) bool { return c.isRequester(name) || c.isResponder(name) }
	if err := patterns.CheckCrashes(c.Crashes, isActor, "actor", names(Checkout, c.Requesters)+", "+c.responders()); err != nil {
		return err
	}
	return nil
}

// Params returns the scenario as the run event shows it.
func (c Config) Params() []trace.Param {
	p := patterns.NewParams(c.Common).Str("mode", c.Mode).Int("requests", c.Requests).
		Int("requesters", c.Requesters).Int("responders", c.Responders).
		Dist("work", c.Work).Dist("arrival", c.Arrival)
	timeout := trace.Param{Name: "timeout", Value: trace.FormatDuration(c.Timeout)}
	if c.Timeout == 0 {
		timeout.Hint = "waits for ever"
	}
	p.Add(timeout).Int("retries", c.Retries)
	if c.Mode == Await {
		p.Str("reply-queue", c.ReplyQueue)
	}
	if c.Idempotent {
		p.Str("idempotent", "true")
	}
	if c.DropReplyRate > 0 {
		p.Float("drop-reply-rate", c.DropReplyRate)
	}
	var slow []string
	for _, name := range slices.Sorted(maps.Keys(c.Slow)) {
		slow = append(slow, name+"="+strconv.FormatFloat(c.Slow[name], 'g', -1, 64))
	}
	p.List("slow", slow).Crashes(c.Crashes)
	if len(c.Crashes) > 0 && c.RestartAfter > 0 {
		p.Dur("restart-after", c.RestartAfter)
	}
	return p.Done()
}

// replyQueueName returns the reply queue of requester name.
func (c Config) replyQueueName(name string) string {
	if c.ReplyQueue != PerRequester {
		return Checkout + ".replies"
	}
	return name + ".replies"
}

// serviceOf returns the service the n-th call asks.
func serviceOf(n int) int { return (n + 1) % 2 }
