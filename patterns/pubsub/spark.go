package pubsub

import (
	"strings"
	"time"
)

// sparkBuckets is how many time buckets a spark keeps. When the run
// outgrows them, neighbours merge and each bucket covers twice the time,
// so memory stays fixed however long the run.
const sparkBuckets = 64

// sparkColumns is how many characters a rendered sparkline has at most.
const sparkColumns = 16

// sparkLevels draw a value from none to the most.
var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// spark records the highest value a level (a backlog) reached in each
// slice of time.
type spark struct {
	width time.Duration // time one bucket covers
	b     [sparkBuckets]int64
	last  int   // the bucket of the last change
	cur   int64 // the level since the last change
}

// record notes that the level became v at time t (t never decreases).
func (s *spark) record(t time.Duration, v int64) {
	i := s.index(t)
	s.carry(i)
	if t > time.Duration(i)*s.width { // the old level held for part of this bucket too
		s.b[i] = max(s.b[i], s.cur)
	}
	s.b[i] = max(s.b[i], v)
	s.cur = v
}

// carry fills the buckets from the last change up to, not including, i
// with the level held meanwhile.
func (s *spark) carry(i int) {
	for j := s.last; j < i; j++ {
		s.b[j] = max(s.b[j], s.cur)
	}
	s.last = i
}

// index returns the bucket of time t, widening the buckets until t fits.
func (s *spark) index(t time.Duration) int {
	if s.width == 0 {
		s.width = time.Millisecond
	}
	i := int(t / s.width)
	for i >= sparkBuckets {
		for j := 0; j < sparkBuckets/2; j++ {
			s.b[j] = max(s.b[2*j], s.b[2*j+1])
		}
		clear(s.b[sparkBuckets/2:])
		s.last /= 2
		s.width *= 2
		i = int(t / s.width)
	}
	return i
}

// render draws the levels from time 0 to end in at most sparkColumns
// characters, scaled so that top is a full block; 0 is the lowest bar.
func (s *spark) render(end time.Duration, top int64) string {
	n := s.index(end) + 1
	s.carry(n - 1)
	s.b[n-1] = max(s.b[n-1], s.cur)
	cols := min(n, sparkColumns)
	var b strings.Builder
	for c := 0; c < cols; c++ {
		var v int64
		for j := c * n / cols; j < (c+1)*n/cols; j++ {
			v = max(v, s.b[j])
		}
		b.WriteRune(sparkLevels[level(v, top)])
	}
	return b.String()
}

// level maps v in 0..top to an index of sparkLevels: 0 alone gets the
// lowest bar, anything above 0 at least the second.
func level(v, top int64) int {
	if v <= 0 || top <= 0 {
		return 0
	}
	steps := int64(len(sparkLevels) - 1)
	return int(min((v*steps+top-1)/top, steps)) // ceil(v/top × steps)
}
