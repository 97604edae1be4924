//go:build live

package live

import (
	"testing"
	"time"
)

// pubsub's topic and outbox's are both on orders.>, and JetStream refuses
// two streams whose subjects overlap: a run on a broker that a run of the
// other pattern used before takes the subjects over.
func TestOutboxAndPubsubTakeTurnsOnOneBroker(t *testing.T) {
	_, url := serve(t)
	for _, args := range [][]string{
		{"pubsub", "--live", "--broker", url, "--events", "2", "--quiet"},
		{"outbox", "--live", "--broker", url, "--orders", "2", "--quiet"},
		{"pubsub", "--live", "--broker", url, "--events", "2", "--quiet"},
	} {
		if code, stderr := run(t, 30*time.Second, args...); code != 0 {
			t.Errorf("%v: exit %d, stderr %q; want 0", args, code, stderr)
		}
	}
}
