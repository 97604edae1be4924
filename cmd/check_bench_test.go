package cmd

import (
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// BenchmarkCheckOutboxSweep is the README's sweep figure: ten thousand
// seeds of two outbox variants with 100 orders and a 5% crash rate. Run it
// with -cpu 1,2 to see how it scales with cores, beside
// BenchmarkParallelSpin.
func BenchmarkCheckOutboxSweep(b *testing.B) {
	args := strings.Fields("check outbox --seeds 10000 --orders 100 --crash-rate 0.05 --variants dual-write,outbox")
	ios := &IOStreams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}
	for b.Loop() {
		if code := Run(args, ios); code != ExitOK {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkParallelSpin is the yardstick for the sweep's -cpu 1,2 ratio:
// a fixed amount of pure CPU work split over GOMAXPROCS goroutines that
// share nothing. The ratio it gets is the most the machine gives any
// program at the moment: on a loaded machine the kernel shares the CPUs
// per session (autogroup), not per thread, and a second core may give
// nothing.
func BenchmarkParallelSpin(b *testing.B) {
	const work = 1 << 30
	for b.Loop() {
		n := runtime.GOMAXPROCS(0)
		out := make([]uint64, 8*n) // a cache line each
		var wg sync.WaitGroup
		for g := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				x := uint64(g + 1)
				for range work / n {
					x ^= x << 13
					x ^= x >> 7
					x ^= x << 17
				}
				out[8*g] = x
			}()
		}
		wg.Wait()
		if out[0] == 0 {
			b.Fatal("xorshift reached 0")
		}
	}
}
