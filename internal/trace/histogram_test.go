package trace

import (
	"testing"
	"time"
)

func TestHistogramExactForSmallRuns(t *testing.T) {
	var h Histogram
	for _, ms := range []int{50, 10, 40, 20, 30} {
		h.Record(time.Duration(ms) * time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 30 * time.Millisecond}, {20, 10 * time.Millisecond}, {21, 20 * time.Millisecond}, {100, 50 * time.Millisecond}} {
		if got := h.Percentile(c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
}

// A percentile asked between records sees the samples recorded since.
func TestHistogramPercentileBetweenRecords(t *testing.T) {
	var h Histogram
	h.Record(30 * time.Millisecond)
	h.Record(10 * time.Millisecond)
	if got := h.Percentile(100); got != 30*time.Millisecond {
		t.Fatalf("p100 = %v, want 30ms", got)
	}
	h.Record(20 * time.Millisecond)
	h.Record(5 * time.Millisecond)
	if lo, mid := h.Percentile(25), h.Percentile(75); lo != 5*time.Millisecond || mid != 20*time.Millisecond {
		t.Fatalf("after two more records p25 = %v, p75 = %v, want 5ms and 20ms", lo, mid)
	}
}

func TestHistogramFoldsWithinResolution(t *testing.T) {
	var h Histogram
	const n = 100000
	for i := 1; i <= n; i++ {
		h.Record(time.Duration(i) * time.Microsecond)
	}
	if len(h.exact) != 0 || h.buckets == nil {
		t.Fatalf("histogram kept %d exact samples after %d records", len(h.exact), n)
	}
	for _, p := range []float64{50, 95, 99, 99.9} {
		want := float64(p / 100 * n)
		got := float64(h.Percentile(p) / time.Microsecond)
		if rel := (got - want) / want; rel > 0.004 || rel < -0.004 {
			t.Errorf("p%v = %vµs, want %vµs ± 0.4%%", p, got, want)
		}
	}
	if h.Max() != n*time.Microsecond {
		t.Errorf("max = %v", h.Max())
	}
}

func TestBucketsAreMonotonic(t *testing.T) {
	prev := -1
	for v := 0; v < 1<<20; v += 7 {
		b := bucketOf(time.Duration(v) * time.Microsecond)
		if b < prev {
			t.Fatalf("bucket of %dµs = %d, below bucket %d of a smaller value", v, b, prev)
		}
		mid := int(bucketMid(b) / time.Microsecond)
		if d := mid - v; d*256 > v+256 || -d*256 > v+256 {
			t.Fatalf("bucket %d of %dµs has middle %dµs, too far", b, v, mid)
		}
		prev = b
	}
}
