package broker

// Pool makes messages for a pattern that sends many, and takes each back
// once the broker is done with it: acked, and no delivery of it still in
// a consumer's hands. A long run
// then reuses the few messages in flight instead of allocating one per
// send, and the garbage collector has next to nothing to do.
//
// A pooled message belongs to the broker from its send on: whoever sent
// it or handled it must not touch it, nor its deliveries, once the ack
// that settles it has returned. A message the broker never gets done with
// (dead-lettered, lost, sent to a live broker) is simply not reused. The
// zero Pool is ready to use.
type Pool struct {
	free []*Message
	slab []Message
	made int
}

// Get returns a message with nothing set.
func (p *Pool) Get() *Message {
	if n := len(p.free); n > 0 {
		m := p.free[n-1]
		p.free = p.free[:n-1]
		*m = Message{pool: p}
		return m
	}
	if len(p.slab) == 0 {
		// Slabs grow from 16 messages to 256: a short run allocates
		// little, a long one seldom.
		p.slab = make([]Message, min(max(p.made, 16), 256))
		p.made += len(p.slab)
	}
	m := &p.slab[0]
	p.slab = p.slab[1:]
	m.pool = p
	return m
}

// retire hands m back to its pool, if it has one, once it is acked and
// no delivery of it is held any more.
func (m *Message) retire() {
	if m.pool != nil && m.acked && m.holds == 0 {
		m.acked = false // put back once only
		m.pool.free = append(m.pool.free, m)
	}
}
