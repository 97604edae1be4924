package pubsub

import (
	"fmt"
	"slices"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// CanJoin reports whether a join process may be one more instance of the
// subscriber sub in a live run of the scenario, naming --name if not.
func (cfg Config) CanJoin(sub string) error {
	if !slices.Contains(cfg.Subscribers, sub) {
		return fmt.Errorf("--name %q: the run has no such subscriber: want %s", sub, patterns.OrList(cfg.Subscribers))
	}
	return nil
}

// Join runs one more instance, called actor, of the subscriber sub in a
// live run of the scenario going on in another process (c.Live joins it):
// the same handler as Run's instances, on the same subscription, competing
// with them for its events. It ends when the broker says the run is over
// and the instance has finished what it holds. With --idempotent it
// remembers what it handled itself: the presenter's instances remember
// theirs.
func (cfg Config) Join(c patterns.Common, sub, actor string, out trace.Sink) *trace.Report {
	cfg.Common = c
	r := &run{cfg: cfg}
	r.s = patterns.Start(Name, cfg.Common, cfg.Params(), out)
	r.w, r.port = r.s.World, r.s.Port()
	if cfg.Idempotent {
		r.seen = newSeenSet()
	}
	r.topic = r.port.Topic(Topic)
	s := r.topic.Subscribe(sub, cfg.subscriptionOptions(sub))
	a := r.w.Actor(actor)
	s.Consume(a, broker.ConsumerOptions{Prefetch: 1}, r.handlers(sub)(a))
	r.s.Run(r.port.Idle)
	return r.s.Finish(patterns.Ending{Delivery: true})
}
