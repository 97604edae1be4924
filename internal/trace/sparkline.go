package trace

import (
	"slices"
	"strings"
	"time"
)

// sparkBuckets is how many time buckets a Sparkline keeps. When the run
// outgrows them, neighbours merge and each bucket covers twice the time,
// so memory stays fixed however long the run.
const sparkBuckets = 64

// sparkLevels draw a value from none to the most.
var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// Sparkline records the highest value a level (a backlog, an outbox's
// depth) reached in each slice of virtual time, in fixed memory, and draws
// it as a row of bars such as ▁▂▅█▃▁.
type Sparkline struct {
	width time.Duration // time one bucket covers
	b     [sparkBuckets]int64
	last  int   // the bucket of the last change
	cur   int64 // the level since the last change
	max   int64
}

// Max returns the highest level recorded.
func (s *Sparkline) Max() int64 { return s.max }

// Record notes that the level became v at time t (t never decreases).
func (s *Sparkline) Record(t time.Duration, v int64) {
	s.max = max(s.max, v)
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
func (s *Sparkline) carry(i int) {
	for j := s.last; j < i; j++ {
		s.b[j] = max(s.b[j], s.cur)
	}
	s.last = i
}

// index returns the bucket of time t, widening the buckets until t fits.
func (s *Sparkline) index(t time.Duration) int {
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

// Render draws the levels from time 0 to end in at most columns
// characters, scaled so that top is a full block (give several sparklines
// one top to compare them); 0 is the lowest bar.
func (s *Sparkline) Render(end time.Duration, columns int, top int64) string {
	n := s.upTo(end)
	cols := min(n, columns)
	var b strings.Builder
	for c := 0; c < cols; c++ {
		var v int64
		for j := c * n / cols; j < (c+1)*n/cols; j++ {
			v = max(v, s.b[j])
		}
		b.WriteRune(sparkLevels[sparkLevel(v, top)])
	}
	return b.String()
}

// Series returns the levels from time 0 to end as a chart for graphical
// renderers, one value per bucket; text names the table that draws the
// same levels as a sparkline.
func (s *Sparkline) Series(title, text string, end time.Duration) Series {
	n := s.upTo(end)
	return Series{Title: title, Step: s.width, Values: slices.Clone(s.b[:n]), Text: text}
}

// upTo fills the buckets up to the one holding end and returns how many
// buckets that is.
func (s *Sparkline) upTo(end time.Duration) int {
	n := s.index(end) + 1
	s.carry(n - 1)
	s.b[n-1] = max(s.b[n-1], s.cur)
	return n
}

// sparkLevel maps v in 0..top to an index of sparkLevels: 0 alone gets the
// lowest bar, anything above 0 at least the second.
func sparkLevel(v, top int64) int {
	if v <= 0 || top <= 0 {
		return 0
	}
	steps := int64(len(sparkLevels) - 1)
	return int(min((v*steps+top-1)/top, steps)) // ceil(v/top × steps)
}
