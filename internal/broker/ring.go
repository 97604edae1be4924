package broker

// ring is a double-ended FIFO that grows as needed and reuses its space, so
// a queue's memory follows its depth, not the number of messages it has seen.
// Its length is a power of two, so positions wrap with a mask.
type ring[T any] struct {
	buf        []T
	head, size int
}

func (r *ring[T]) len() int { return r.size }

func (r *ring[T]) grow() {
	n := max(2*len(r.buf), 16)
	buf := make([]T, n)
	for i := 0; i < r.size; i++ {
		buf[i] = r.buf[(r.head+i)&(len(r.buf)-1)]
	}
	r.buf, r.head = buf, 0
}

func (r *ring[T]) pushBack(v T) {
	if r.size == len(r.buf) {
		r.grow()
	}
	r.buf[(r.head+r.size)&(len(r.buf)-1)] = v
	r.size++
}

func (r *ring[T]) pushFront(v T) {
	if r.size == len(r.buf) {
		r.grow()
	}
	r.head = (r.head - 1) & (len(r.buf) - 1)
	r.buf[r.head] = v
	r.size++
}

func (r *ring[T]) popFront() T {
	var zero T
	v := r.buf[r.head]
	r.buf[r.head] = zero
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.size--
	return v
}

// at returns the i-th element from the front.
func (r *ring[T]) at(i int) T { return r.buf[(r.head+i)&(len(r.buf)-1)] }

// swap exchanges the i-th and j-th elements from the front.
func (r *ring[T]) swap(i, j int) {
	a, b := (r.head+i)&(len(r.buf)-1), (r.head+j)&(len(r.buf)-1)
	r.buf[a], r.buf[b] = r.buf[b], r.buf[a]
}

func (r *ring[T]) clear() {
	var zero T
	for i := 0; i < r.size; i++ {
		r.buf[(r.head+i)&(len(r.buf)-1)] = zero
	}
	r.head, r.size = 0, 0
}
