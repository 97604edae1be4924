package pubsub

import (
	"maps"
	"slices"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// summaryText is the one-line description `msgplay list` shows.
const summaryText = "one event, a copy for each subscriber: durable, transient, filtered"

// aboutText explains the pattern in --help.
const aboutText = `Publish/subscribe: the order service publishes OrderPlaced events to the
topic "orders" and knows none of its subscribers. Each subscriber (inventory,
payment, email, shipping, analytics) has its own subscription — a queue
called orders/NAME, with its own dead-letter queue orders/NAME.dlq — and gets
its own copy of every event its filter takes.

What a subscription can be:
  - durable (the default): declared with the system, it keeps the events
    published while its subscriber is away or not yet started, and delivers
    the backlog when the subscriber comes;
  - transient (--transient NAME): it exists only while its subscriber is
    connected; events published before it joined (--late) or while it was
    offline (--offline) are lost to it, shown as drop;
  - filtered (--filter NAME=PATTERN): it takes only the subjects that match,
    such as orders.*.eu (* one token, > the rest, # any number of tokens);
  - competing instances (--instances NAME=N): NAME-1 … NAME-N take turns at
    its copies on one subscription, so each event is handled once by them
    (not Kafka's partitioned consumer group).
An offline window is modelled as the subscriber crashing at FROM, all its
instances at once, and starting again at TO: its connections close and its
unacked deliveries come back.

Delivery is at least once: --duplicate-rate P loses acks, so the broker
delivers a copy again; --idempotent makes subscribers remember what they
handled and skip repeats. A handler that fails (--fail NAME) gets 3
deliveries in all, then its copy goes to that subscriber's dead-letter queue.

--mode direct is what pub/sub replaces: the order service sends a command to
each service in turn and waits for its reply. One slow, offline or failing
service then holds up or fails every order; with events the order is done
once published and only that subscriber lags.`

// demos are the runnable examples of --help, each with a golden test.
var demos = []patterns.Demo{
	{Title: "the default: six orders fanned out to five subscribers", Args: nil},
	{Title: "a late transient email misses the early orders; analytics, durable, gets the backlog",
		Args: []string{"--subscribers", "inventory,email,analytics", "--transient", "email",
			"--late", "email@50ms", "--late", "analytics@50ms"}},
	{Title: "email is offline for a while; its durable subscription keeps the events for it",
		Args: []string{"--subscribers", "inventory,email", "--offline", "email@30ms..90ms"}},
	{Title: "the same window on a transient subscription: the events published meanwhile are lost",
		Args: []string{"--subscribers", "inventory,email", "--offline", "email@30ms..90ms", "--transient", "email"}},
	{Title: "a slow analytics subscriber: its backlog grows while the others keep up",
		Args: []string{"--events", "40", "--slow", "analytics=4", "--quiet"}},
	{Title: "shipping takes only EU orders",
		Args: []string{"--subscribers", "inventory,shipping", "--filter", "shipping=orders.*.eu"}},
	{Title: "a payment group of three instances sharing one subscription",
		Args: []string{"--subscribers", "payment,email", "--instances", "payment=3", "--arrival", "5ms"}},
	{Title: "lost acks: the broker delivers copies again and payment charges twice",
		Args: []string{"--subscribers", "payment", "--events", "8", "--duplicate-rate", "0.5"}},
	{Title: "the same lost acks with --idempotent: repeats are recognised and skipped",
		Args: []string{"--subscribers", "payment", "--events", "8", "--duplicate-rate", "0.5", "--idempotent"}},
	{Title: "events: payment fails, its copies go to its dead-letter queue, every order still completes",
		Args: []string{"--events", "3", "--subscribers", "inventory,payment,email", "--fail", "payment"}},
	{Title: "direct commands: the same failing payment fails every order",
		Args: []string{"--events", "3", "--subscribers", "inventory,payment,email", "--fail", "payment",
			"--mode", "direct"}},
}

// Definition is publish/subscribe, as msgplay offers it.
var Definition = patterns.Def[Config]{
	Name:    Name,
	Aliases: []string{"pub-sub"},
	Summary: summaryText,
	About:   aboutText,
	Default: Default,
	Demos:   demos,
	Variants: []patterns.Variant[Config]{
		{Name: "transient", About: "email's subscription lives only while it is connected: it misses what comes while it is away",
			Apply: func(c *Config) {
				c.Transient = addOnce(c.Transient, "email")
				c.Offline = addOnce(c.Offline, emailAway)
			}},
		{Name: "durable", About: "email's subscription is durable: it gets every event, late",
			Guarantees: []string{"every-event-delivered"},
			Apply:      func(c *Config) { c.Offline = addOnce(c.Offline, emailAway) }},
		{Name: "duplicates", About: "lost acks: copies are delivered again and handled twice",
			Guarantees: []string{"every-event-delivered"},
			Apply:      func(c *Config) { c.DuplicateRate = 0.2 }},
		{Name: "idempotent", About: "lost acks, but subscribers skip what they already handled",
			Guarantees: []string{"every-event-delivered", "no-duplicate-effects"},
			Apply:      func(c *Config) { c.DuplicateRate, c.Idempotent = 0.2, true }},
		{Name: "direct", About: "commands in turn: one slow service holds up every order",
			Apply: func(c *Config) { c.Mode, c.Slow = Direct, slowAnalytics(c.Slow) }},
		{Name: "events", About: "events: the order is done once published; only analytics lags",
			Guarantees: []string{"no-order-held-up", "every-event-delivered"},
			Apply:      func(c *Config) { c.Mode, c.Slow = Events, slowAnalytics(c.Slow) }},
	},
	Faults: func(c *Config) {
		c.DuplicateRate = 0.2
		c.Offline = addOnce(c.Offline, emailAway)
	},
	Intro: []patterns.Intro{
		{Kind: trace.Send,
			Why: "The topic puts a copy of the event on every subscription's queue: each subscriber gets its own copy and takes it at its own pace, and the publisher waits for none of them."},
	},
	Tour: &patterns.Chapter{
		Title:  "three orders fanned out to inventory and email; email is offline from 30ms to 90ms",
		Args:   []string{"--events", "3", "--subscribers", "inventory,email"},
		Broken: "transient", Fixed: "durable",
	},
	Live: liveMapping,
}

// emailAway is the window the variants and the faults take email offline.
var emailAway = Offline{Name: "email", Window: sim.Window{From: 30 * time.Millisecond, To: 90 * time.Millisecond}}

// addOnce returns list with x at its end, unless it holds x already; it
// never writes into list's array, which other configs may share.
func addOnce[T comparable](list []T, x T) []T {
	if slices.Contains(list, x) {
		return list
	}
	return append(slices.Clip(list), x)
}

// slowAnalytics returns a copy of slow with analytics eight times slower.
func slowAnalytics(slow map[string]float64) map[string]float64 {
	slow = maps.Clone(slow)
	if slow == nil {
		slow = map[string]float64{}
	}
	slow["analytics"] = 8
	return slow
}
