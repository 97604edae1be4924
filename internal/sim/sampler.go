package sim

import (
	"math/rand/v2"
	"time"
)

// Sampler draws durations from one distribution and one random stream:
// the values Dist.Sample would draw from that stream, one for one. It is
// for the paths that sample once per message (work times, arrival gaps):
// from a stream of the world's, an exponential sample reads the stream's
// source directly, without rand.Rand's interface call, and uses a mean
// converted once. The zero Sampler is always 0.
type Sampler struct {
	d    Dist
	r    *rand.Rand
	src  *rand.PCG // r's source when r is one of the world's streams, else nil
	mean float64   // an exponential's mean in µs, when src is set
}

// Sampler returns a Sampler of d drawing from r, which may be nil when d
// draws nothing (a constant).
func (w *World) Sampler(d Dist, r *rand.Rand) Sampler {
	s := Sampler{d: d, r: r}
	if src := w.sources[r]; src != nil && d.kind == exponential {
		s.src, s.mean = src, float64(d.a/time.Microsecond)
	}
	return s
}

// Dist returns the distribution s draws from.
func (s *Sampler) Dist() Dist { return s.d }

// Sample draws one duration, as s.Dist().Sample would from the stream.
func (s *Sampler) Sample() time.Duration {
	if s.src == nil {
		return s.d.Sample(s.r)
	}
	// Dist.Sample's exponential, with rand.Rand.Float64 written out: the
	// 53 high bits of the next value over 2⁵³.
	u := float64(s.src.Uint64()<<11>>11) / (1 << 53)
	return fromMicros(-ln(1-u) * s.mean)
}
