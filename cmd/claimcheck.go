package cmd

import (
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/patterns/claimcheck"
)

func bindClaimCheck(f *pflag.FlagSet, c *claimcheck.Config) func() error {
	f.Var(count(&c.Orders, 1, claimcheck.MaxOrders), "orders", "number of orders, each with an attachment"+most(claimcheck.MaxOrders))
	f.Var(sizeDistValue{&c.Size}, "size", "each attachment's size, up to 1GB: 120KB, 10KB..2MB or exp:120KB")
	f.Var(distValue{&c.Arrival}, "arrival", "time between orders: 20ms, 10ms..30ms or exp:20ms")
	f.Var(distValue{&c.Work}, "work", "billing's time for one order, after any fetch: 20ms, 10ms..30ms or exp:20ms")
	f.Var(count(&c.Consumers, 1, claimcheck.MaxConsumers), "consumers", "billing instances"+most(claimcheck.MaxConsumers))
	f.Var(bytesValue{&c.MaxMessageSize}, "max-message-size", "the broker's limit per message (0 = none, at most 1GB): Service Bus "+
		"standard 256KB, premium up to 100MB; SQS 1MB (256KB before 2025); NATS, Kafka 1MB by default")
	f.BoolVar(&c.ClaimCheck, "claim-check", c.ClaimCheck, "put attachments in a blob store and send a reference to them")
	f.Var(bytesValue{&c.Threshold}, "threshold", "with --claim-check: only attachments above this size go to the store (0 = all)")
	f.Var(distValue{&c.StoreLatency}, "store-latency", "the time of one put, get or delete in the store: 10ms, 5ms..20ms or exp:10ms")
	f.Var(durationValue{d: &c.BlobTTL}, "blob-ttl", "the store deletes a blob this long after it was put (0 = never)")
	f.Var(choice(&c.Cleanup, "a cleanup", claimcheck.Cleanups...), "cleanup",
		"who deletes a blob once its order is billed: on-ack (billing), ttl (the retention) or never")
	f.Var(windowValue{&c.BrokerDown}, "broker-down", "a broker outage: every send fails from FROM to TO, as 30ms..90ms")
	f.Var(crashes(&c.Crashes), "crash", "crash the shop or billing at a virtual time, as shop@25ms (repeatable)")
	f.Var(durationValue{d: &c.RestartAfter}, "restart-after", "how long a crashed actor stays down (0 = for good)")
	return nil
}

// bytesValue is a size: 512B, 120KB, 2MB; 0 shows as 0, which help
// leaves out as a default.
type bytesValue struct{ n *int64 }

func (v bytesValue) String() string {
	if *v.n == 0 {
		return "0"
	}
	return claimcheck.ExactBytes(*v.n)
}
func (v bytesValue) Type() string { return "size" }
func (v bytesValue) Set(s string) error {
	n, err := claimcheck.ParseBytes(s)
	if err != nil {
		return err
	}
	*v.n = n
	return nil
}
func (v bytesValue) allowed() string {
	return "a size from 0 to " + claimcheck.ExactBytes(claimcheck.MaxBytes) + ", such as 512B, 120KB or 2MB"
}

// sizeDistValue is a distribution of sizes: 120KB, 10KB..2MB or exp:120KB.
type sizeDistValue struct{ d *claimcheck.SizeDist }

func (v sizeDistValue) String() string { return v.d.String() }
func (v sizeDistValue) Type() string   { return "sizes" }
func (v sizeDistValue) Set(s string) error {
	d, err := claimcheck.ParseSizeDist(s)
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}
