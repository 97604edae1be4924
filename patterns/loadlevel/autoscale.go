package loadlevel

import (
	"fmt"
	"time"
)

// Autoscale is the scaling policy: the pool stays between Min and Max
// workers; a worker is added when the backlog reaches UpAt and removed when
// it falls to DownAt or below, one step at a time, no sooner than Cooldown
// after the last step. A new worker takes Delay to start. It is off when
// Max is 0.
type Autoscale struct {
	Min, Max     int
	UpAt, DownAt int
	Delay        time.Duration
	Cooldown     time.Duration
}

// On reports whether autoscaling is enabled.
func (a Autoscale) On() bool { return a.Max > 0 }

// ScaleState is what the autoscaler sees when it decides.
type ScaleState struct {
	Now      time.Duration
	Backlog  int           // orders waiting in the queue
	Workers  int           // workers serving or starting, not those leaving
	LastStep time.Duration // when the last step was taken
	Stepped  bool          // whether any step was taken yet
}

// Step is one decision of the autoscaler.
type Step struct {
	Delta   int           // +1 add a worker, -1 remove one, 0 nothing now
	RetryAt time.Duration // when Delta is 0 only because of the cooldown: decide again then
	Ceiling bool          // the backlog calls for more workers but the pool is at Max
	Reason  string        // the rule that fired, with the numbers
}

// Decide returns what to do in state s. The rules are those of simple step
// scaling, one worker per step (an AWS simple scaling policy; KEDA and the
// HPA scale in proportion to the backlog instead): compare the backlog with
// the two thresholds, count
// workers still starting as capacity on its way, and wait out the cooldown
// between steps so one burst does not trigger a step per order.
func (a Autoscale) Decide(s ScaleState) Step {
	up := s.Backlog >= a.UpAt
	down := s.Backlog <= a.DownAt
	switch {
	case s.Workers < a.Min:
		up, down = true, false
	case up && s.Workers >= a.Max:
		return Step{Ceiling: true, Reason: fmt.Sprintf("backlog %d ≥ %d, at the maximum", s.Backlog, a.UpAt)}
	case down && s.Workers <= a.Min:
		return Step{}
	case !up && !down:
		return Step{}
	}
	if s.Stepped && s.Now < s.LastStep+a.Cooldown {
		return Step{RetryAt: s.LastStep + a.Cooldown}
	}
	if up {
		if s.Workers < a.Min {
			return Step{Delta: 1, Reason: fmt.Sprintf("%d workers, below the minimum %d", s.Workers, a.Min)}
		}
		return Step{Delta: 1, Reason: fmt.Sprintf("backlog %d ≥ %d", s.Backlog, a.UpAt)}
	}
	return Step{Delta: -1, Reason: fmt.Sprintf("backlog %d ≤ %d", s.Backlog, a.DownAt)}
}
