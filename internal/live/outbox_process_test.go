//go:build live

package live

import (
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
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

// A stream msgplay did not make holds orders.>: the run cannot make its
// topic, and stops at once with the broker's error instead of waiting out
// the idle limit (60s) for events nobody can consume.
func TestALiveRunWhoseBrokerFailsStopsAtOnce(t *testing.T) {
	_, url := serve(t)
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	c, cancel := ctx()
	defer cancel()
	if _, err := js.CreateStream(c, jetstream.StreamConfig{Name: "SOMEONE_ELSES", Subjects: []string{"orders.>"}}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	code, stderr := run(t, 30*time.Second, "outbox", "--live", "--broker", url, "--orders", "2", "--quiet")
	if code != 1 || !strings.Contains(stderr, "overlap") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want exit 1 and one line with the broker's error", code, stderr)
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("took %s to give up, want well under the 60s idle limit", took)
	}
}
