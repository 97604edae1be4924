package trace

import (
	"math/bits"
	"slices"
	"time"
)

// exactSamples is how many samples a Histogram keeps exactly before it folds
// them into buckets: small runs get exact percentiles, large ones bounded
// memory.
const exactSamples = 4096

// subBits sets the bucket resolution: 2^subBits buckets per power of two,
// so a folded percentile is within 1/2^subBits (under 0.4%) of the truth.
const subBits = 8

// Histogram records durations and answers percentiles. Its memory does not
// grow with the number of samples.
type Histogram struct {
	n       int64
	max     time.Duration
	exact   []time.Duration
	sorted  bool    // exact is in order: no sample came since the last sort
	buckets []int64 // nil until the samples outgrow exact
}

// Record adds one sample; negative samples count as 0.
func (h *Histogram) Record(d time.Duration) {
	if !h.fold(d) {
		h.record(d)
	}
}

// fold counts d in its bucket once the samples are folded into buckets,
// as in every long run, and reports whether it did: an increment, small
// enough to be inlined where a sample is recorded on every message.
func (h *Histogram) fold(d time.Duration) bool {
	if h.buckets == nil || d < 0 {
		return false
	}
	h.n++
	h.max = max(h.max, d)
	h.buckets[bucketOf(d)]++
	return true
}

// record is Record for the first samples, kept exactly.
func (h *Histogram) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.n++
	h.max = max(h.max, d)
	if h.buckets == nil {
		if len(h.exact) < exactSamples {
			h.exact = append(h.exact, d)
			h.sorted = false
			return
		}
		h.buckets = make([]int64, 64<<subBits)
		for _, v := range h.exact {
			h.buckets[bucketOf(v)]++
		}
		h.exact = nil
	}
	h.buckets[bucketOf(d)]++
}

// Count returns the number of samples.
func (h *Histogram) Count() int64 { return h.n }

// Max returns the largest sample.
func (h *Histogram) Max() time.Duration { return h.max }

// Percentile returns the nearest-rank p-th percentile (0 < p <= 100), and 0
// when there are no samples.
func (h *Histogram) Percentile(p float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := int64(p / 100 * float64(h.n))
	if float64(rank) < p/100*float64(h.n) {
		rank++
	}
	rank = min(max(rank, 1), h.n)
	if h.buckets == nil {
		if !h.sorted {
			slices.Sort(h.exact) // in place: the order of the samples tells nothing
			h.sorted = true
		}
		return h.exact[rank-1]
	}
	var seen int64
	for i, c := range h.buckets {
		seen += c
		if seen >= rank {
			return min(bucketMid(i), h.max)
		}
	}
	return h.max
}

// bucketOf maps a duration, in microseconds, to its bucket: values below
// 2^subBits have a bucket each; above, each power of two is split into
// 2^subBits equal buckets.
func bucketOf(d time.Duration) int {
	v := uint64(d / time.Microsecond)
	if v < 1<<subBits {
		return int(v)
	}
	e := bits.Len64(v) - subBits // how far v is shifted to keep subBits+1 bits
	return e<<subBits + int(v>>uint(e-1)) - 1<<subBits
}

// bucketMid returns the middle of bucket i.
func bucketMid(i int) time.Duration {
	if i < 1<<subBits {
		return time.Duration(i) * time.Microsecond
	}
	e := i >> subBits
	sub := uint64(i&(1<<subBits-1)) + 1<<subBits
	lo := sub << uint(e-1)
	width := uint64(1) << uint(e-1)
	return time.Duration(lo+width/2) * time.Microsecond
}
