package competing

import (
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Join runs one more worker, called name, in a live run of the scenario
// going on in another process (c.Live joins it): the same worker as Run's,
// on the same queue. It ends when the broker says the run is over and the
// worker has finished what it holds.
func (cfg Config) Join(c patterns.Common, name string, out trace.Sink) *trace.Report {
	cfg.Common = c
	s := patterns.Start(Name, cfg.Common, cfg.Params(), out)
	w, b := s.World, s.Port()
	q := b.Queue(Queue, cfg.queueOptions())
	cfg.workerKit(w).add(w.Actor(name), q)
	s.Run(b.Idle)
	return s.Finish(patterns.Ending{Delivery: true})
}
