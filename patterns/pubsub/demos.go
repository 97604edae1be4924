package pubsub

import "github.com/msgplay/msgplay/patterns"

// Summary is the one-line description `msgplay list` shows.
const Summary = "one event, a copy for each subscriber: durable, transient, filtered"

// About explains the pattern in --help.
const About = `Publish/subscribe: the order service publishes OrderPlaced events to the
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
  - a consumer group (--instances NAME=N): NAME-1 … NAME-N compete for its
    copies, so each event is handled once by the group.
An offline window is modelled as the subscriber crashing at FROM and starting
again at TO: its connection closes and its unacked delivery comes back.

Delivery is at least once: --duplicate-rate P loses acks, so the broker
delivers a copy again; --idempotent makes subscribers remember what they
handled and skip repeats. A handler that fails (--fail NAME) is retried 3
times, then its copy goes to that subscriber's dead-letter queue.

--mode direct is what pub/sub replaces: the order service sends a command to
each service in turn and waits for its reply. One slow, offline or failing
service then holds up or fails every order; with events the order is done
once published and only that subscriber lags.`

// Demos are the runnable examples of --help, each with a golden test.
var Demos = []patterns.Demo{
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

// Variants are the broken and the fixed ways to subscribe, for `msgplay
// check`.
var Variants = []patterns.ArgsVariant{
	{Name: "transient", Args: []string{"--transient", "email", "--offline", "email@30ms..90ms"},
		About: "email's subscription lives only while it is connected: it misses what comes while it is away"},
	{Name: "durable", Args: []string{"--offline", "email@30ms..90ms"},
		About:      "email's subscription is durable: it gets every event, late",
		Guarantees: []string{"every-event-delivered"}},
	{Name: "duplicates", Args: []string{"--duplicate-rate", "0.2"},
		About:      "lost acks: copies are delivered again and handled twice",
		Guarantees: []string{"every-event-delivered"}},
	{Name: "idempotent", Args: []string{"--duplicate-rate", "0.2", "--idempotent"},
		About:      "lost acks, but subscribers skip what they already handled",
		Guarantees: []string{"every-event-delivered", "no-duplicate-effects"}},
	{Name: "direct", Args: []string{"--mode", "direct", "--slow", "analytics=8"},
		About: "commands in turn: one slow service holds up every order"},
	{Name: "events", Args: []string{"--mode", "events", "--slow", "analytics=8"},
		About:      "events: the order is done once published; only analytics lags",
		Guarantees: []string{"no-order-held-up", "every-event-delivered"}},
}
