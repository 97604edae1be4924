package ordering

import "strconv"

// projection is the read model the consumers build: each order's state,
// from the events applied to it. It is naive on purpose — it applies
// whatever comes, in the order it comes — and says so in the note of each
// handle event when an event comes early, late or twice. Two bytes per
// order, so it stays small however many orders run.
type projection struct {
	orders []orderState // index: order number
}

type orderState struct {
	state uint8 // the index of the last applied event's state in stateNames
	seen  uint8 // bit i set: the event with seq i+1 was applied
}

// stateNames are the states an order goes through; 0 is "no such order".
var stateNames = []string{"new", "placed", "paid", "shipped", "delivered", "cancelled"}

const cancelledState = 5

func newProjection(orders int) *projection {
	return &projection{orders: make([]orderState, orders+1)}
}

// apply applies the event and returns the note of its handle event, such
// as "v2: placed → paid" or "v2 after v3: cancelled → paid".
func (p *projection) apply(r *record) string {
	st := &p.orders[r.order]
	bit := uint8(1) << (r.seq - 1)
	to := uint8(r.seq)
	if r.Type == Cancelled {
		to = cancelledState
	}
	v := "v" + strconv.Itoa(r.seq)
	var how string
	switch {
	case st.seen&bit != 0:
		how = v + " again (duplicate)"
	case st.seen > bit:
		how = v + " after v" + strconv.Itoa(highest(st.seen))
	case st.seen != bit-1:
		how = v + " before v" + strconv.Itoa(lowestMissing(st.seen))
	default:
		how = v
	}
	note := how + ": " + stateNames[st.state] + " → " + stateNames[to]
	if st.state == cancelledState && to != cancelledState {
		note += ": a cancelled order comes back"
	}
	st.state = to
	st.seen |= bit
	return note
}

// highest returns the largest seq whose bit is set.
func highest(seen uint8) int {
	n := 0
	for i := 0; i < 8; i++ {
		if seen&(1<<i) != 0 {
			n = i + 1
		}
	}
	return n
}

// lowestMissing returns the smallest seq whose bit is not set.
func lowestMissing(seen uint8) int {
	for i := 0; i < 8; i++ {
		if seen&(1<<i) == 0 {
			return i + 1
		}
	}
	return 9
}
