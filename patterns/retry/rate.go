package retry

import "time"

// rateSlot is the step a one-second window moves in.
const rateSlot = 100 * time.Millisecond

// window counts events over the last span of virtual time, in ten slots of
// span/10, in fixed memory: the gateway uses one of a second to refuse
// calls beyond its capacity, the checks to find the peak load, the
// breaker one of --breaker-window to weigh failures against calls. The
// zero window spans one second.
type window struct {
	width time.Duration // the span of one slot; 0 means rateSlot
	slots [10]int64
	slot  int64 // the slot of the last event
	sum   int64
}

// advance moves the window to time t, forgetting the slots that fell out.
func (r *window) advance(t time.Duration) {
	if r.width == 0 {
		r.width = rateSlot
	}
	s := int64(t / r.width)
	if s-r.slot >= int64(len(r.slots)) {
		r.slots, r.sum = [10]int64{}, 0
	} else {
		for k := r.slot + 1; k <= s; k++ {
			r.sum -= r.slots[k%10]
			r.slots[k%10] = 0
		}
	}
	r.slot = max(r.slot, s)
}

// count returns how many events fell in the span up to t.
func (r *window) count(t time.Duration) int64 {
	r.advance(t)
	return r.sum
}

// add records one event at t and returns the count of the span up to t.
func (r *window) add(t time.Duration) int64 {
	r.advance(t)
	r.slots[r.slot%10]++
	r.sum++
	return r.sum
}
