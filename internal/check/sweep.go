package check

import (
	"math"
	"runtime"
	"slices"
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

// MaxJobs is the most runs a sweep runs at once.
const MaxJobs = 256

// Sweep runs every case once per seed from first to first+n-1, on jobs
// goroutines (0 means one per CPU; never more than MaxJobs or the number
// of runs), and counts each check's violations. Each run is the same as a
// single run with that seed, and the result does not depend on jobs or on
// scheduling. progress, if not nil, is called after each run with the
// number done so far and the total; it may be called from several
// goroutines.
func Sweep(cases []Case, first uint64, n, jobs int, progress func(done, total int)) []Result {
	return SweepUntil(cases, first, n, jobs, progress, nil)
}

// SweepUntil is Sweep that stops starting runs once stop is closed (nil
// never closes) and returns what the runs done found; each Result's Runs
// says how many of its n ran. The cases advance together, seed by seed,
// so a stopped sweep has run every variant about as often. Memory does
// not grow with n: a sweep keeps counts and, per check, the first
// MaxFailingSeeds failing seeds and the first failure's detail.
func SweepUntil(cases []Case, first uint64, n, jobs int, progress func(done, total int), stop <-chan struct{}) []Result {
	total := len(cases) * n
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	jobs = max(min(jobs, MaxJobs, total), 1)
	aggs := make([]aggregate, len(cases))
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if stop != nil {
					select {
					case <-stop:
						return
					default:
					}
				}
				i := int(next.Add(1) - 1)
				if i >= total {
					return
				}
				ci, k := i%len(cases), i/len(cases)
				r := cases[ci].Run(first + uint64(k))
				aggs[ci].add(k, r.Checks)
				if progress != nil {
					progress(int(done.Add(1)), total)
				}
			}
		}()
	}
	wg.Wait()

	results := make([]Result, len(cases))
	for ci, c := range cases {
		results[ci] = aggs[ci].result(c, first)
	}
	return results
}

// aggregate is what a sweep keeps of one case's runs: counts, and per
// check the lowest failing seed offsets, whatever order runs end in.
type aggregate struct {
	mu      sync.Mutex
	runs    int
	namesAt int             // the seed offset the check list was taken from
	names   []trace.Verdict // the check list, from the lowest seed run so far
	checks  []checkAgg
}

type checkAgg struct {
	violated int
	failing  []int // the lowest seed offsets that failed, sorted, at most MaxFailingSeeds
	detail   string
	detailAt int // the seed offset of detail
}

func (a *aggregate) add(k int, verdicts []trace.Verdict) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.runs++
	if a.names == nil || k < a.namesAt {
		a.names, a.namesAt = slices.Clone(verdicts), k
		for i := range a.names {
			a.names[i].Detail, a.names[i].Evidence = "", nil
		}
	}
	if len(a.checks) < len(verdicts) {
		a.checks = append(a.checks, make([]checkAgg, len(verdicts)-len(a.checks))...)
	}
	for vi, v := range verdicts {
		if v.OK {
			continue
		}
		c := &a.checks[vi]
		c.violated++
		if c.violated == 1 || k < c.detailAt {
			c.detail, c.detailAt = v.Detail, k
		}
		at, _ := slices.BinarySearch(c.failing, k)
		if at < MaxFailingSeeds {
			c.failing = slices.Insert(c.failing, at, k)
			c.failing = c.failing[:min(len(c.failing), MaxFailingSeeds)]
		}
	}
}

func (a *aggregate) result(c Case, first uint64) Result {
	res := Result{Variant: c.Variant, Runs: a.runs}
	for vi, v := range a.names {
		cr := CheckResult{Name: v.Name, Title: v.Title, Guaranteed: slices.Contains(c.Guarantees, v.Name)}
		if vi < len(a.checks) {
			ag := a.checks[vi]
			cr.Violated, cr.Example = ag.violated, ag.detail
			for _, k := range ag.failing {
				cr.FailingSeeds = append(cr.FailingSeeds, first+uint64(k))
			}
		}
		res.Checks = append(res.Checks, cr)
	}
	return res
}
