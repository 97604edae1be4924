package cmd

import (
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/requestreply"
)

func bindRequestReply(f *pflag.FlagSet, c *requestreply.Config) func() error {
	f.Var(count(&c.Requests, 1, requestreply.MaxRequests), "requests", "number of calls: odd ones ask pricing, even ones stock"+most(requestreply.MaxRequests))
	f.Var(count(&c.Requesters, 1, requestreply.MaxRequesters), "requesters", "checkout instances making the calls"+most(requestreply.MaxRequesters))
	f.Var(count(&c.Responders, 1, requestreply.MaxResponders), "responders", "instances of each service"+most(requestreply.MaxResponders))
	f.Var(distValue{&c.Work}, "work", "a responder's time for one request, reply included: 20ms, 10ms..30ms or exp:20ms")
	f.Var(distValue{&c.Arrival}, "arrival", "time between calls (0 = all at once): 20ms, 10ms..30ms or exp:20ms")
	f.Var(durationValue{d: &c.Timeout}, "timeout", "how long one try waits for its answer (0 = for ever)")
	f.Var(count(&c.Retries, 0, requestreply.MaxRetries), "retries", "tries after the first, once a try times out"+most(requestreply.MaxRetries))
	f.Var(crashes(&c.Crashes), "crash", "crash a requester or a responder at a virtual time, as stock@20ms (repeatable)")
	f.Var(durationValue{d: &c.RestartAfter}, "restart-after", "how long a crashed actor stays down (0 = for good)")
	f.Var(factors(&c.Slow, "stock=8"), "slow", "make a responder FACTOR times slower, as stock=8 (repeatable)")
	f.Var(probValue{&c.DropReplyRate, "from 0 to " + formatFloat(patterns.MaxLossRate)}, "drop-reply-rate", "the chance a reply (polling: a status answer) is lost on the way, at most "+formatFloat(patterns.MaxLossRate))
	f.BoolVar(&c.Idempotent, "idempotent", c.Idempotent, "responders keep each answer by request id and replay it to a repeat")
	f.Var(choice(&c.ReplyQueue, "a reply queue", requestreply.ReplyQueues...), "reply-queue",
		"per-requester (each instance its own) or shared (one queue, competing instances)")
	f.Var(choice(&c.Mode, "a mode", requestreply.Modes...), "mode", "await (replies on a reply queue) or poll (202 Accepted, then polling)")
	return nil
}
