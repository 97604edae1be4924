//go:build unix

package bench

import (
	"bytes"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/cmd"
)

// The headline run: a million orders through eight workers, an order every
// 1ms on average and 6ms of work each, exponential both (an M/M/8 queue at
// 75% load).
const (
	messages    = 1_000_000
	servers     = 8
	arrivalMean = 1000.0 // µs
	workMean    = 6000.0 // µs
)

var headline = []string{"competing", "--messages", "1000000", "--consumers", "8",
	"--arrival", "exp:1ms", "--work", "exp:6ms"}

// msgplay runs the headline with extra flags, its output thrown away, and
// fails unless it ran and every message was acked.
func msgplay(tb testing.TB, extra ...string) {
	var errs bytes.Buffer
	out := &tail{}
	ios := &cmd.IOStreams{In: strings.NewReader(""), Out: out, Err: &errs,
		Getenv: func(string) string { return "" }}
	if code := cmd.Run(append(append([]string{}, headline...), extra...), ios); code != 0 {
		tb.Fatalf("msgplay exited %d: %s", code, errs.String())
	}
	if !bytes.Contains(out.last, []byte("all 1000000 messages handled and acked")) {
		tb.Fatalf("the summary does not say every message was acked:\n%s", out.last)
	}
}

// tail is a writer that discards everything but the last few kilobytes, so
// the summary can be checked without keeping the whole trace.
type tail struct{ last []byte }

func (t *tail) Write(p []byte) (int, error) {
	const keep = 4096
	t.last = append(t.last, p...)
	if len(t.last) > 2*keep {
		t.last = append(t.last[:0], t.last[len(t.last)-keep:]...)
	}
	return len(p), nil
}

var _ io.Writer = (*tail)(nil)

// baseline runs the hand-written M/M/8 simulation of the headline.
func baseline(tb testing.TB) {
	s := runMM(messages, servers, arrivalMean, workMean, 1)
	if s.done != messages {
		tb.Fatalf("baseline served %d of %d", s.done, messages)
	}
}

// BenchmarkBaseline is the floor: the hand-written simulation alone.
func BenchmarkBaseline(b *testing.B) { bench(b, func() { baseline(b) }) }

// BenchmarkQuiet is the README's headline: msgplay competing … --quiet.
func BenchmarkQuiet(b *testing.B) { bench(b, func() { msgplay(b, "--quiet") }) }

// BenchmarkText is the headline with its full text trace, thrown away.
func BenchmarkText(b *testing.B) { bench(b, func() { msgplay(b) }) }

// BenchmarkJSON is the headline with its full JSON trace, thrown away.
func BenchmarkJSON(b *testing.B) { bench(b, func() { msgplay(b, "--format", "json") }) }

// bench times fn and reports its CPU time beside the wall time.
func bench(b *testing.B, fn func()) {
	var cpu time.Duration
	for b.Loop() {
		cpu += measure(b, fn)
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-sec/op")
}

// BenchmarkRatio runs two things in turn, each iteration, so both meet the
// same load on a shared machine, and reports their CPU times and the
// ratio: msgplay --quiet against the hand-written baseline (the goal: 2 or
// less), and the full text and JSON traces against --quiet (likewise).
func BenchmarkRatio(b *testing.B) {
	pairs := []struct {
		name        string
		floor, meas func()
	}{
		{"quiet/baseline", func() { baseline(b) }, func() { msgplay(b, "--quiet") }},
		{"text/quiet", func() { msgplay(b, "--quiet") }, func() { msgplay(b) }},
		{"json/quiet", func() { msgplay(b, "--quiet") }, func() { msgplay(b, "--format", "json") }},
	}
	for _, p := range pairs {
		b.Run(p.name, func(b *testing.B) {
			var floor, meas time.Duration
			var ratios []float64
			for b.Loop() {
				f := measure(b, p.floor)
				m := measure(b, p.meas)
				floor += f
				meas += m
				ratios = append(ratios, m.Seconds()/f.Seconds())
			}
			n := float64(b.N)
			b.ReportMetric(floor.Seconds()/n, "floor-cpu-sec/op")
			b.ReportMetric(meas.Seconds()/n, "cpu-sec/op")
			b.ReportMetric(median(ratios), "cpu-ratio")
		})
	}
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// TestBaselineIsMM8 holds the baseline to queueing theory, so the floor is
// the same queue as the headline: the mean time in an M/M/c system is the
// work plus the Erlang C wait.
func TestBaselineIsMM8(t *testing.T) {
	s := runMM(200_000, servers, arrivalMean, workMean, 1)
	if s.done != 200_000 {
		t.Fatalf("served %d of 200000", s.done)
	}
	got := float64(s.latencySum) / float64(s.done)
	want := workMean + erlangCWait(servers, 1/arrivalMean, 1/workMean)
	if math.Abs(got-want)/want > 0.03 {
		t.Errorf("mean time in system %.0fµs, theory says %.0fµs", got, want)
	}
	var busy int64
	for _, b := range s.busy {
		busy += b
	}
	if load := float64(busy) / float64(servers*s.now); math.Abs(load-0.75) > 0.01 {
		t.Errorf("servers busy %.3f of the time, theory says 0.75", load)
	}
	if p50, p99 := s.percentile(50), s.percentile(99); !(p50 > 4000 && p50 < 7000 && p99 > p50 && p99 <= s.latencyMax) {
		t.Errorf("p50 %dµs, p99 %dµs, max %dµs: out of order or far from the 5.3ms msgplay shows", p50, p99, s.latencyMax)
	}
}

// erlangCWait returns the mean wait in queue of an M/M/c queue with arrival
// rate lambda and service rate mu per server.
func erlangCWait(c int, lambda, mu float64) float64 {
	a := lambda / mu
	rho := a / float64(c)
	term, sum := 1.0, 0.0 // a^k/k!
	for k := 0; k < c; k++ {
		sum += term
		term *= a / float64(k+1)
	}
	last := term / (1 - rho)
	pWait := last / (sum + last)
	return pWait / (float64(c)*mu - lambda)
}
