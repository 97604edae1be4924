package loadlevel

import (
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	ms := time.Millisecond
	a := Autoscale{Min: 2, Max: 5, UpAt: 50, DownAt: 5, Delay: time.Second, Cooldown: 500 * ms}
	for _, tc := range []struct {
		name string
		s    ScaleState
		want Step
	}{
		{"backlog at the up threshold adds one",
			ScaleState{Now: 10 * ms, Backlog: 50, Workers: 2}, Step{Delta: 1, Reason: "backlog 50 ≥ 50"}},
		{"backlog just below the up threshold does nothing",
			ScaleState{Now: 10 * ms, Backlog: 49, Workers: 2}, Step{}},
		{"between the thresholds does nothing",
			ScaleState{Now: 10 * ms, Backlog: 6, Workers: 4}, Step{}},
		{"backlog at the down threshold removes one",
			ScaleState{Now: 10 * ms, Backlog: 5, Workers: 4}, Step{Delta: -1, Reason: "backlog 5 ≤ 5"}},
		{"never below the minimum",
			ScaleState{Now: 10 * ms, Backlog: 0, Workers: 2}, Step{}},
		{"below the minimum adds one whatever the backlog",
			ScaleState{Now: 10 * ms, Backlog: 0, Workers: 1}, Step{Delta: 1, Reason: "1 workers, below the minimum 2"}},
		{"at the maximum reports the ceiling",
			ScaleState{Now: 10 * ms, Backlog: 400, Workers: 5},
			Step{Ceiling: true, Reason: "backlog 400 ≥ 50, at the maximum"}},
		{"in the cooldown, retry when it ends",
			ScaleState{Now: 700 * ms, Backlog: 400, Workers: 3, LastStep: 300 * ms, Stepped: true},
			Step{RetryAt: 800 * ms}},
		{"the cooldown also holds back a scale-in",
			ScaleState{Now: 700 * ms, Backlog: 0, Workers: 4, LastStep: 300 * ms, Stepped: true},
			Step{RetryAt: 800 * ms}},
		{"the cooldown over, act",
			ScaleState{Now: 800 * ms, Backlog: 400, Workers: 3, LastStep: 300 * ms, Stepped: true},
			Step{Delta: 1, Reason: "backlog 400 ≥ 50"}},
		{"no cooldown before the first step",
			ScaleState{Now: 0, Backlog: 60, Workers: 2}, Step{Delta: 1, Reason: "backlog 60 ≥ 50"}},
		{"nothing to do is no retry, even in the cooldown",
			ScaleState{Now: 700 * ms, Backlog: 20, Workers: 3, LastStep: 300 * ms, Stepped: true}, Step{}},
	} {
		if got := a.Decide(tc.s); got != tc.want {
			t.Errorf("%s: Decide(%+v) = %+v, want %+v", tc.name, tc.s, got, tc.want)
		}
	}
}

func TestDecideScaleToZero(t *testing.T) {
	a := Autoscale{Min: 0, Max: 3, UpAt: 1, DownAt: 0}
	if got := a.Decide(ScaleState{Backlog: 1, Workers: 0}); got.Delta != 1 {
		t.Errorf("one order waiting with no workers: %+v, want a worker added", got)
	}
	if got := a.Decide(ScaleState{Backlog: 0, Workers: 1}); got.Delta != -1 {
		t.Errorf("empty queue, one worker, minimum 0: %+v, want it removed", got)
	}
	if got := a.Decide(ScaleState{Backlog: 0, Workers: 0}); got != (Step{}) {
		t.Errorf("empty queue, no workers: %+v, want nothing", got)
	}
}
