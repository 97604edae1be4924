package competing

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace/tracetest"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/patterntest"
)

// A slow factor once multiplied work past int64 and printed negative times.
func TestSlowWorkNeverOverflowsTime(t *testing.T) {
	cfg := Default()
	cfg.Messages = 3
	cfg.Work = sim.Const(3 * time.Hour)
	cfg.Slow = map[string]float64{"worker-1": 1e6}
	if err := cfg.Validate(); err == nil {
		t.Fatal("3h of work slowed 1000000 times was accepted")
	}
	cfg.Slow["worker-1"] = 3000 // 9000h: within the ceiling
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	rep := cfg.Run(cfg.Common, tracetest.Forward(t, sim.MaxTime))
	if rep.End < 0 || rep.End > sim.MaxTime {
		t.Errorf("the run ended at %v", rep.End)
	}
}

// At --arrival 0 every message was once in flight at once: 1,000,000 took
// 645 MB. The producer now keeps a window of patterns.DefaultWindow.
func TestArrivalZeroKeepsAWindow(t *testing.T) {
	cfg := Default()
	cfg.Messages = 5000
	most, sent := patterntest.MostInFlight(t, cfg)
	if most > patterns.DefaultWindow || sent != 5000 {
		t.Errorf("%d of 5000 messages in flight at once (%d sent): want at most %d",
			most, sent, patterns.DefaultWindow)
	}
}
