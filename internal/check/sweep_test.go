package check

import (
	"math"
	"reflect"
	"runtime"
	"sync"
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

// A sweep once kept an outcome per run, allocated up front: 1M seeds took
// up to 992 MB. What it keeps now does not grow with the number of seeds.
func TestSweepMemoryDoesNotGrowWithSeeds(t *testing.T) {
	failing := &trace.Report{Checks: []trace.Verdict{{Name: "no-loss", Title: "no loss", OK: false, Detail: "m1 lost"}}}
	cases := []Case{{Variant: "a", Guarantees: []string{"no-loss"}, Run: func(uint64) *trace.Report { return failing }}}
	allocated := func(n int) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		res := Sweep(cases, 1, n, 1, nil)
		runtime.ReadMemStats(&after)
		if res[0].Checks[0].Violated != n || len(res[0].Checks[0].FailingSeeds) != MaxFailingSeeds {
			t.Fatalf("%d seeds: %+v", n, res[0].Checks[0])
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := allocated(1000), allocated(200_000)
	if large > small+64<<10 {
		t.Errorf("1,000 seeds allocated %d bytes, 200,000 seeds %d", small, large)
	}
}

// A stopped sweep returns what the runs done found, each variant having run
// about as often, and its failing seeds are the lowest among those.
func TestSweepUntilStopsAndKeepsWhatRan(t *testing.T) {
	stop := make(chan struct{})
	var once sync.Once
	cases := []Case{{Variant: "a", Run: fakeRun}, {Variant: "b", Run: fakeRun}}
	res := SweepUntil(cases, 1, 1000, 1, func(done, _ int) {
		if done == 20 {
			once.Do(func() { close(stop) })
		}
	}, stop)
	if res[0].Runs != 10 || res[1].Runs != 10 {
		t.Errorf("runs %d and %d, want 10 and 10", res[0].Runs, res[1].Runs)
	}
	whole := Sweep(cases, 1, 10, 1, nil)
	if !reflect.DeepEqual(res, whole) {
		t.Errorf("stopped after 10 seeds: %+v\nthe 10-seed sweep: %+v", res, whole)
	}
}
