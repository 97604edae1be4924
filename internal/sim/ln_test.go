package sim

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// lnInputs are the inputs the sampler gives ln (1-u for u a 53-bit uniform
// from a fixed stream) and, every other one, a positive normal float64 of
// any exponent.
func lnInputs(n int) []float64 {
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 0, n)
	for len(xs) < n {
		xs = append(xs, 1-r.Float64())
		if x := math.Float64frombits(r.Uint64() >> 1); x >= 0x1p-1022 && x <= math.MaxFloat64 {
			xs = append(xs, x)
		}
	}
	// Around the reduction's turning point √2/2, at several exponents, and
	// the ends of the sampler's range.
	for _, e := range []int{-53, -1, 0, 1, 600} {
		x := math.Ldexp(math.Sqrt2/2, e)
		xs = append(xs, math.Nextafter(x, 0), x, math.Nextafter(x, 2*x))
	}
	return append(xs, 1, 0x1p-53, 1-0x1p-53, 0.5, 2, math.E)
}

// digest hashes the bits of fn over xs.
func digest(xs []float64, fn func(float64) float64) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for _, x := range xs {
		bits := math.Float64bits(fn(x))
		for i := range b {
			b[i] = byte(bits >> (8 * i))
		}
		h.Write(b[:])
	}
	return h.Sum64()
}

// lnDigest is digest(lnInputs(1_000_000), ln) as computed on linux/amd64,
// where it equals math.Log's. Every platform must reproduce it.
const lnDigest = 0x72c0085b72c2081b

func TestLnHasTheSameBitsOnEveryPlatform(t *testing.T) {
	if got := digest(lnInputs(1_000_000), ln); got != lnDigest {
		t.Errorf("ln digest on %s/%s is %#x, want %#x (linux/amd64's): samples would differ by machine",
			runtime.GOOS, runtime.GOARCH, got, uint64(lnDigest))
	}
	for _, c := range []struct{ x, want float64 }{
		{1, 0}, {math.E, 1}, {0.5, -math.Ln2}, {0, math.Inf(-1)}, {math.Inf(1), math.Inf(1)},
	} {
		if got := ln(c.x); got != c.want {
			t.Errorf("ln(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if !math.IsNaN(ln(-1)) || !math.IsNaN(ln(math.NaN())) {
		t.Error("ln of a negative number or NaN is not NaN")
	}
}

// On amd64 math.Log is assembly; ln must agree with it on every input, so
// the samples (and the golden traces) are the ones recorded before ln.
func TestLnIsMathLogOnAMD64(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skipf("math.Log is assembly only on amd64; here %s is checked by its digest", runtime.GOARCH)
	}
	for _, x := range lnInputs(1_000_000) {
		if got, want := ln(x), math.Log(x); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("ln(%v) = %v (%#x), math.Log gives %v (%#x)", x, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	}
}

// sampleDigest is the hash of a million exp:6ms samples from seed 1 on
// linux/amd64; every platform must draw the same.
const sampleDigest = 0xbf8edd78e53eb8df

func TestExponentialSamplesAreTheSameOnEveryPlatform(t *testing.T) {
	r := New(1).Rand("work")
	d := Exp(6 * time.Millisecond)
	h := fnv.New64a()
	var b [8]byte
	for range 1_000_000 {
		v := uint64(d.Sample(r))
		for i := range b {
			b[i] = byte(v >> (8 * i))
		}
		h.Write(b[:])
	}
	if got := h.Sum64(); got != sampleDigest {
		t.Errorf("exp:6ms samples on %s/%s hash to %#x, want %#x (linux/amd64's)",
			runtime.GOOS, runtime.GOARCH, got, uint64(sampleDigest))
	}
}
