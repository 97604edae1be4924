package patterns

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
)

func TestCheckSlowsAndCrashesNameTheFirstUnknownActor(t *testing.T) {
	known := func(name string) bool { return name == "w1" || name == "w2" }
	work := sim.Const(10 * time.Millisecond)
	if err := CheckSlows(map[string]float64{"w2": 2, "w1": 3}, work, known, "worker", "w1 or w2"); err != nil {
		t.Fatalf("known actors refused: %v", err)
	}
	err := CheckSlows(map[string]float64{"zz": 2, "w1": 0, "aa": 2}, work, known, "worker", "w1 or w2")
	if want := `--slow: no worker "aa": want w1 or w2`; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s (the first in name order)", err, want)
	}
	if err := CheckSlows(map[string]float64{"w1": 0}, work, known, "worker", ""); err == nil {
		t.Fatal("a factor of 0 was accepted")
	}
	crashes := []sim.Crash{{Actor: "w1"}, {Actor: "w9"}, {Actor: "w8"}}
	err = CheckCrashes(crashes, known, "worker", "w1 or w2")
	if want := `--crash: no worker "w9": want w1 or w2`; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s (the first given)", err, want)
	}
	if err := CheckCrashes(crashes[:1], known, "worker", ""); err != nil {
		t.Fatalf("a known actor refused: %v", err)
	}
}
