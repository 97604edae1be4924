package sim

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestMaxTimeTextReadsBackAsMaxTime(t *testing.T) {
	d, err := ParseDuration(MaxTimeText)
	if err != nil || d != MaxTime {
		t.Fatalf("ParseDuration(%q) = %v, %v; want %v", MaxTimeText, d, err, MaxTime)
	}
}

func TestParsersRefuseTimesPastTheCeiling(t *testing.T) {
	for _, in := range []string{"10000h1us", "2562047h", "2562047h47m16s"} {
		if _, err := ParseDuration(in); err == nil || !strings.Contains(err.Error(), MaxTimeText) {
			t.Errorf("ParseDuration(%q) = %v, want an error naming %s", in, err, MaxTimeText)
		}
	}
	for _, in := range []string{"exp:2562047h", "1s..20000h", "10001h"} {
		if _, err := ParseDist(in); err == nil {
			t.Errorf("ParseDist(%q) accepted a time past the ceiling", in)
		}
	}
	if _, err := ParseWindow("1s..2562047h"); err == nil {
		t.Errorf("ParseWindow accepted a window ending past the ceiling")
	}
}

func TestSamplesAndScaleSaturateAtMaxTime(t *testing.T) {
	r := New(1).Rand("t")
	e := Exp(MaxTime)
	for i := 0; i < 10000; i++ {
		if v := e.Sample(r); v < 0 || v > MaxTime {
			t.Fatalf("exponential sample %v outside [0, %v]", v, MaxTime)
		}
	}
	for _, c := range []struct {
		d      time.Duration
		factor float64
		want   time.Duration
	}{
		{3 * time.Hour, 1e6, MaxTime},
		{MaxTime, 1e6, MaxTime},
		{MaxTime, math.Inf(1), MaxTime},
		{2 * time.Millisecond, 1.5, 3 * time.Millisecond},
	} {
		if got := Scale(c.d, c.factor); got != c.want {
			t.Errorf("Scale(%v, %g) = %v, want %v", c.d, c.factor, got, c.want)
		}
	}
}

func TestTimeNeverPassesTheCeilingNorGoesBack(t *testing.T) {
	w := New(1)
	var times []time.Duration
	seen := func() { times = append(times, w.Now()) }
	w.After(time.Hour, nil, func() {
		seen()
		w.After(math.MaxInt64, nil, seen) // saturates at MaxTime: never runs
		w.AfterCall(math.MaxInt64-1, nil, func(any) { seen() }, nil)
		w.At(math.MaxInt64, nil, seen)
		w.After(-time.Hour, nil, seen) // in the past: runs now
	})
	w.SetUntil(MaxTime)
	w.Run(nil)
	for i, at := range times {
		if at < 0 || at > MaxTime || (i > 0 && at < times[i-1]) {
			t.Fatalf("callbacks ran at %v: out of [0, MaxTime] or backwards", times)
		}
	}
	if len(times) != 2 {
		t.Errorf("ran %d callbacks (%v), want the two before the ceiling", len(times), times)
	}
	if w.Now() > MaxTime {
		t.Errorf("the run ended at %v, past the ceiling", w.Now())
	}
}

func TestARunStopsAtTheCeiling(t *testing.T) {
	w := New(1)
	var tick func()
	tick = func() { w.Progress(); w.After(1000*time.Hour, nil, tick) }
	w.After(0, nil, tick)
	w.SetUntil(MaxTime)
	w.Run(nil)
	if w.Now() != MaxTime || !strings.Contains(w.Stopped(), MaxTimeText) {
		t.Errorf("run ended at %v (%q), want at %v naming the ceiling", w.Now(), w.Stopped(), MaxTime)
	}
}

func TestAddSaturates(t *testing.T) {
	for _, c := range []struct{ t, d, want time.Duration }{
		{MaxTime - 1, 2, MaxTime},
		{time.Hour, math.MaxInt64, MaxTime},
		{time.Hour, -2 * time.Hour, 0},
		{time.Hour, math.MinInt64, 0},
		{time.Hour, time.Second, time.Hour + time.Second},
	} {
		if got := Add(c.t, c.d); got != c.want {
			t.Errorf("Add(%v, %v) = %v, want %v", c.t, c.d, got, c.want)
		}
	}
}
