package pubsub

import (
	"testing"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// A subscriber going offline takes all its instances down at once. Once
// they went one by one, each crash requeuing e4 to an instance about to
// crash in the same instant, so a healthy event spent its three deliveries
// in no time and was dead-lettered.
func TestOfflineGroupGoesDownTogether(t *testing.T) {
	cfg := Default()
	cfg.Subscribers = []string{"payment"}
	cfg.Instances = map[string]int{"payment": 3}
	cfg.Arrival = sim.Const(50 * ms)
	cfg.Offline = []Offline{{Name: "payment", Window: sim.Window{From: 155 * ms, To: 300 * ms}}}
	_, evs := recorded(t, cfg)
	for _, e := range evs {
		if e.Kind == trace.DeadLetter {
			t.Errorf("%s dead-lettered at %v: %s", e.Msg.ID, e.T, e.Note)
		}
		if e.Kind == trace.Deliver && e.T == 155*ms {
			t.Errorf("%s delivered to %s in the instant its group went offline", e.Msg.ID, e.To)
		}
	}
}
