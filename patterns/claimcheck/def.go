package claimcheck

import (
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Definition is the claim-check pattern as msgplay offers it.
var Definition = patterns.Def[Config]{
	Name:    Name,
	Aliases: []string{"claimcheck"},
	Summary: "big attachments to a blob store, only a reference through the broker",
	About:   about,
	Default: Default,
	Demos:   demos,
	Variants: []patterns.Variant[Config]{
		{Name: "inline", About: "every attachment inside its message: the broker refuses the big ones",
			Guarantees: []string{"no-dangling-refs"},
			Apply:      func(c *Config) { c.ClaimCheck, c.Threshold = false, 0 }},
		{Name: "claim-check-ttl", About: "claim check, cleaned up by a retention shorter than a slow consumer",
			Guarantees: []string{"no-size-loss"},
			Apply: func(c *Config) {
				c.ClaimCheck, c.Threshold, c.Cleanup = true, 0, TTL
				if c.BlobTTL == 0 {
					c.BlobTTL = 100 * time.Millisecond
				}
			}},
		{Name: "claim-check", About: "every attachment to the blob store; billing deletes it once done",
			Guarantees: []string{"no-size-loss", "no-dangling-refs"},
			Apply:      func(c *Config) { c.ClaimCheck, c.Threshold, c.Cleanup, c.BlobTTL = true, 0, OnAck, 0 }},
		{Name: "threshold", About: "only attachments above 200KB to the store; small ones inline",
			Guarantees: []string{"no-size-loss", "no-dangling-refs"},
			Apply: func(c *Config) {
				c.ClaimCheck, c.Cleanup, c.BlobTTL = true, OnAck, 0
				if c.Threshold == 0 {
					c.Threshold = 200 * trace.KB
				}
			}},
	},
	Faults: func(c *Config) {
		c.Orders = 8
		c.Size = SizeUniform(10*trace.KB, trace.MB)
		c.BrokerDown = sim.Window{From: 50 * time.Millisecond, To: 90 * time.Millisecond}
		c.Crashes = []sim.Crash{{Actor: c.ConsumerName(1), At: 60 * time.Millisecond}}
		c.RestartAfter = 150 * time.Millisecond
	},
	Tour: &patterns.Chapter{
		Title:  "three orders with attachments of 10KB to 1MB, against the broker's 256KB limit",
		Args:   []string{"--orders", "3", "--size", "10KB..1MB"},
		Broken: "inline",
		Fixed:  "claim-check",
	},
}

const about = `Claim check: the shop sends orders (PlaceOrder, cmd ▶) to billing through
the orders queue, each with an attachment — an invoice, an image — of
--size. A broker caps one message (--max-message-size: 256KB on Service Bus
standard and on SQS until 2025, 1MB on SQS since; up to 100MB on Service
Bus premium; 1MB by default on NATS and Kafka): an order above it is
refused at the door (∅ drop, with the reason) and lost.

With --claim-check the shop first puts the attachment in a blob store
(attachments, a bucket: each put, get and delete takes --store-latency) and
sends a small message carrying a reference to it, the claim; billing
fetches the blob back before it works. Under --threshold an attachment
travels inline, above it by claim check. What the pattern costs, and how
it goes wrong:
  - a put before every send and a get before every bill: more latency;
  - the blob written but the send failed (--broker-down, or the shop
    crashing between the put and the send): the shop tries again with a
    new blob, and the first stays in the store with nothing referring to
    it, an orphan;
  - a retention (--blob-ttl) that deletes a blob before a slow or
    redelivered consumer fetches it: a broken reference, dead-lettered
    with the reason;
  - --cleanup: billing deletes the blob once it acked (on-ack), the
    retention does (ttl), or nobody does (never: every blob an orphan).
Checks: no order lost to the size limit; no blob deleted while its order
was in flight. Figures: orphaned blobs at the end, and the bytes through
the broker and through the store against what the broker would carry
with every attachment inline; the latency from order to bill by path.`

var demos = []patterns.Demo{
	{Title: "attachments up to 600KB, sent inline: the broker refuses the big ones", Args: nil},
	{Title: "the claim check carries them: the blob store holds the attachments",
		Args: []string{"--claim-check"}},
	{Title: "a retention shorter than a slow consumer: references break, orders dead-lettered",
		Args: []string{"--claim-check", "--cleanup", "ttl", "--blob-ttl", "150ms", "--work", "60ms"}},
	{Title: "nobody cleans up: every blob is left behind as an orphan",
		Args: []string{"--claim-check", "--cleanup", "never"}},
	{Title: "mixed: only attachments above 200KB go to the store",
		Args: []string{"--claim-check", "--threshold", "200KB"}},
	{Title: "the broker is down after a put: the shop tries again, the first blob is orphaned",
		Args: []string{"--claim-check", "--broker-down", "30ms..90ms"}},
	{Title: "ten thousand orders, exp:120KB, mixed mode: only the summary",
		Args: []string{"--orders", "10000", "--size", "exp:120KB", "--arrival", "exp:5ms", "--work", "exp:3ms", "--consumers", "4",
			"--claim-check", "--threshold", "64KB", "--quiet"}},
}
