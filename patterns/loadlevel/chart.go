package loadlevel

import (
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// maxBuckets bounds the memory of a series: when time outgrows it, pairs
// of buckets merge and the bucket width doubles.
const maxBuckets = 1024

// series follows the backlog and the number of serving workers over time,
// keeping the highest value each time bucket saw, in memory that does not
// grow with the length of the run.
type series struct {
	width   time.Duration
	backlog []int
	workers []int
	curB    int
	curW    int

	peak      int
	peakAt    time.Duration
	drainedAt time.Duration // first time the backlog was empty after the peak; -1 while it is not
}

func newSeries() *series {
	return &series{width: time.Millisecond, drainedAt: -1}
}

// set records the backlog and the workers at time now.
func (s *series) set(now time.Duration, backlog, workers int) {
	s.reach(now)
	i := len(s.backlog) - 1
	s.backlog[i] = max(s.backlog[i], backlog)
	s.workers[i] = max(s.workers[i], workers)
	s.curB, s.curW = backlog, workers
	switch {
	case backlog > s.peak:
		s.peak, s.peakAt, s.drainedAt = backlog, now, -1
	case backlog == 0 && s.drainedAt < 0 && s.peak > 0:
		s.drainedAt = now
	}
}

// reach extends the buckets up to the one holding now, each new bucket
// starting at the level the last one ended with.
func (s *series) reach(now time.Duration) {
	for int(now/s.width) >= maxBuckets {
		n := len(s.backlog) / 2
		for i := 0; i < n; i++ {
			s.backlog[i] = max(s.backlog[2*i], s.backlog[2*i+1])
			s.workers[i] = max(s.workers[2*i], s.workers[2*i+1])
		}
		if len(s.backlog)%2 == 1 {
			s.backlog[n], s.workers[n] = s.backlog[len(s.backlog)-1], s.workers[len(s.workers)-1]
			n++
		}
		s.backlog, s.workers = s.backlog[:n], s.workers[:n]
		s.width *= 2
	}
	for int(now/s.width) >= len(s.backlog) {
		s.backlog = append(s.backlog, s.curB)
		s.workers = append(s.workers, s.curW)
	}
}

// columns returns, for each of n equal spans of [0, end], the highest
// value of v over the buckets it covers.
func (s *series) columns(v []int, end time.Duration, n int) []int {
	out := make([]int, n)
	if len(v) == 0 || end <= 0 {
		return out
	}
	for c := 0; c < n; c++ {
		t0 := end * time.Duration(c) / time.Duration(n)
		t1 := end * time.Duration(c+1) / time.Duration(n)
		i0 := min(int(t0/s.width), len(v)-1)
		i1 := min(max(i0, int((t1-1)/s.width)), len(v)-1)
		for i := i0; i <= i1; i++ {
			out[c] = max(out[c], v[i])
		}
	}
	return out
}

// chartWidth is how many columns of time a chart has; chartHeight how many
// rows the backlog takes.
const (
	chartWidth  = 64
	chartHeight = 8
	labelWidth  = 9
)

var blocks = []rune(" ▁▂▃▄▅▆▇█")

// chart draws the backlog (and, when withWorkers, the serving workers)
// over [0, end] as lines of text, highest values on top, eight levels per
// row with block characters.
func (s *series) chart(end time.Duration, withWorkers bool) []string {
	s.reach(end)
	var lines []string
	b := s.columns(s.backlog, end, chartWidth)
	lines = append(lines, bars(b, s.peak, chartHeight, "backlog")...)
	if withWorkers {
		top := 0
		for _, w := range s.workers {
			top = max(top, w)
		}
		wk := s.columns(s.workers, end, chartWidth)
		lines = append(lines, bars(wk, top, min(max(top, 1), 4), "workers")...)
	}
	lines = append(lines, strings.Repeat(" ", labelWidth)+"└"+strings.Repeat("─", chartWidth))
	left, right := "0s", trace.ShortDuration(end)
	mid := "each column: the highest in " + trace.ShortDuration(end/chartWidth)
	room := chartWidth + 1 - len(left) - len([]rune(right))
	gap1 := (room - len([]rune(mid))) / 2
	if gap1 < 2 {
		mid, gap1 = "", room/2
	}
	gap2 := room - gap1 - len([]rune(mid))
	lines = append(lines, strings.Repeat(" ", labelWidth+1)+left+strings.Repeat(" ", gap1)+mid+
		strings.Repeat(" ", max(gap2, 1))+right)
	return lines
}

// bars draws values scaled so that top fills height rows; the top row is
// labelled with top, the bottom one with name.
func bars(v []int, top, height int, name string) []string {
	lines := make([]string, height)
	for r := 0; r < height; r++ {
		row := height - 1 - r // 0 is the bottom row
		var sb strings.Builder
		label := ""
		switch {
		case r == 0:
			label = strconv.Itoa(top)
		case row == 0:
			label = name
		}
		sb.WriteString(strings.Repeat(" ", labelWidth-1-len(label)) + label + " ┤")
		for _, x := range v {
			units := 0
			if top > 0 {
				units = (x*height*8 + top/2) / top
			}
			if x > 0 && units == 0 {
				units = 1
			}
			cell := min(max(units-row*8, 0), 8)
			sb.WriteRune(blocks[cell])
		}
		lines[r] = strings.TrimRight(sb.String(), " ")
	}
	return lines
}

// report returns the backlog (and, when withWorkers, the serving workers)
// up to end as report series, for renderers that draw real charts; the
// "backlog" table draws the same in text.
func (s *series) report(end time.Duration, withWorkers bool) []trace.Series {
	s.reach(end)
	values := func(v []int) []int64 {
		out := make([]int64, len(v))
		for i, x := range v {
			out[i] = int64(x)
		}
		return out
	}
	out := []trace.Series{{Title: "backlog over time (orders waiting)", Step: s.width, Values: values(s.backlog), Text: "backlog"}}
	if withWorkers {
		out = append(out, trace.Series{Title: "serving workers", Step: s.width, Values: values(s.workers), Text: "backlog"})
	}
	return out
}
