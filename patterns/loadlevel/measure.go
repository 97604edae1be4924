package loadlevel

import (
	"math"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// measure collects what the summary reports about the orders: waits in
// the queue and times in the system, as histograms and as exact sums.
type measure struct {
	wait, system  trace.Histogram
	waitSum       float64 // µs
	systemSum     float64 // µs
	waited        int64   // orders that waited at all
	batches       batchMeans
	busy, serving time.Duration // summed over workers
}

func (m *measure) started(wait time.Duration) {
	m.wait.Record(wait)
	us := float64(wait / time.Microsecond)
	m.waitSum += us
	m.batches.add(us)
	if wait > 0 {
		m.waited++
	}
}

func (m *measure) finished(system time.Duration) {
	m.system.Record(system)
	m.systemSum += float64(system / time.Microsecond)
}

// meanWait returns the mean wait in the queue.
func (m *measure) meanWait() time.Duration { return usDur(m.waitSum, m.wait.Count()) }

// meanSystem returns the mean time from send to ack.
func (m *measure) meanSystem() time.Duration { return usDur(m.systemSum, m.system.Count()) }

func usDur(sum float64, n int64) time.Duration {
	if n == 0 {
		return 0
	}
	return time.Duration(math.Round(sum/float64(n))) * time.Microsecond
}

// batchSlots is how many batches batchMeans keeps; when they are full,
// neighbours merge and each batch takes twice as many samples.
const batchSlots = 64

// batchMeans estimates how far a mean of correlated samples (waits in a
// queue: one long wait makes the next one long too) may be from the truth,
// by the method of batch means: consecutive samples are grouped in batches
// long enough to be nearly independent, and the spread of the batch means
// gives the confidence interval.
type batchMeans struct {
	size  int64 // samples per batch
	sums  []float64
	cur   float64
	inCur int64
}

func (b *batchMeans) add(x float64) {
	if b.size == 0 {
		b.size = 1
	}
	b.cur += x
	b.inCur++
	if b.inCur < b.size {
		return
	}
	b.sums = append(b.sums, b.cur)
	b.cur, b.inCur = 0, 0
	if len(b.sums) == batchSlots {
		for i := 0; i < batchSlots/2; i++ {
			b.sums[i] = b.sums[2*i] + b.sums[2*i+1]
		}
		b.sums = b.sums[:batchSlots/2]
		b.size *= 2
	}
}

// halfWidth returns the half-width of the 95% confidence interval of the
// mean, and false when there are too few batches to tell.
func (b *batchMeans) halfWidth() (float64, bool) {
	k := len(b.sums)
	if k < 16 || b.size < 8 {
		return 0, false
	}
	var mean float64
	for _, s := range b.sums {
		mean += s / float64(b.size)
	}
	mean /= float64(k)
	var ss float64
	for _, s := range b.sums {
		d := s/float64(b.size) - mean
		ss += d * d
	}
	sd := math.Sqrt(ss / float64(k-1))
	return 2.04 * sd / math.Sqrt(float64(k)), true // t(0.975) for 31 to 63 degrees of freedom
}
