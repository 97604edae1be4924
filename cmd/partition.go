package cmd

import (
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/patterns/partition"
)

func bindPartition(f *pflag.FlagSet, c *partition.Config) func() error {
	f.Var(choice(&c.Mode, "a mode", partition.Modes...), "mode", "cp, ap, pause-minority or autoheal")
	f.Var(choice(&c.Reconcile, "a way to reconcile", partition.Reconciles...), "reconcile",
		"ap: on heal, last-writer-wins (discard the other side's orders) or merge (keep both)")
	f.Var(count(&c.Nodes, 3, partition.MaxNodes), "nodes", "broker nodes holding the order log"+most(partition.MaxNodes))
	f.Var(countTo(&c.SiteA, 1, "--nodes minus 1"), "site-a", "how many nodes (the first ones) are in site A, 1 to --nodes minus 1; the rest are in site B")
	f.Var(count(&c.Orders, 1, partition.MaxOrders), "orders", "orders, odd ones at site A, even ones at site B"+most(partition.MaxOrders))
	f.Var(distValue{&c.Arrival}, "arrival", "time between orders: 20ms, 10ms..30ms or exp:20ms")
	f.Var(count(&c.Stock, 0, partition.MaxStock), "stock", "units of the one item sold, one per order"+most(partition.MaxStock))
	f.Var(distValue{&c.Latency}, "latency", "one-way latency between the sites: 5ms, 2ms..8ms or exp:5ms")
	f.Var(&listValue[partition.Partition]{list: &c.Partitions, form: "[SIDE/SIDE@]FROM..TO",
		parse: partition.ParsePartition, format: partition.Partition.String, replace: true, none: true}, "partition",
		"cut site A from site B during FROM..TO, or name the sides: node-1/node-2,node-3@50ms..200ms\n(repeatable, at most 16; given, it replaces the default; none for no partition)")
	f.Var(durationValue{d: &c.ElectionTimeout, lo: partition.MinElectionTimeout, hi: partition.MaxElectionTimeout}, "election-timeout", "cp: how long a follower waits for its leader before it stands (5ms to 10s)")
	f.Var(crashes(&c.Crashes), "crash", "crash a node at a virtual time, as node-1@50ms (repeatable)")
	f.Var(durationValue{d: &c.RestartAfter}, "restart-after", "how long a crashed node stays down (0 = for good)")
	return nil
}
