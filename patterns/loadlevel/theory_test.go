package loadlevel

import (
	"math"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
)

func TestErlangC(t *testing.T) {
	// Reference values computed independently from the closed form Σ a^k/k!.
	for _, tc := range []struct {
		c    int
		a    float64
		want float64
	}{
		{1, 0.5, 0.5},      // M/M/1: P(wait) = ρ
		{1, 0.9, 0.9},      //
		{2, 1.0, 1.0 / 3},  // 2 servers at ρ 0.5
		{4, 3.0, 0.509434}, // 4 servers at ρ 0.75
		{10, 8.0, 0.409180},
		{16, 14.4, 0.591343}, // 16 servers at ρ 0.9: the Erlang B recursion stays exact
	} {
		if got := ErlangC(tc.c, tc.a); math.Abs(got-tc.want) > 1e-5 {
			t.Errorf("ErlangC(%d, %v) = %.6f, want %.6f", tc.c, tc.a, got, tc.want)
		}
		if got, want := ErlangC(tc.c, tc.a), erlangCDirect(tc.c, tc.a); math.Abs(got-want) > 1e-9 {
			t.Errorf("ErlangC(%d, %v) = %.9f, the direct sum gives %.9f", tc.c, tc.a, got, want)
		}
	}
	if ErlangC(3, 3) != 1 || ErlangC(3, 4.5) != 1 {
		t.Error("at ρ ≥ 1 every order waits")
	}
}

func erlangCDirect(c int, a float64) float64 {
	sum, term := 0.0, 1.0
	for k := 0; k < c; k++ {
		sum += term
		term *= a / float64(k+1)
	}
	top := term / (1 - a/float64(c))
	return top / (sum + top)
}

func TestPredict(t *testing.T) {
	ms := time.Millisecond
	th, ok := Predict(4, sim.Exp(10*ms), sim.Exp(30*ms))
	if !ok || th.Model != "M/M/4" || !th.Exact || !th.Erlang || !th.Stable || math.Abs(th.Rho-0.75) > 1e-12 {
		t.Fatalf("M/M/4: %+v", th)
	}
	// Wq = C·S/(c(1-ρ)) = 0.509434·30ms/1 = 15.283ms.
	if d := th.Wq - 15283*time.Microsecond; d < -time.Microsecond || d > time.Microsecond {
		t.Errorf("M/M/4 Wq = %v, want 15.283ms", th.Wq)
	}
	if th.W != th.Wq+30*ms {
		t.Errorf("W = %v, want Wq + 30ms", th.W)
	}

	// M/D/1: Pollaczek–Khinchine, Wq = ρS/(2(1-ρ)) = 0.5·10ms/1 = 5ms at ρ 0.5.
	th, _ = Predict(1, sim.Exp(20*ms), sim.Const(10*ms))
	if th.Model != "M/D/1" || !th.Exact || th.Erlang || th.Wq != 5*ms {
		t.Errorf("M/D/1: %+v, want exact Wq 5ms", th)
	}
	// M/D/4 is only approximated.
	if th, _ = Predict(4, sim.Exp(10*ms), sim.Const(30*ms)); th.Exact {
		t.Errorf("M/D/4 claims to be exact: %+v", th)
	}
	// Uniform 0..2S has Cs² = 1/3.
	if got := scv(sim.Uniform(0, 20*ms)); math.Abs(got-1.0/3) > 1e-12 {
		t.Errorf("scv(0..20ms) = %v, want 1/3", got)
	}
	th, _ = Predict(2, sim.Exp(10*ms), sim.Exp(30*ms))
	if th.Stable || th.Rho != 1.5 {
		t.Errorf("ρ 1.5 taken as stable: %+v", th)
	}
	if _, ok := Predict(2, sim.Const(0), sim.Exp(ms)); ok {
		t.Error("arrival 0 (all at once) has no steady-state theory")
	}
}
