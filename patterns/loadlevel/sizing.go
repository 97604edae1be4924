package loadlevel

import (
	"math"
	"time"
)

// AveragePool returns the fewest workers that keep up with the steady
// stream on average: ⌊λ·work⌋ + 1, where λ is the arrival rate and work the
// mean work time, so utilization stays below 1. With every order at once
// (--arrival 0) there is no rate, and it returns --consumers.
func AveragePool(c Config) int {
	if c.Arrival.Mean() <= 0 {
		return c.Consumers
	}
	load := float64(c.Work.Mean()) / float64(c.Arrival.Mean())
	return min(MaxWorkers, int(math.Floor(load))+1)
}

// sizingWait is the wait the peak pool is sized for when no --max-wait is set.
const sizingWait = time.Second

// PeakPool returns the workers that clear the largest burst within the
// objective: the average pool, plus ⌈N·work / --max-wait⌉ for the largest
// burst of N orders (1s when --max-wait is not set).
func PeakPool(c Config) int {
	slo := c.MaxWait
	if slo <= 0 {
		slo = sizingWait
	}
	largest := 0
	for _, b := range c.Bursts {
		largest = max(largest, b.N)
	}
	extra := math.Ceil(float64(largest) * float64(c.Work.Mean()) / float64(slo))
	return min(MaxWorkers, AveragePool(c)+int(min(extra, MaxWorkers)))
}

// fixedPool makes c a fixed pool of n workers on an unbounded queue.
func fixedPool(c *Config, n int) {
	c.Autoscale.Min, c.Autoscale.Max = 0, 0
	c.Consumers, c.QueueLimit = n, 0
}
