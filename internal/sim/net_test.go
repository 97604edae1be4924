package sim

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// TestNetCutsAcrossSidesOnly: during a cut nothing crosses it, in either
// direction, an attached actor stands on its host's side, actors on the
// same side still reach each other, and the heal is told as a fault event
// with its own message type, after which onHeal runs.
func TestNetCutsAcrossSidesOnly(t *testing.T) {
	var faults []string
	w := New(1, trace.SinkFunc(func(e *trace.Event) {
		if e.Kind == trace.Fault {
			faults = append(faults, e.Actor+" "+e.Msg.ID+" "+e.Msg.Type)
		}
	}))
	n := NewNet(w)
	n.Attach("shop", "a")
	healed := false
	n.Cut(Cut{A: []string{"a"}, B: []string{"b", "c"}, Win: Window{From: 10 * time.Millisecond, To: 20 * time.Millisecond}},
		func() { healed = true })
	type probe struct {
		at         time.Duration
		from, to   string
		want, over bool
	}
	for _, p := range []probe{
		{5 * time.Millisecond, "a", "b", true, false},
		{10 * time.Millisecond, "a", "b", false, false},
		{15 * time.Millisecond, "c", "a", false, false},
		{15 * time.Millisecond, "shop", "b", false, false},
		{15 * time.Millisecond, "shop", "a", true, false},
		{15 * time.Millisecond, "b", "c", true, false},
		{20 * time.Millisecond, "a", "b", true, true},
	} {
		w.At(p.at, nil, func() {
			if got := n.Reachable(p.from, p.to); got != p.want {
				t.Errorf("at %v %s→%s: reachable %v, want %v", p.at, p.from, p.to, got, p.want)
			}
			if n.Over() != p.over {
				t.Errorf("at %v: over %v", p.at, n.Over())
			}
		})
	}
	w.Run(func() bool { return false })
	if !healed || len(faults) != 2 || faults[0] != "network cut-1 Partition" || faults[1] != "network cut-1 Heal" {
		t.Errorf("healed %v, faults %q", healed, faults)
	}
}
