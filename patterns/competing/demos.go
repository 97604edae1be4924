package competing

import (
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// summaryText is the one-line description `msgplay list` shows.
const summaryText = "workers share one queue; each order goes to exactly one of them"

// aboutText explains the pattern in --help.
const aboutText = `Competing consumers: a producer sends PlaceOrder commands to the queue
"orders", and the workers worker-1 … worker-N compete for them. Each message
goes to one worker at a time; the worker handles it, then acks it.

What can go wrong, and what the broker does about it:
  - a worker crashes before acking: after the visibility timeout the
    message is visible again and goes to another worker (never sooner);
  - with --ack auto the broker forgets a message the moment it delivers it,
    so a crash loses what the worker held (shown as drop);
  - a message that always fails is redelivered until --max-deliveries,
    then moved to the dead-letter queue orders.dlq;
  - a visibility timeout shorter than the work makes the broker hand the
    message to a second worker while the first still works on it: both
    apply its effect, and the first one's late ack is refused;
  - --prefetch 0 (unlimited) lets a slow worker hoard messages while the
    others idle;
  - --crash-rate P crashes a worker halfway through a delivery with chance
    P, and --restart-after brings it back: each worker draws from a fault
    stream of its own, one draw per delivery, so auto and manual ack meet
    the same crashes (its n-th delivery crashes in both or in neither).
A visibility timeout of 0 behaves as RabbitMQ does: no timeout, and a dead
worker's unacked messages come back the moment its connection closes.`

// demos are the runnable examples of --help, each with a golden test.
var demos = []patterns.Demo{
	{Title: "the default: twelve orders spread fairly over three workers", Args: nil},
	{Title: "worker-2 crashes before acking; its order returns after the visibility timeout",
		Args: []string{"--messages", "6", "--crash", "worker-2@30ms"}},
	{Title: "auto-ack and a crash: the orders worker-2 held are lost",
		Args: []string{"--messages", "6", "--ack", "auto", "--crash", "worker-2@30ms"}},
	{Title: "a poison message fails every time and ends in the dead-letter queue",
		Args: []string{"--messages", "4", "--poison", "m2", "--max-deliveries", "3"}},
	{Title: "a slow worker with unlimited prefetch hoards orders while the others idle",
		Args: []string{"--slow", "worker-1=6", "--prefetch", "0", "--visibility-timeout", "5s", "--quiet"}},
	{Title: "the same slow worker with prefetch 1: the others take up the slack",
		Args: []string{"--slow", "worker-1=6", "--prefetch", "1", "--visibility-timeout", "5s", "--quiet"}},
	{Title: "a visibility timeout shorter than the work: orders handled twice",
		Args: []string{"--messages", "4", "--visibility-timeout", "45ms"}},
	{Title: "random crashes, one delivery in five: each order a crashed worker held comes back",
		Args: []string{"--crash-rate", "0.2", "--restart-after", "100ms"}},
}

// Definition is the competing-consumers pattern, as msgplay offers it.
var Definition = patterns.Def[Config]{
	Name:    Name,
	Aliases: []string{"competing-consumers"},
	Summary: summaryText,
	About:   aboutText,
	Default: Default,
	Demos:   demos,
	Variants: []patterns.Variant[Config]{
		{Name: "auto-ack", About: "the broker forgets a message once delivered: a crash loses it",
			Apply: func(c *Config) { c.Ack = broker.AutoAck }},
		{Name: "manual-ack", About: "the worker acks after its work: a crash only delays the message",
			Guarantees: []string{"no-loss"},
			Apply:      func(c *Config) { c.Ack = broker.ManualAck }},
	},
	Faults: func(c *Config) {
		c.CrashRate, c.RestartAfter = 0.1, 200*time.Millisecond
	},
	Intro: []patterns.Intro{
		{Kind: trace.Handle,
			Why: "Competing consumers: the broker hands each order to one worker only, and the next one to whichever worker is free first, so the workers share the work without coordinating."},
	},
	Tour: &patterns.Chapter{
		Title:  "six orders, and worker-2 crashes at 30ms while it holds two of them",
		Args:   demos[1].Args,
		Broken: "auto-ack", Fixed: "manual-ack",
	},
	Live: liveMapping,
}

// liveMapping is how competing runs on NATS JetStream with --live.
const liveMapping = `  queue               a work-queue stream and one durable pull consumer shared by the workers
                      (JetStream refuses several unfiltered consumers on a work-queue stream)
  worker              a NATS connection of its own; a crash closes it
  prefetch            each worker's fetch batch (MaxAckPending would cap the whole consumer)
  visibility timeout  AckWait (0, back when the connection closes, has no equivalent)
  max deliveries      MaxDeliver; the max-deliveries advisory is republished, with its reason,
                      to a dead-letter stream (JetStream has no dead-letter queue)
  nack                Nak (without requeue: Term and the same republish)
  auto ack            AckNone, on a limits stream (JetStream refuses it on a work queue)
  delivery count      Metadata().NumDelivered
  message id          the Nats-Msg-Id header`
