package bench

import (
	"math"
	"math/rand/v2"
)

// mm is a minimal discrete-event simulation of an M/M/c queue, written by
// hand as the floor msgplay is measured against: a heap of events, two
// exponential streams, a FIFO of waiting arrivals and c servers. It keeps
// no trace and checks nothing, but it works out the figures msgplay's
// summary shows: per server its deliveries and busy time, the queue's
// greatest depth, and latency percentiles.
type mm struct {
	now     int64 // virtual time in µs
	seq     uint64
	events  []mmEvent // a binary heap ordered by (at, seq)
	waiting []int64   // arrival times of the queued messages, FIFO
	head    int       // front of waiting

	arrival, work *rand.Rand
	arrivalMean   float64 // µs
	workMean      float64 // µs

	done        int     // departures so far
	left        int     // arrivals still to come
	maxDepth    int     // most messages waiting at once
	servedSince []int64 // per server: when its current message arrived
	started     []int64 // per server: when it began its current message
	delivered   []int   // per server
	busy        []int64 // per server, µs

	latencySum int64          // µs, arrival to departure
	latencyMax int64          // µs
	latencies  [1 << 18]int32 // how many took each whole µs, below 262ms
}

// percentile returns the latency p percent of messages did not exceed, in
// µs (the maximum when it falls among the longest ones).
func (s *mm) percentile(p float64) int64 {
	rank := int(math.Ceil(p / 100 * float64(s.done)))
	n := 0
	for us, count := range s.latencies {
		if n += int(count); n >= rank {
			return int64(us)
		}
	}
	return s.latencyMax
}

type mmEvent struct {
	at     int64
	seq    uint64
	server int32 // -1 for an arrival
}

func (e *mmEvent) before(o *mmEvent) bool {
	return e.at < o.at || (e.at == o.at && e.seq < o.seq)
}

// expUS draws an exponential duration in whole microseconds, by inversion,
// as msgplay does.
func expUS(r *rand.Rand, mean float64) int64 {
	return int64(math.Round(-math.Log(1-r.Float64()) * mean))
}

func (s *mm) push(at int64, server int32) {
	s.seq++
	h := append(s.events, mmEvent{at: at, seq: s.seq, server: server})
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h[i].before(&h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
	s.events = h
}

func (s *mm) pop() mmEvent {
	h := s.events
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && h[r].before(&h[l]) {
			m = r
		}
		if !h[m].before(&h[i]) {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	s.events = h
	return top
}

// serve starts a server on a message that arrived at arrived.
func (s *mm) serve(server int32, arrived int64) {
	s.servedSince[server] = arrived
	s.started[server] = s.now
	s.delivered[server]++
	s.push(s.now+expUS(s.work, s.workMean), server)
}

// runMM simulates n messages through c servers and returns the simulation
// when the last one has departed.
func runMM(n, c int, arrivalMean, workMean float64, seed uint64) *mm {
	s := &mm{
		left: n, arrivalMean: arrivalMean, workMean: workMean,
		arrival:     rand.New(rand.NewPCG(seed, 1)),
		work:        rand.New(rand.NewPCG(seed, 2)),
		servedSince: make([]int64, c), started: make([]int64, c),
		delivered: make([]int, c), busy: make([]int64, c),
	}
	free := make([]int32, 0, c) // idle servers, reused last in first out
	for i := c - 1; i >= 0; i-- {
		free = append(free, int32(i))
	}
	if n > 0 {
		s.push(0, -1)
	}
	for len(s.events) > 0 {
		e := s.pop()
		s.now = e.at
		if e.server < 0 { // an arrival
			s.left--
			if s.left > 0 {
				s.push(s.now+expUS(s.arrival, s.arrivalMean), -1)
			}
			if len(free) > 0 {
				srv := free[len(free)-1]
				free = free[:len(free)-1]
				s.serve(srv, s.now)
			} else {
				s.waiting = append(s.waiting, s.now)
				s.maxDepth = max(s.maxDepth, len(s.waiting)-s.head)
			}
			continue
		}
		// a departure
		lat := s.now - s.servedSince[e.server]
		s.done++
		s.latencySum += lat
		s.latencyMax = max(s.latencyMax, lat)
		if lat < int64(len(s.latencies)) {
			s.latencies[lat]++
		}
		s.busy[e.server] += s.now - s.started[e.server]
		if s.head < len(s.waiting) {
			s.serve(e.server, s.waiting[s.head])
			s.head++
			if s.head == len(s.waiting) { // empty: reuse the space
				s.waiting, s.head = s.waiting[:0], 0
			}
		} else {
			free = append(free, e.server)
		}
	}
	return s
}
