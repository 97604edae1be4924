package patterns

// RunIdle is Run for a run that is over once its broker is idle and done
// reports true: done need not ask the broker. The simulated broker tells
// the world when it is idle (see sim.World.Gate), and done is asked only
// then, not before every step; a live broker is asked before done at every
// step, as Run would.
func (s *Sim) RunIdle(done func() bool) {
	if s.live {
		port := s.Port()
		s.Run(func() bool { return port.Idle() && done() })
		return
	}
	s.World.Gate(s.Broker.Busy())
	defer s.World.Gate(nil)
	s.Run(done)
}
