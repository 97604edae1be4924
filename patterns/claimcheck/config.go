// Package claimcheck simulates the claim check pattern: a shop sends orders
// whose attachments (invoices, images) may be bigger than the broker takes.
// Sent as they are, the oversized ones are refused and lost. With the claim
// check, the shop puts the attachment in a blob store and sends a small
// message carrying a reference to it (the claim); billing fetches it back.
// The costs and failure modes show too: the store's latency on every
// message, blobs written whose message never went (orphans), and blobs
// deleted by a retention policy before a slow consumer fetched them
// (broken references).
package claimcheck

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Name is the pattern's command name.
const Name = "claim-check"

// The ceilings of the count flags.
const (
	MaxOrders    = 10_000_000
	MaxConsumers = 64
)

// Envelope is what an order message weighs without its attachment: the
// order's fields and the broker's headers. A claim is an envelope with a
// reference in it.
const Envelope = trace.KB

// DefaultMaxMessageSize is Service Bus standard's limit, and SQS's until
// AWS raised it to 1 MiB in 2025.
const DefaultMaxMessageSize = 256 * trace.KB

// SendRetry is how long the shop waits before it tries an order again after
// the broker refused it for being down.
const SendRetry = 50 * time.Millisecond

// The values of --cleanup: who deletes a blob once its order is handled.
const (
	OnAck = "on-ack" // billing deletes it right after acking the order
	TTL   = "ttl"    // nobody: the store's retention (--blob-ttl) deletes it
	Never = "never"  // nobody: it stays for ever
)

// Cleanups lists the values of --cleanup.
var Cleanups = []string{OnAck, TTL, Never}

// The actors and channels.
const (
	Shop  = "shop"        // places the orders
	Queue = "orders"      // the queue they go on
	Store = "attachments" // the blob store (a bucket)
	Bill  = "billing"     // the consumer, or its instances' base name
)

// Config is one claim-check scenario.
type Config struct {
	patterns.Common

	Orders    int      // orders o1 … oN
	Size      SizeDist // each order's attachment
	Arrival   sim.Dist // time between orders
	Work      sim.Dist // billing's time for one order, after any fetch
	Consumers int      // billing instances

	MaxMessageSize int64 // the broker's limit, in bytes; 0 = none

	ClaimCheck   bool          // attachments go to the blob store; the message carries a reference
	Threshold    int64         // with ClaimCheck: only attachments above it go to the store
	StoreLatency sim.Dist      // the time of one put, get or delete
	BlobTTL      time.Duration // the store deletes a blob this long after it was put; 0 = never
	Cleanup      string        // on-ack, ttl or never

	BrokerDown   sim.Window    // the broker refuses every send in this window
	Crashes      []sim.Crash   // scheduled crashes of the shop or billing
	RestartAfter time.Duration // how long a crashed actor stays down; 0 = for good

	bug bug // a planted bug, for the tests of the checks
}

// bug is a mistake the tests plant to prove the checks catch it.
type bug uint8

const (
	noBug          bug = iota
	bugInlineAll       // the shop forgets the claim check and sends every attachment inline
	bugDeleteEarly     // the shop deletes the blob right after sending its claim
)

// Default returns the scenario `msgplay claim-check` runs with no flags.
func Default() Config {
	return Config{
		Common:         patterns.Common{Seed: 1},
		Orders:         6,
		Size:           SizeUniform(10*trace.KB, 600*trace.KB),
		Arrival:        sim.Const(20 * time.Millisecond),
		Work:           sim.Uniform(10*time.Millisecond, 30*time.Millisecond),
		Consumers:      1,
		MaxMessageSize: DefaultMaxMessageSize,
		StoreLatency:   sim.Uniform(5*time.Millisecond, 20*time.Millisecond),
		Cleanup:        OnAck,
	}
}

// ConsumerName returns the name of the i-th billing instance, from 1.
func (c Config) ConsumerName(i int) string {
	if c.Consumers == 1 {
		return Bill
	}
	return Bill + "-" + strconv.Itoa(i)
}

