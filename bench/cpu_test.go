//go:build unix

package bench

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the CPU time the process has used so far, user and
// system, on every thread: the garbage collector's work counts too, as it
// does for /usr/bin/time.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs fn once from a collected heap and returns the CPU time it
// took.
func measure(tb testing.TB, fn func()) time.Duration {
	runtime.GC()
	t0 := cpuTime(tb)
	fn()
	return cpuTime(tb) - t0
}
