package sim

import "math"

// ln returns the natural logarithm of x, with the same bits on every
// architecture: the exponential sampler rests on it, and one seed must give
// one run on any machine.
//
// math.Log is assembly on amd64 and s390x and pure Go elsewhere, where the
// compiler may fuse a multiply and an add into one FMA instruction (arm64,
// ppc64le, riscv64 do), rounding once where the algorithm rounds twice.
// ln takes the steps of math.Log (FreeBSD's e_log.c, which the amd64
// assembly follows instruction for instruction) and converts every product
// to float64 before it is added: by the Go spec an explicit conversion
// rounds, which forbids the fusion. Its results are therefore those of
// math.Log on amd64, bit for bit, for every normal x > 0 — the traces
// recorded before it came in are unchanged — and the same everywhere else.
// Only basic IEEE 754 operations are used, each correctly rounded by every
// Go platform.
func ln(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01 // 3fe62e42 fee00000
		ln2Lo = 1.90821492927058770002e-10 // 3dea39ef 35793c76
		l1    = 6.666666666666735130e-01   // 3FE55555 55555593
		l2    = 3.999999999940941908e-01   // 3FD99999 9997FA04
		l3    = 2.857142874366239149e-01   // 3FD24924 94229359
		l4    = 2.222219843214978396e-01   // 3FCC71C5 1D8E78AF
		l5    = 1.818357216161805012e-01   // 3FC74664 96CB03DE
		l6    = 1.531383769920937332e-01   // 3FC39A09 D078C69F
		l7    = 1.479819860511658591e-01   // 3FC2F112 DF3E5244
	)
	// Split x into f1 in [½, 1) and ki with x = f1·2^ki, as math.Frexp
	// does, by integer operations on the bits: exact everywhere. The
	// sampler's inputs are normal numbers in (0, 1], whose exponent field
	// gives ki at once; the rest go the long way.
	var f1 float64
	var ki int
	if b := math.Float64bits(x); b-1<<52 < 0x7ff<<52-1<<52 { // 0 < x < +Inf and normal
		f1 = math.Float64frombits(b&^(0x7ff<<52) | 1022<<52)
		ki = int(b>>52) - 1022
	} else {
		switch {
		case math.IsNaN(x) || math.IsInf(x, 1):
			return x
		case x < 0:
			return math.NaN()
		case x == 0:
			return math.Inf(-1)
		}
		f1, ki = math.Frexp(x)
	}
	if f1 < math.Sqrt2/2 {
		f1 *= 2
		ki--
	}
	f := f1 - 1
	k := float64(ki)
	s := f / (2 + f)
	s2 := s * s
	s4 := s2 * s2
	t1 := float64(s2 * (l1 + float64(s4*(l3+float64(s4*(l5+float64(s4*l7)))))))
	t2 := float64(s4 * (l2 + float64(s4*(l4+float64(s4*l6)))))
	r := t1 + t2
	hfsq := float64(0.5 * f * f)
	return float64(k*ln2Hi) - ((hfsq - (float64(s*(hfsq+r)) + float64(k*ln2Lo))) - f)
}