// consumers lists the billing instances for error messages.
func (c Config) consumers() string {
	switch c.Consumers {
	case 1:
		return Bill
	case 2:
		return Bill + "-1 or " + Bill + "-2"
	}
	return Bill + "-1 … " + Bill + "-" + strconv.Itoa(c.Consumers)
}

func (c Config) isActor(name string) bool {
	if name == Shop {
		return true
	}
	for i := 1; i <= c.Consumers; i++ {
		if name == c.ConsumerName(i) {
			return true
		}
	}
	return false
}

// Validate reports the first thing wrong with c, naming the flag.
func (c Config) Validate() error {
	if err := cmp.Or(
		patterns.CheckRange("--orders", c.Orders, 1, MaxOrders),
		patterns.CheckRange("--consumers", c.Consumers, 1, MaxConsumers),
	); err != nil {
		return err
	}
	switch {
	case c.MaxMessageSize < 0 || c.MaxMessageSize > MaxBytes:
		return fmt.Errorf("--max-message-size must be from 0 (no limit) to 1GB (got %d bytes)", c.MaxMessageSize)
	case c.MaxMessageSize > 0 && c.MaxMessageSize < Envelope:
		return fmt.Errorf("--max-message-size must be at least 1KB, the size of an order without its attachment")
	case c.Threshold < 0 || c.Threshold > MaxBytes:
		return fmt.Errorf("--threshold must be from 0 to 1GB (got %d bytes)", c.Threshold)
	case c.Threshold > 0 && !c.ClaimCheck:
		return fmt.Errorf("--threshold needs --claim-check: it says which attachments go to the store")
	case !slices.Contains(Cleanups, c.Cleanup):
		return fmt.Errorf("--cleanup: %q is not a cleanup: want %s", c.Cleanup, patterns.OrList(Cleanups))
	case c.Cleanup == TTL && c.BlobTTL == 0:
		return fmt.Errorf("--cleanup ttl needs a --blob-ttl above 0: the retention is what deletes")
	case c.Cleanup == Never && c.BlobTTL > 0:
		return fmt.Errorf("--cleanup never keeps blobs for ever: drop --blob-ttl, or say --cleanup ttl")
	}
	return patterns.CheckCrashes(c.Crashes, c.isActor, "actor", Shop+" or "+c.consumers())
}

// Params returns the scenario as the run event shows it.
func (c Config) Params() []trace.Param {
	p := patterns.NewParams(c.Common).Int("orders", c.Orders).Str("size", c.Size.String()).
		Dist("arrival", c.Arrival).Dist("work", c.Work).Int("consumers", c.Consumers)
	limit := trace.Param{Name: "max-message-size", Value: ExactBytes(c.MaxMessageSize)}
	if c.MaxMessageSize == 0 {
		limit.Value, limit.Hint = "0", "no limit"
	}
	p.Add(limit)
	if c.ClaimCheck {
		p.Str("claim-check", "true")
		if c.Threshold > 0 {
			p.Str("threshold", ExactBytes(c.Threshold))
		}
		p.Dist("store-latency", c.StoreLatency)
		if c.BlobTTL > 0 {
			p.Dur("blob-ttl", c.BlobTTL)
		}
		p.Str("cleanup", c.Cleanup)
	}
	if c.BrokerDown != (sim.Window{}) {
		p.Str("broker-down", c.BrokerDown.String())
	}
	p.Crashes(c.Crashes)
	if len(c.Crashes) > 0 && c.RestartAfter > 0 {
		p.Dur("restart-after", c.RestartAfter)
	}
	return p.Done()
}

// claims reports whether an attachment of n bytes goes to the store.
func (c Config) claims(n int64) bool { return c.ClaimCheck && n > c.Threshold && c.bug != bugInlineAll }

// OrderID returns the message id of the n-th order, from 1.
func OrderID(n int) string { return "o" + strconv.Itoa(n) }

// BlobKey returns the store key of the n-th order's attachment as written
// by its try-th try: a try after a failed send writes a new blob, as an
// extended client library does (a fresh key per put).
func BlobKey(n, try int) string {
	k := Store + "/o" + strconv.Itoa(n)
	if try > 1 {
		k += "-" + strconv.Itoa(try)
	}
	return k
}
