package requestreply

import (
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Definition is the request-reply pattern as msgplay offers it.
var Definition = patterns.Def[Config]{
	Name:    Name,
	Aliases: []string{"rpc", "requestreply"},
	Summary: "checkout asks pricing and stock, and matches each answer to its question",
	About:   about,
	Default: Default,
	Demos:   demos,
	Variants: []patterns.Variant[Config]{
		{Name: "wait-forever", About: "no timeout: a lost reply leaves the caller waiting for ever",
			Guarantees: []string{"replies-to-caller"},
			Apply: func(c *Config) {
				c.Timeout, c.Retries, c.Idempotent, c.ReplyQueue, c.Mode = 0, 0, false, PerRequester, Await
			}},
		{Name: "retry", About: "timeouts and retries, but a retry makes the service do the work again",
			Guarantees: []string{"answered-or-failed", "replies-to-caller"},
			Apply:      func(c *Config) { retrying(c); c.Idempotent = false }},
		{Name: "shared-reply-queue", About: "instances share one reply queue: replies reach the wrong one",
			Guarantees: []string{"answered-or-failed", "no-duplicate-effects"},
			Apply: func(c *Config) {
				retrying(c)
				c.Idempotent, c.ReplyQueue, c.Requesters = true, Shared, max(c.Requesters, 2)
			}},
		{Name: "shared-forward", About: "a shared reply queue whose instances put back what they did not ask",
			Guarantees: []string{"answered-or-failed", "no-duplicate-effects", "replies-to-caller"},
			Apply: func(c *Config) {
				retrying(c)
				c.Idempotent, c.ReplyQueue, c.Requesters = true, SharedForward, max(c.Requesters, 2)
			}},
		{Name: "idempotent", About: "retries, and the service replays its stored answer to a repeat",
			Guarantees: []string{"answered-or-failed", "no-duplicate-effects", "replies-to-caller"},
			Apply:      func(c *Config) { retrying(c); c.Idempotent = true }},
		{Name: "poll", About: "202 Accepted and a status location to poll, with an idempotent service",
			Guarantees: []string{"answered-or-failed", "no-duplicate-effects", "replies-to-caller"},
			Apply: func(c *Config) {
				retrying(c)
				c.Idempotent, c.ReplyQueue, c.Mode = true, PerRequester, Poll
			}},
	},
	Faults: func(c *Config) {
		c.Requests = 6
		c.Crashes = []sim.Crash{{Actor: c.ResponderName(Stock, 1), At: 15 * time.Millisecond}}
		c.RestartAfter = 50 * time.Millisecond
		c.DropReplyRate = 0.1
	},
	Intro: []patterns.Intro{
		{Kind: trace.Send,
			Why: "A request names the queue its reply must go to and carries a correlation id: the answer comes back on that queue and is matched to its question by the id, whatever the order answers arrive in."},
	},
	Tour: &patterns.Chapter{
		Title:  "the stock service crashes after reserving, before it replies",
		Args:   []string{"--requests", "2", "--work", "20ms", "--crash", "stock@20ms", "--restart-after", "150ms"},
		Broken: "retry",
		Fixed:  "idempotent",
	},
}

// retrying gives the requester a timeout and retries, keeping the user's
// when there are some, with per-requester reply queues.
func retrying(c *Config) {
	if c.Timeout == 0 {
		c.Timeout = Default().Timeout
	}
	c.Retries = max(c.Retries, 1)
	c.ReplyQueue, c.Mode = PerRequester, Await
}

const about = `Async request-reply: checkout asks the pricing and stock services questions
it needs answers to, over messaging. Each call is a command (cmd, ▶) with a
correlation id (r3) and a reply-to address: the requester's own reply queue
(checkout.replies), or one queue its instances share. The service does the
work — its effect, a quote or a stock reservation, lands halfway through —
and replies (rep, ◀) to the reply-to queue with the same correlation id;
the requester matches the reply to the call waiting for it and says so.

What can go wrong, and what the requester and the service do about it:
  - no answer within --timeout: the requester sends the request again
    (--retries), with the same correlation id, then gives up and tells its
    caller the call failed; a reply that comes later is discarded;
  - a responder crashes after doing the work but before replying: the
    broker redelivers the request, the requester retries, and the work is
    done twice — unless the service is --idempotent: it keeps each answer
    under the request id and replays it to a repeat;
  - --drop-reply-rate loses replies on the way: only the timeout notices;
  - --reply-queue shared with several --requesters: the broker hands a
    reply to whichever instance is free, which did not ask and drops it;
    shared-forward puts such a reply back (nack) for the other instances;
  - --mode poll is the HTTP way (Azure's Async Request-Reply): the service
    answers 202 Accepted with a status location, the client polls it every
    Retry-After (10ms), then fetches the result.
Odd calls ask pricing (QuotePrice), even ones stock (ReserveStock); each
order asks both. Checks: every call answered or reported failed; no
request's work done twice; every reply reached the caller that asked; the
latency from request to answer, p50/p95/p99.`

var demos = []patterns.Demo{
	{Title: "the happy path: four calls, each reply matched to its request", Args: nil},
	{Title: "a slow stock service: calls time out, their late replies are discarded",
		Args: []string{"--slow", "stock=8", "--retries", "0"}},
	{Title: "stock crashes after reserving, before replying: retried, the work is done again",
		Args: []string{"--requests", "2", "--work", "20ms", "--crash", "stock@20ms", "--restart-after", "150ms"}},
	{Title: "the same crash with an idempotent service: the repeat gets the stored answer",
		Args: []string{"--requests", "2", "--work", "20ms", "--crash", "stock@20ms", "--restart-after", "150ms",
			"--idempotent"}},
	{Title: "two instances share one reply queue: replies reach the wrong one and are lost",
		Args: []string{"--requesters", "2", "--reply-queue", "shared", "--requests", "6", "--idempotent"}},
	{Title: "the same, forwarded: an instance puts back a reply it did not ask for",
		Args: []string{"--requesters", "2", "--reply-queue", "shared-forward", "--requests", "6", "--idempotent"}},
	{Title: "no timeout and a lost reply: the caller waits for ever",
		Args: []string{"--timeout", "0", "--retries", "0", "--drop-reply-rate", "0.3"}},
	{Title: "poll mode: 202 Accepted, a status location to poll, then the result",
		Args: []string{"--mode", "poll", "--requests", "2"}},
	{Title: "a thousand calls over two instances of each service: only the summary",
		Args: []string{"--requests", "1000", "--responders", "2", "--arrival", "exp:8ms", "--idempotent",
			"--drop-reply-rate", "0.01", "--quiet"}},
}
