package retry

import "time"

// rateSlot is the step a perSecond window moves in.
const rateSlot = 100 * time.Millisecond

// perSecond counts events over the last second of virtual time, in ten
// slots of 100ms, in fixed memory: the gateway uses it to refuse calls
// beyond its capacity, the checks to find the peak load.
type perSecond struct {
	slots [10]int64
	slot  int64 // the slot of the last event
	sum   int64
}

// advance moves the window to time t, forgetting the slots that fell out.
func (r *perSecond) advance(t time.Duration) {
	s := int64(t / rateSlot)
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

// count returns how many events fell in the second up to t.
func (r *perSecond) count(t time.Duration) int64 {
	r.advance(t)
	return r.sum
}

// add records one event at t and returns the count of the second up to t.
func (r *perSecond) add(t time.Duration) int64 {
	r.advance(t)
	r.slots[r.slot%10]++
	r.sum++
	return r.sum
}
