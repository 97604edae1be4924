package loadlevel

import (
	"fmt"
	"math"
	"os"
	"testing"
)

// TestFidelitySpread (EXPLORE=1) runs every fidelity pair over several seeds and
// prints the spread of the relative error, to show the test's margin.
func TestFidelitySpread(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip("set EXPLORE=1 to measure the fidelity test's margin over several seeds")
	}
	for _, fc := range append(fidelityCases, heavyFidelityCases...) {
		var errs []float64
		for seed := uint64(1); seed <= spreadSeeds; seed++ {
			row := SweepOnce(fidelityConfig(fc.c, fc.rho, fc.orders, seed), fc.c)
			errs = append(errs, float64(row.MeanWait)/float64(row.Theory.Wq)-1)
		}
		var m, ss, worst float64
		for _, e := range errs {
			m += e
			worst = max(worst, math.Abs(e))
		}
		m /= float64(len(errs))
		for _, e := range errs {
			ss += (e - m) * (e - m)
		}
		fmt.Printf("c=%d ρ=%.2f n=%d: mean error %+.2f%%, sd %.2f%%, worst %.2f%%\n",
			fc.c, fc.rho, fc.orders, 100*m, 100*math.Sqrt(ss/float64(len(errs)-1)), 100*worst)
	}
}

// spreadSeeds is how many seeds TestFidelitySpread tries per pair.
const spreadSeeds = 6
