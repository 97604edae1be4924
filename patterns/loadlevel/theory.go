package loadlevel

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// Theory is what queueing theory predicts for a steady stream of orders
// on c workers taking them first come, first served.
type Theory struct {
	Model  string  // Kendall notation, such as M/M/4 or M/D/4
	Rho    float64 // utilization λ/(cμ)
	Stable bool    // ρ < 1: a steady state exists
	Exact  bool    // the mean wait is exact (M/M/c, or M/G/1), not an approximation
	Erlang bool    // PWait is Erlang C (M/M/c only)
	PWait  float64 // probability an order waits at all
	Wq     time.Duration
	W      time.Duration
}

// ErlangC returns the probability that an arrival waits in an M/M/c queue
// with offered load a = λ/μ, computed through the Erlang B recursion, which
// stays exact for large c. It is 1 when a >= c.
func ErlangC(c int, a float64) float64 {
	if a >= float64(c) {
		return 1
	}
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	rho := a / float64(c)
	return b / (1 - rho*(1-b))
}

// Predict returns the theory for c workers fed by arrival gaps and work
// times drawn from the given distributions, and false when no steady stream
// exists (arrival 0: every order at once) or the work takes no time.
//
// M/M/c is exact (Erlang C). Otherwise the mean wait is the Allen–Cunneen
// approximation, M/M/c's wait times (Ca²+Cs²)/2 with Ca², Cs² the squared
// coefficients of variation of the gaps and the work; with Poisson arrivals
// and one worker that is the Pollaczek–Khinchine formula, exact for any work.
func Predict(c int, arrival, work sim.Dist) (Theory, bool) {
	gap, s := float64(arrival.Mean()), float64(work.Mean())
	if gap <= 0 || s <= 0 {
		return Theory{}, false
	}
	a := s / gap
	t := Theory{Model: kendall(arrival) + "/" + kendall(work) + "/" + strconv.Itoa(c), Rho: a / float64(c)}
	t.Stable = t.Rho < 1
	t.Exact = arrival.IsExp() && (work.IsExp() || c == 1)
	t.Erlang = arrival.IsExp() && work.IsExp()
	if !t.Stable {
		t.PWait = 1
		return t, true
	}
	pc := ErlangC(c, a)
	t.PWait = pc
	wq := pc * s / (float64(c) * (1 - t.Rho))
	wq *= (scv(arrival) + scv(work)) / 2
	t.Wq = time.Duration(math.Round(wq))
	t.W = t.Wq + work.Mean()
	return t, true
}

// kendall returns the letter Kendall's notation gives a distribution.
func kendall(d sim.Dist) string {
	switch {
	case d.IsExp():
		return "M"
	case d.IsConst():
		return "D"
	}
	return "G"
}

// scv returns the squared coefficient of variation of d: 1 for an
// exponential, 0 for a constant, (b-a)²/(3(a+b)²) for a uniform range.
func scv(d sim.Dist) float64 {
	switch {
	case d.IsExp():
		return 1
	case d.IsConst():
		return 0
	}
	lo, hi, _ := strings.Cut(d.String(), "..")
	a, _ := sim.ParseDuration(lo)
	b, _ := sim.ParseDuration(hi)
	if a+b == 0 {
		return 0
	}
	w, m := float64(b-a), float64(a+b)/2
	return w * w / 12 / (m * m)
}

// settleOrders returns roughly how many orders a run needs before its
// mean wait settles near the steady state: fifty relaxation times of the
// queue, ρ/(1-√ρ)² orders each.
func settleOrders(rho float64) int {
	r := math.Sqrt(rho)
	return int(50 * rho / ((1 - r) * (1 - r)))
}

// fmtDur writes a duration for the tables; theory's sub-microsecond waits
// show as <1µs, since measurements are in whole microseconds.
func fmtDur(d time.Duration) string {
	if d > 0 && d < time.Microsecond {
		return "<1µs"
	}
	return trace.ShortDuration(d)
}
