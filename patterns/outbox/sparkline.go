package outbox

import (
	"strings"
	"time"
)

// sparkSlots is how many characters a Sparkline draws at most.
const sparkSlots = 40

// Sparkline records a level over virtual time (the outbox depth) in a fixed
// number of slots, keeping the highest level each slot saw. When time runs
// past the last slot, pairs of slots merge and each covers twice as long,
// so its memory does not grow with the run.
type Sparkline struct {
	slots [sparkSlots]int64
	width time.Duration // the span of one slot; 0 until the first record
	last  int           // the slot of the last record
	cur   int64         // the level since the last record
	max   int64
}

// Record notes that the level is v from time t on.
func (s *Sparkline) Record(t time.Duration, v int64) {
	if s.width == 0 {
		s.width = time.Millisecond
	}
	for t/s.width >= sparkSlots {
		for i := 0; i < sparkSlots/2; i++ {
			s.slots[i] = max(s.slots[2*i], s.slots[2*i+1])
		}
		clear(s.slots[sparkSlots/2:])
		s.width *= 2
		s.last /= 2
	}
	slot := int(t / s.width)
	for i := s.last + 1; i <= slot; i++ {
		s.slots[i] = s.cur
	}
	s.slots[slot] = max(s.slots[slot], v)
	s.cur, s.last = v, slot
	s.max = max(s.max, v)
}

// Max returns the highest level recorded.
func (s *Sparkline) Max() int64 { return s.max }

var sparkBars = []rune("▁▂▃▄▅▆▇█")

// String draws the slots up to the last record: "·" for a slot at 0, and
// a bar scaled to the highest level for the others.
func (s *Sparkline) String() string {
	if s.width == 0 {
		return ""
	}
	var b strings.Builder
	for i := 0; i <= s.last; i++ {
		v := s.slots[i]
		if v == 0 || s.max == 0 {
			b.WriteString("·")
			continue
		}
		k := int((v*int64(len(sparkBars)) - 1) / s.max)
		b.WriteRune(sparkBars[min(k, len(sparkBars)-1)])
	}
	return b.String()
}
