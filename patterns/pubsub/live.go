package pubsub

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/trace"
)

// LiveReady reports, naming the flag and saying why, what of the scenario
// a live run on NATS JetStream cannot do faithfully; nil when it can run
// live.
func (cfg Config) LiveReady() error {
	switch {
	case cfg.Mode == Direct:
		return errors.New("--mode direct is not live: its commands and replies run on the simulated " +
			"broker's request/reply; --live publishes events (--mode events)")
	case cfg.DuplicateRate > 0:
		return errors.New("--duplicate-rate has no live equivalent: it loses acks inside the simulated " +
			"broker, and JetStream confirms every ack; live duplicates come from real crashes")
	}
	for _, name := range cfg.Subscribers {
		factor := 1.0
		if f, ok := cfg.Slow[name]; ok {
			factor = f
		}
		if mean := time.Duration(float64(cfg.Work.Mean()) * factor); mean > broker.LiveAckWait/4 {
			return fmt.Errorf("--work and --slow: %s works %s on an event on average; live, an event "+
				"unacked for AckWait %s is delivered again: keep it under %s",
				name, trace.FormatDuration(mean), trace.FormatDuration(broker.LiveAckWait), trace.FormatDuration(broker.LiveAckWait/4))
		}
	}
	for _, f := range cfg.Filters {
		tokens := strings.Split(f.Filter.String(), ".")
		switch {
		case slices.Contains(tokens, "#"):
			return fmt.Errorf("--filter %s: # (any number of tokens) has no NATS equivalent: "+
				"use * for one token, or > at the end for the rest", f)
		case tokens[0] != Topic && tokens[0] != ">":
			return fmt.Errorf("--filter %s: live, the topic is a stream on %s.>, so a filter must begin "+
				"with %s. (or be >)", f, Topic, Topic)
		}
	}
	return nil
}

// liveMapping is how pubsub runs on NATS JetStream with --live.
const liveMapping = `  topic orders          a limits stream on orders.> (each event on its subject, as
                        orders.placed.eu): it keeps every event for every subscription
  durable subscription  a durable pull consumer, made before the first event: it keeps
                        what is published while its subscriber is away or not started
  transient             an ephemeral consumer (DeliverNew), made when its first instance
                        connects, deleted when the last one goes: what was published
                        meanwhile, or waited unacked, is lost to it
  filter                the consumer's FilterSubject (* and > as NATS; # has no equivalent)
  instances (a group)   several NATS connections fetching from one consumer: they compete
  offline window        the instances' connections close at FROM and open again at TO
  failing handler       Nak; MaxDeliver 3, then the advisory is republished to a
                        dead-letter stream (the topic's stream keeps the event)
  redelivery            after AckWait 2s (the simulation gives it back when the
                        connection dies, which JetStream cannot tell)
  not live              --mode direct, --duplicate-rate, filters with #, and a
                        subscriber's mean work over 500ms (a quarter of AckWait)`
