package check

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/msgplay/msgplay/internal/trace"
)

// MaxFailingSeeds is how many failing seeds a sweep keeps per check.
const MaxFailingSeeds = 5

// Case is one variant of a pattern to sweep: a run of one seed, and the
// checks the variant guarantees.
type Case struct {
	Variant    string
	Guarantees []string
	Run        func(seed uint64) *trace.Report
}

// Result is what a sweep found for one variant.
type Result struct {
	Variant string
	Runs    int
	Checks  []CheckResult
}

// CheckResult counts the runs in which one check was violated.
type CheckResult struct {
	Name, Title  string
	Guaranteed   bool
	Violated     int
	FailingSeeds []uint64 // the first ones, in seed order
	Example      string   // the detail of the first failure
}

// Broken reports whether the check is guaranteed and was violated.
func (c CheckResult) Broken() bool { return c.Guaranteed && c.Violated > 0 }

// Interval returns the Wilson score interval, at 95%, of the share of runs
// that violate the check.
func (c CheckResult) Interval(runs int) (lo, hi float64) {
	return Wilson(c.Violated, runs)
}

// Wilson returns the 95% Wilson score interval of k successes in n trials.
// Unlike the plain normal interval it stays inside [0, 1] and is honest at
// 0 of n: with no failure in 1,000 runs the true rate may still be 0.38%.
func Wilson(k, n int) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	const z = 1.959963984540054
	p := float64(k) / float64(n)
	nn := float64(n)
	den := 1 + z*z/nn
	mid := (p + z*z/(2*nn)) / den
	half := z * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn)) / den
	return math.Max(0, mid-half), math.Min(1, mid+half)
}

// Sweep runs every case once per seed from first to first+n-1, on jobs
// goroutines (0 means one per CPU), and counts each check's violations.
// Each run is the same as a single run with that seed, and the result does
// not depend on jobs or on scheduling. progress, if not nil, is called
// after each run with the number done so far and the total; it may be
// called from several goroutines.
func Sweep(cases []Case, first uint64, n, jobs int, progress func(done, total int)) []Result {
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	total := len(cases) * n
	// Keep only what the aggregation needs from each report, so memory does
	// not grow with the reports' tables.
	type outcome struct {
		failed []int // indexes of violated checks in the case's check list
		detail []string
	}
	outcomes := make([]outcome, total)
	names := make([][]trace.Verdict, len(cases)) // the check list of each case, from its first run
	var namesOnce = make([]sync.Once, len(cases))
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= total {
					return
				}
				ci, k := i/n, i%n
				r := cases[ci].Run(first + uint64(k))
				namesOnce[ci].Do(func() { names[ci] = r.Checks })
				var o outcome
				for vi, v := range r.Checks {
					if !v.OK {
						o.failed = append(o.failed, vi)
						o.detail = append(o.detail, v.Detail)
					}
				}
				outcomes[i] = o
				if progress != nil {
					progress(int(done.Add(1)), total)
				}
			}
		}()
	}
	wg.Wait()

	results := make([]Result, len(cases))
	for ci, c := range cases {
		res := Result{Variant: c.Variant, Runs: n}
		guaranteed := map[string]bool{}
		for _, g := range c.Guarantees {
			guaranteed[g] = true
		}
		for _, v := range names[ci] {
			res.Checks = append(res.Checks, CheckResult{Name: v.Name, Title: v.Title, Guaranteed: guaranteed[v.Name]})
		}
		for k := 0; k < n; k++ {
			o := outcomes[ci*n+k]
			for j, vi := range o.failed {
				if vi >= len(res.Checks) {
					continue // a run with more checks than the first: not expected
				}
				cr := &res.Checks[vi]
				cr.Violated++
				if len(cr.FailingSeeds) < MaxFailingSeeds {
					cr.FailingSeeds = append(cr.FailingSeeds, first+uint64(k))
				}
				if cr.Example == "" {
					cr.Example = o.detail[j]
				}
			}
		}
		results[ci] = res
	}
	return results
}
