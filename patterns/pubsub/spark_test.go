package pubsub

import (
	"testing"
	"time"
)

func TestLevelScalesToTheTop(t *testing.T) {
	cases := []struct {
		v, top int64
		want   int
	}{{0, 10, 0}, {1, 10, 1}, {5, 10, 4}, {10, 10, 7}, {1, 1, 7}, {3, 0, 0}, {12, 10, 7}}
	for _, c := range cases {
		if got := level(c.v, c.top); got != c.want {
			t.Errorf("level(%d, %d) = %d, want %d", c.v, c.top, got, c.want)
		}
	}
}

func TestSparkCarriesTheLevelAcrossQuietTime(t *testing.T) {
	var s spark
	ms := time.Millisecond
	s.record(0, 4)     // 4 from the start…
	s.record(8*ms, 0)  // …until 8ms, then nothing
	s.record(12*ms, 4) // …and 4 again from 12ms
	s.record(15*ms, 0) // until 15ms
	// 16 buckets of 1ms, one column each; a change at a bucket's start
	// owns the bucket.
	if got := s.render(15*ms, 4); got != "████████▁▁▁▁███▁" {
		t.Errorf("render = %q, want ████████▁▁▁▁███▁", got)
	}
}

func TestSparkWidensItsBucketsAndKeepsTheMaximum(t *testing.T) {
	var s spark
	s.record(0, 1)
	s.record(10*time.Second, 9) // far past 64 buckets of 1ms
	s.record(10*time.Second+time.Millisecond, 1)
	if s.width < 10*time.Second/sparkBuckets {
		t.Fatalf("width %s: the buckets did not widen", s.width)
	}
	got := []rune(s.render(20*time.Second, 9))
	if len(got) != sparkColumns {
		t.Fatalf("%d columns, want %d", len(got), sparkColumns)
	}
	full := 0
	for _, r := range got {
		if r == '█' {
			full++
		}
	}
	// One peak in the middle; a level of 1 under a top of 9 is the lowest
	// non-empty bar, not nothing.
	if full != 1 || got[0] != '▂' || got[sparkColumns-1] != '▂' {
		t.Errorf("render = %q: want one peak in the middle over a low line", string(got))
	}
}

func TestShortRunGetsOneColumnPerBucket(t *testing.T) {
	var s spark
	s.record(0, 2)
	s.record(2*time.Millisecond, 0)
	if got := s.render(3*time.Millisecond, 2); got != "██▁▁" {
		t.Errorf("render = %q, want ██▁▁", got)
	}
}
