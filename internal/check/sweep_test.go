package check

import (
	"math"
	"testing"

	"github.com/msgplay/msgplay/internal/trace"
)

// fakeRun fails "flaky" on seeds divisible by 3 and never fails "solid".
func fakeRun(seed uint64) *trace.Report {
	return &trace.Report{Checks: []trace.Verdict{
		{Name: "solid", OK: true},
		{Name: "flaky", OK: seed%3 != 0, Detail: "seed divisible by 3"},
	}}
}

func TestSweepCountsAndKeepsTheFirstFailingSeeds(t *testing.T) {
	cases := []Case{{Variant: "v", Guarantees: []string{"solid"}, Run: fakeRun}}
	for _, jobs := range []int{1, 2, 7} {
		res := Sweep(cases, 1, 30, jobs, nil)
		flaky := res[0].Checks[1]
		if res[0].Runs != 30 || flaky.Violated != 10 || flaky.Guaranteed || flaky.Broken() {
			t.Fatalf("jobs %d: %+v", jobs, res[0])
		}
		want := []uint64{3, 6, 9, 12, 15}
		for i, s := range want {
			if flaky.FailingSeeds[i] != s {
				t.Fatalf("jobs %d: failing seeds %v, want %v whatever the scheduling", jobs, flaky.FailingSeeds, want)
			}
		}
		if solid := res[0].Checks[0]; !solid.Guaranteed || solid.Violated != 0 {
			t.Fatalf("solid: %+v", solid)
		}
	}
}

func TestSweepFlagsABrokenGuarantee(t *testing.T) {
	cases := []Case{{Variant: "v", Guarantees: []string{"flaky"}, Run: fakeRun}}
	res := Sweep(cases, 100, 10, 0, nil)
	if c := res[0].Checks[1]; !c.Broken() || c.FailingSeeds[0] != 102 || c.Example != "seed divisible by 3" {
		t.Errorf("%+v", c)
	}
}

func TestSweepReportsProgress(t *testing.T) {
	calls := make(chan int, 100)
	Sweep([]Case{{Variant: "a", Run: fakeRun}, {Variant: "b", Run: fakeRun}}, 1, 20, 3, func(done, total int) {
		if total != 40 {
			t.Errorf("total %d, want 40", total)
		}
		calls <- done
	})
	close(calls)
	n := 0
	for range calls {
		n++
	}
	if n != 40 {
		t.Errorf("progress called %d times, want 40", n)
	}
}

func TestWilson(t *testing.T) {
	lo, hi := Wilson(0, 1000)
	if lo != 0 || math.Abs(hi-0.00383) > 0.0001 {
		t.Errorf("0/1000: [%v, %v]", lo, hi)
	}
	lo, hi = Wilson(380, 1000)
	if math.Abs(lo-0.3502) > 0.001 || math.Abs(hi-0.4107) > 0.001 {
		t.Errorf("380/1000: [%v, %v]", lo, hi)
	}
	if lo, hi = Wilson(5, 5); hi != 1 || lo < 0.5 {
		t.Errorf("5/5: [%v, %v]", lo, hi)
	}
}
