package trace

import (
	"slices"
	"testing"
	"time"
)

func TestSparkLevelScalesToTheTop(t *testing.T) {
	cases := []struct {
		v, top int64
		want   int
	}{{0, 10, 0}, {1, 10, 1}, {5, 10, 4}, {10, 10, 7}, {1, 1, 7}, {3, 0, 0}, {12, 10, 7}}
	for _, c := range cases {
		if got := sparkLevel(c.v, c.top); got != c.want {
			t.Errorf("sparkLevel(%d, %d) = %d, want %d", c.v, c.top, got, c.want)
		}
	}
}

func TestSparklineCarriesTheLevelAcrossQuietTime(t *testing.T) {
	var s Sparkline
	ms := time.Millisecond
	s.Record(0, 4)     // 4 from the start…
	s.Record(8*ms, 0)  // …until 8ms, then nothing
	s.Record(12*ms, 4) // …and 4 again from 12ms
	s.Record(15*ms, 0) // until 15ms
	// 16 buckets of 1ms, one column each; a change at a bucket's start
	// owns the bucket.
	if got := s.Render(15*ms, 16, 4); got != "████████▁▁▁▁███▁" {
		t.Errorf("render = %q, want ████████▁▁▁▁███▁", got)
	}
}

func TestSparklineWidensItsBucketsAndKeepsTheMaximum(t *testing.T) {
	var s Sparkline
	s.Record(0, 1)
	s.Record(10*time.Second, 9) // far past 64 buckets of 1ms
	s.Record(10*time.Second+time.Millisecond, 1)
	if s.width < 10*time.Second/sparkBuckets {
		t.Fatalf("width %s: the buckets did not widen", s.width)
	}
	got := []rune(s.Render(20*time.Second, 16, 9))
	if len(got) != 16 {
		t.Fatalf("%d columns, want 16", len(got))
	}
	full := 0
	for _, r := range got {
		if r == '█' {
			full++
		}
	}
	// One peak in the middle; a level of 1 under a top of 9 is the lowest
	// non-empty bar, not nothing.
	if full != 1 || got[0] != '▂' || got[15] != '▂' {
		t.Errorf("render = %q: want one peak in the middle over a low line", string(got))
	}
}

func TestShortRunGetsOneColumnPerBucket(t *testing.T) {
	var s Sparkline
	s.Record(0, 2)
	s.Record(2*time.Millisecond, 0)
	if got := s.Render(3*time.Millisecond, 16, 2); got != "██▁▁" {
		t.Errorf("render = %q, want ██▁▁", got)
	}
}

func TestSparklineMax(t *testing.T) {
	var s Sparkline
	for i, v := range []int64{3, 9, 2} {
		s.Record(time.Duration(i)*time.Millisecond, v)
	}
	if s.Max() != 9 {
		t.Errorf("Max() = %d, want 9", s.Max())
	}
}

func TestSparklineSeriesHoldsWhatItDraws(t *testing.T) {
	var s Sparkline
	ms := time.Millisecond
	s.Record(0, 4)
	s.Record(3*ms, 0)
	s.Record(5*ms, 2)
	sr := s.Series("backlog", "over time", 6*ms)
	want := []int64{4, 4, 4, 0, 0, 2, 2}
	if sr.Step != ms || sr.Title != "backlog" || sr.Text != "over time" || !slices.Equal(sr.Values, want) {
		t.Fatalf("series = %+v, want step 1ms and values %v", sr, want)
	}
	sr.Values[0] = 99
	if s.Render(6*ms, 7, 4) != "███▁▁▅▅" {
		t.Errorf("changing the series changed the sparkline: %q", s.Render(6*ms, 7, 4))
	}
}
