package patterns

import (
	"fmt"
	"maps"
	"slices"

	"github.com/msgplay/msgplay/internal/sim"
)

// CheckSlows reports the first --slow entry, in name order, that names no
// actor isActor accepts, or whose factor slows work past the ceiling of
// virtual time. noun says what the actors are ("consumer") and want which
// names are allowed ("worker-1 … worker-3").
func CheckSlows(slow map[string]float64, work sim.Dist, isActor func(string) bool, noun, want string) error {
	for _, name := range slices.Sorted(maps.Keys(slow)) {
		if !isActor(name) {
			return fmt.Errorf("--slow: no %s %q: want %s", noun, name, want)
		}
		if err := CheckSlow(name, slow[name], work); err != nil {
			return err
		}
	}
	return nil
}

// CheckCrashes reports the first --crash that names no actor isActor
// accepts; noun and want are as for CheckSlows.
func CheckCrashes(crashes []sim.Crash, isActor func(string) bool, noun, want string) error {
	for _, cr := range crashes {
		if !isActor(cr.Actor) {
			return fmt.Errorf("--crash: no %s %q: want %s", noun, cr.Actor, want)
		}
	}
	return nil
}
