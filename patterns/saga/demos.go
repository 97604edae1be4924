package saga

import (
	"maps"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// summaryText is the one-line description `msgplay list` shows.
const summaryText = "an order across payment, inventory and shipping; failures undone"

// aboutText explains the pattern in --help.
const aboutText = `Saga: the shop sends PlaceOrder; the order is created PENDING, then
payment (AuthorizePayment), inventory (ReserveInventory) and shipping
(CreateShipment, the pivot) each take a step in a local transaction of
their own database. All done: the order is APPROVED. A step fails: the
steps already done are compensated in reverse (ReleaseInventory,
VoidPayment) and the order is REJECTED. There is no rollback across
services, only compensating transactions.

Two styles (--style):
  - orchestration: the orchestrator sends commands (cmd) to each service's
    queue and handles their replies (rep) on its queue replies. It keeps
    each saga's pending step in orchestrator-db, so after a crash and a
    restart it resumes where it was. A step without a reply in --timeout is
    sent again (--retries), then compensated;
  - choreography: no one is in charge. Each service publishes events (evt)
    on its topic and reacts to the others'; failure news travels back
    upstream and triggers the compensations.
Delivery is at least once (--duplicate-rate): every step and compensation
recognises a repeat from what its database holds and skips it. A failing
compensation (--fail-compensation) is retried, never skipped. The units a
PENDING order holds are locked (a semantic lock), so sagas racing for the
last units never drive stock below zero.

--naive makes the same calls without a saga: no compensations and no
persisted progress. A failure leaves a customer charged for an order never
shipped and stock held for ever; a crash leaves orders PENDING. The checks
show it with the order ids.`

// demos are the runnable examples of --help, each with a golden test.
var demos = []patterns.Demo{
	{Title: "the happy path, orchestrated: commands to services, replies back", Args: nil},
	{Title: "the happy path, choreographed: events on topics, no one in charge",
		Args: []string{"--style", "choreography"}},
	{Title: "inventory rejects the order: the payment is voided, the order REJECTED",
		Args: []string{"--fail", "inventory"}},
	{Title: "the same failure, choreographed: InventoryRejected makes payment void",
		Args: []string{"--style", "choreography", "--fail", "inventory"}},
	{Title: "inventory answers too late: one retry, then it and payment are compensated",
		Args: []string{"--slow", "inventory=10", "--timeout", "100ms", "--retries", "1"}},
	{Title: "shipping, the pivot, answers too late: asked again until it answers, never compensated",
		Args: []string{"--slow", "shipping=10", "--timeout", "100ms", "--retries", "1"}},
	{Title: "the orchestrator crashes mid-saga and resumes from its database",
		Args: []string{"--crash", "orchestrator@30ms", "--restart-after", "100ms"}},
	{Title: "VoidPayment fails twice: it is retried, never skipped",
		Args: []string{"--fail", "shipping", "--fail-compensation", "payment=2"}},
	{Title: "shipping fails with a saga: everything done before it is undone",
		Args: []string{"--fail", "shipping"}},
	{Title: "the same failure without a saga: charged, never shipped, stock held",
		Args: []string{"--fail", "shipping", "--naive"}},
	{Title: "without a saga a crash forgets the order: PENDING for ever",
		Args: []string{"--crash", "orchestrator@30ms", "--restart-after", "100ms", "--naive"}},
	{Title: "five orders race for three units: the last two are rejected, stock never negative",
		Args: []string{"--orders", "5", "--stock", "3"}},
	{Title: "lost acks deliver messages twice; every step skips the repeat",
		Args: []string{"--orders", "2", "--duplicate-rate", "0.3"}},
	{Title: "a thousand orders with random failures: only the summary",
		Args: []string{"--orders", "1000", "--arrival", "exp:40ms", "--fail-rate", "payment=0.1",
			"--fail-rate", "shipping=0.1", "--quiet"}},
}

// Definition is the saga pattern, as msgplay offers it.
var Definition = patterns.Def[Config]{
	Name:    Name,
	Summary: summaryText,
	About:   aboutText,
	Default: Default,
	Demos:   demos,
	Variants: []patterns.Variant[Config]{
		{Name: "naive", About: "the same calls without a saga: no compensations, progress only in memory",
			Apply: func(c *Config) { c.Naive = true }},
		{Name: "orchestration", About: "an orchestrator with persisted saga state sends commands and compensates",
			Guarantees: guarantees,
			Apply:      func(c *Config) { c.Style, c.Naive = Orchestration, false }},
		{Name: "choreography", About: "services react to each other's events; failure events trigger compensations",
			Guarantees: guarantees,
			Apply:      func(c *Config) { c.Style, c.Naive = Choreography, false }},
	},
	Faults: func(c *Config) {
		c.Orders = 3
		c.FailRate = maps.Clone(c.FailRate)
		if c.FailRate == nil {
			c.FailRate = map[string]float64{}
		}
		c.FailRate[steps[Shipping].name] = 0.3
		c.DuplicateRate = 0.1
	},
	Intro: []patterns.Intro{
		{Kind: trace.Send, Actor: "orchestrator",
			Why: "The orchestrator drives the saga one step at a time: each command waits for its reply before the next step goes out, and a refusal is answered by undoing the steps already done."},
	},
	Tour: &patterns.Chapter{
		Title:  "inventory rejects the order after the payment was authorized",
		Args:   demos[2].Args,
		Broken: "naive", Fixed: "orchestration",
	},
}

// guarantees are the checks a saga holds in every run, in either style.
var guarantees = []string{"saga-atomic", "no-orphan-holds", "compensate-once", "no-duplicate-effects"}
