package patterns

import (
	"fmt"
	"strconv"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// CheckSlow reports what is wrong with the --slow factor f of name when the
// work takes work: the factor must be above 0, and the slowed work must stay
// within the ceiling of virtual time.
func CheckSlow(name string, f float64, work sim.Dist) error {
	if !(f > 0) {
		return fmt.Errorf("--slow %s: factor must be above 0 (got %v)", name, f)
	}
	if reach := work.Reach(); float64(reach)*f > float64(sim.MaxTime) {
		factor := strconv.FormatFloat(f, 'f', -1, 64)
		return fmt.Errorf("--slow %s=%s: %s of work slowed %s times passes the ceiling of virtual time, %s",
			name, factor, trace.FormatDuration(reach), factor, sim.MaxTimeText)
	}
	return nil
}
