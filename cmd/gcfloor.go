package cmd

import (
	"os"
	"sync"
)

// ballast is memory the program never reads or writes. The garbage
// collector counts it as live, so a cycle starts only once the heap has
// grown by about its size again, not every 4 MB: a long run whose live data
// is small (a few MB in flight) collects a few times less often. Never
// touched, its pages are never faulted in, so it costs no resident memory;
// a run whose live data is large pays at most its size again in heap goal.
var ballast []byte

// ballastSize is the floor under the heap goal; the headline run's peak RSS
// stays under 32 MB with it.
const ballastSize = 16 << 20

// gcFloor sets the floor once per process, on the first Run.
var gcFloor sync.Once

// setGCFloor gives the process its ballast, unless GOGC is set: whoever
// sets it wants the collector as they tuned it.
func setGCFloor() {
	if os.Getenv("GOGC") == "" {
		ballast = make([]byte, ballastSize)
	}
}
