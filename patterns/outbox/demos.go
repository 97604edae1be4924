package outbox

import (
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// summaryText is the one-line description `msgplay list` shows.
const summaryText = "save an order and announce it: dual write against the outbox"

// aboutText explains the pattern in --help.
const aboutText = `Transactional outbox: the order service must save each change to an order in
its database (orders-db) and tell the inventory service with an event on the
topic "orders": an order is created (OrderCreated), then updated
(OrderUpdated), and the inventory must see them in that order. The database
and the broker cannot share one transaction, so the trace shows the
transaction (begin, commit) and the publish as separate steps, and you see
exactly where a crash falls.

--variant picks how the order service writes its two things:
  dual-write     commit the order, then publish. A crash or a broker outage
                 between the two leaves a zombie record: an order no one
                 downstream ever hears of.
  publish-first  publish inside the open transaction, then commit. If the
                 commit fails or the service crashes first, downstream acts
                 on a ghost message: an order that does not exist.
  outbox         (default) write the order and an outbox row in one local
                 transaction; a relay polls the outbox (--poll-interval,
                 --batch), publishes the oldest rows, then marks them sent.
                 Rows wait out a broker outage and drain in order after it.
                 A relay crash between publishing and marking sent publishes
                 the row again: a duplicate. A relay publishing on several
                 threads (--relay-workers) lets an order's update overtake
                 its creation: per-key order breaks.
--inbox makes the inventory service record handled event ids in the same
transaction as its stock change, so a duplicate is skipped, not applied twice.

Each fault draws from its own random stream: with one seed, --variant
dual-write and --variant outbox meet the same crashes, outages and failed
commits, so they can be compared side by side.`

// demos are the runnable examples of --help, each with a golden test.
var demos = []patterns.Demo{
	{Title: "the default: five orders through the outbox, the relay and the inventory",
		Args: nil},
	{Title: "dual write: the order service crashes after its commit, before publishing (a zombie)",
		Args: []string{"--variant", "dual-write", "--orders", "3", "--crash-rate", "0.5"}},
	{Title: "publish first: the commit fails after the event went out (a ghost)",
		Args: []string{"--variant", "publish-first", "--orders", "3", "--db-fail-rate", "0.5"}},
	{Title: "the outbox rides out a broker outage and drains in order after it",
		Args: []string{"--orders", "6", "--broker-down", "20ms..300ms"}},
	{Title: "a relay crash publishes a row twice, and without an inbox it is applied twice",
		Args: []string{"--orders", "3", "--relay-crash-rate", "0.5"}},
	{Title: "the same relay crash with --inbox: the duplicate is absorbed",
		Args: []string{"--orders", "3", "--relay-crash-rate", "0.5", "--inbox"}},
	{Title: "one seed, one crash rate, three variants: compare the checks (dual write first)",
		Args: []string{"--variant", "dual-write", "--orders", "200", "--crash-rate", "0.05", "--quiet"}},
	{Title: "the same seed and crash rate, publishing first",
		Args: []string{"--variant", "publish-first", "--orders", "200", "--crash-rate", "0.05", "--quiet"}},
	{Title: "the same seed and crash rate, through the outbox",
		Args: []string{"--variant", "outbox", "--orders", "200", "--crash-rate", "0.05", "--quiet"}},
	{Title: "a relay publishing on four threads: an order's update overtakes its creation",
		Args: []string{"--orders", "3", "--relay-workers", "4"}},
}

// Definition is the transactional outbox, as msgplay offers it.
var Definition = patterns.Def[Config]{
	Name:    Name,
	Aliases: []string{"transactional-outbox"},
	Summary: summaryText,
	About:   aboutText,
	Default: Default,
	Demos:   demos,
	Live:    liveMapping,
	Variants: []patterns.Variant[Config]{
		{Name: "dual-write", About: "commit, then publish: a crash or outage between them loses the event (zombie)",
			Apply: func(c *Config) { c.Variant, c.Inbox, c.RelayWorkers = DualWrite, false, 1 }},
		{Name: "publish-first", About: "publish, then commit: a failed commit leaves a ghost event",
			Apply: func(c *Config) { c.Variant, c.Inbox, c.RelayWorkers = PublishFirst, false, 1 }},
		{Name: "parallel-relay", About: "the outbox, its relay publishing on four threads: an update can overtake its creation",
			Guarantees: []string{"no-zombie", "no-ghost"},
			Apply:      func(c *Config) { c.Variant, c.Inbox, c.RelayWorkers = Outbox, false, 4 }},
		{Name: "outbox", About: "order and outbox row in one transaction, a relay publishes: at least once",
			Guarantees: []string{"no-zombie", "no-ghost", "per-key-order"},
			Apply:      func(c *Config) { c.Variant, c.Inbox, c.RelayWorkers = Outbox, false, 1 }},
		{Name: "outbox-inbox", About: "the outbox, and an inbox that absorbs duplicates: exactly one effect",
			Guarantees: []string{"no-zombie", "no-ghost", "per-key-order", "exactly-once-effect"},
			Apply:      func(c *Config) { c.Variant, c.Inbox, c.RelayWorkers = Outbox, true, 1 }},
	},
	Faults: func(c *Config) {
		c.Orders, c.CrashRate, c.DBFailRate, c.RelayCrashRate = 20, 0.05, 0.05, 0.1
	},
	Intro: []patterns.Intro{
		{Kind: trace.Publish, Actor: "relay",
			Why: "The relay publishes what it finds in the outbox table, in commit order, then deletes it: the order and its event were saved in one transaction, so neither exists without the other."},
		{Kind: trace.Publish, Actor: "order-service",
			Why: "The service commits the order, then publishes the event itself: two writes to two systems, and nothing makes both happen if it crashes or the broker is down in between."},
	},
	Tour: &patterns.Chapter{
		Title:  "three orders saved while the broker is down from 20ms to 300ms",
		Args:   []string{"--orders", "3", "--broker-down", "20ms..300ms"},
		Broken: "dual-write", Fixed: "outbox",
	},
}
