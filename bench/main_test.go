package bench

import (
	"fmt"
	"os"
	"strconv"
	"testing"
)

// TestMain runs the floor alone, once, when MSGPLAY_FLOOR gives a number
// of messages, and runs nothing else: a process that does only that, for
// counting its instructions beside msgplay's (see the README's
// Performance section).
func TestMain(m *testing.M) {
	if n, err := strconv.Atoi(os.Getenv("MSGPLAY_FLOOR")); err == nil {
		fmt.Println(runMM(n, servers, arrivalMean, workMean, 1).done, "messages")
		os.Exit(0)
	}
	os.Exit(m.Run())
}
