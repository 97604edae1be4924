package sim

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestParseDist(t *testing.T) {
	for _, c := range []struct {
		in, want string
		mean     time.Duration
	}{
		{"20ms", "20ms", 20 * ms},
		{"0", "0s", 0},
		{" 1.5s ", "1.5s", 1500 * ms},
		{"10ms..30ms", "10ms..30ms", 20 * ms},
		{"5ms..5ms", "5ms..5ms", 5 * ms},
		{"exp:20ms", "exp:20ms", 20 * ms},
		{"250us", "250µs", 250 * time.Microsecond},
	} {
		d, err := ParseDist(c.in)
		if err != nil {
			t.Errorf("ParseDist(%q): %v", c.in, err)
			continue
		}
		if d.String() != c.want || d.Mean() != c.mean {
			t.Errorf("ParseDist(%q) = %s (mean %v), want %s (mean %v)", c.in, d, d.Mean(), c.want, c.mean)
		}
	}
}

func TestParseDistErrorsQuoteTheTextAndTheForms(t *testing.T) {
	for _, in := range []string{"", "fast", "20", "-5ms", "10ms-30ms", "30ms..10ms", "exp:", "exp:0", "exp:-1s", "1ms..", "..2ms", "uniform:1ms"} {
		_, err := ParseDist(in)
		if err == nil {
			t.Errorf("ParseDist(%q) accepted it", in)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, `"`+in+`"`) || !strings.Contains(msg, DistForms) {
			t.Errorf("ParseDist(%q) error %q does not quote the text and the allowed forms", in, msg)
		}
	}
}

func TestSamplesStayInRangeAndAreWholeMicroseconds(t *testing.T) {
	w := New(3)
	r := w.Rand("t")
	u := Uniform(10*ms, 30*ms)
	seenLo, seenHi := false, false
	for i := 0; i < 20000; i++ {
		v := u.Sample(r)
		if v < 10*ms || v > 30*ms || v%time.Microsecond != 0 {
			t.Fatalf("uniform sample %v outside [10ms, 30ms] or not whole µs", v)
		}
		seenLo = seenLo || v < 11*ms
		seenHi = seenHi || v > 29*ms
	}
	if !seenLo || !seenHi {
		t.Error("uniform samples never came near both ends")
	}
	if v := Const(20 * ms).Sample(r); v != 20*ms {
		t.Errorf("constant sample %v", v)
	}
}

func TestExponentialMean(t *testing.T) {
	w := New(5)
	r := w.Rand("t")
	e := Exp(6 * ms)
	const n = 200000
	var sum float64
	for i := 0; i < n; i++ {
		v := e.Sample(r)
		if v < 0 {
			t.Fatalf("negative sample %v", v)
		}
		sum += float64(v)
	}
	mean := sum / n / float64(ms)
	if math.Abs(mean-6) > 0.1 {
		t.Errorf("mean of %d exponential samples = %.3fms, want 6ms ± 0.1", n, mean)
	}
}

func TestParseWindow(t *testing.T) {
	w, err := ParseWindow("1s..3s")
	if err != nil || w.From != time.Second || w.To != 3*time.Second || w.String() != "1s..3s" {
		t.Fatalf("ParseWindow(1s..3s) = %v, %v", w, err)
	}
	if !w.Contains(time.Second) || w.Contains(3*time.Second) {
		t.Error("a window holds its start but not its end")
	}
	for _, in := range []string{"3s..1s", "2s..2s", "1s", "x..2s", "1s..-2s"} {
		if _, err := ParseWindow(in); err == nil {
			t.Errorf("ParseWindow(%q) accepted it", in)
		}
	}
}

func FuzzParseDist(f *testing.F) {
	for _, s := range []string{"20ms", "10ms..30ms", "exp:20ms", "0", "1h..2h", "exp:1ns", "..", "exp:exp:1s",
		"exp:10000h", "exp:2562047h", "0..10000h", "1s..20000h"} {
		f.Add(s)
	}
	w := New(1)
	r := w.Rand("fuzz")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDist(s)
		if err != nil {
			if !strings.Contains(err.Error(), DistForms) {
				t.Fatalf("error for %q does not name the allowed forms: %v", s, err)
			}
			return
		}
		// What parses prints back to something that parses to the same.
		again, err := ParseDist(d.String())
		if err != nil || again != d {
			t.Fatalf("%q parsed to %v, whose text %q parses to %v (%v)", s, d, d.String(), again, err)
		}
		for i := 0; i < 20; i++ {
			if v := d.Sample(r); v < 0 || v > MaxTime {
				t.Fatalf("%q sampled %v: outside [0, MaxTime]", s, v)
			}
		}
	})
}

// fromMicros rounds as math.Round does, halves away from zero, and
// saturates: at halves, just below and above them, and at random values
// of every size a sample may take.
func TestFromMicrosRoundsAsMathRound(t *testing.T) {
	xs := []float64{0, 0.5, 1.5, 2.5, 0.49999999999999994, 3.5e10 + 0.5, 0x1p35 - 0.5, -0.3, -7}
	r := rand.New(rand.NewPCG(4, 5))
	for range 100_000 {
		x := r.Float64() * math.Pow(10, float64(r.IntN(11)))
		xs = append(xs, x, math.Floor(x)+0.5, math.Nextafter(math.Floor(x)+0.5, 0))
	}
	for _, x := range xs {
		want := time.Duration(math.Round(max(x, 0))) * time.Microsecond
		if got := fromMicros(x); got != want {
			t.Fatalf("fromMicros(%v) = %v, want %v", x, got, want)
		}
	}
	for _, x := range []float64{float64(MaxTime / time.Microsecond), math.Inf(1), math.NaN(), 1e300} {
		if got := fromMicros(x); got != MaxTime {
			t.Errorf("fromMicros(%v) = %v, want MaxTime", x, got)
		}
	}
}

// A Sampler draws what Dist.Sample draws from the same stream, one for
// one, whichever the distribution, from a world's stream or another.
func TestSamplerDrawsWhatSampleDraws(t *testing.T) {
	for _, d := range []Dist{Exp(6 * ms), Exp(time.Microsecond), Exp(MaxTime), Uniform(ms, 9*ms), Const(ms), {}} {
		a, b := New(2), New(2)
		s := a.Sampler(d, a.Rand("x"))
		o := a.Sampler(d, rand.New(rand.NewPCG(9, 9)))
		copyOther := rand.New(rand.NewPCG(9, 9))
		for range 10_000 {
			if got, want := s.Sample(), d.Sample(b.Rand("x")); got != want {
				t.Fatalf("%v: Sampler drew %v, Sample %v", d, got, want)
			}
			if got, want := o.Sample(), d.Sample(copyOther); got != want {
				t.Fatalf("%v from another stream: Sampler drew %v, Sample %v", d, got, want)
			}
		}
		if s.Dist() != d {
			t.Errorf("Sampler.Dist() = %v, want %v", s.Dist(), d)
		}
	}
}
