package sim

import (
	"slices"
	"strconv"
	"strings"

	"github.com/msgplay/msgplay/internal/trace"
)

// NetActor is the actor the network's fault events name.
const NetActor = "network"

// The message types of the network's fault events: a check tells the start
// of a partition from its heal by these, never by the note.
const (
	PartitionStart = "Partition"
	PartitionHeal  = "Heal"
)

// Cut is a network partition: during Win no actor of A reaches any actor
// of B, and the other way round. Actors on neither side are not cut.
type Cut struct {
	A, B []string
	Win  Window
}

// Net says who can reach whom: every pair of actors can, except across a
// cut during its window. An actor attached to a host (a service placed in
// a site) is on its host's side of every cut. Any pattern can use it for
// partitions between nodes, sites, or a service and its broker.
type Net struct {
	w     *World
	cuts  []Cut
	hosts map[string]string
}

// NewNet returns a network on w with no cuts.
func NewNet(w *World) *Net { return &Net{w: w, hosts: map[string]string{}} }

// Attach places actor on host's side of every cut.
func (n *Net) Attach(actor, host string) { n.hosts[actor] = host }

// Cut adds a partition and schedules it as fault events by NetActor, with
// the message cut-N of type PartitionStart at its start and PartitionHeal
// at its end; onHeal (which may be nil) runs right after the heal event.
// The end counts as progress. Call it while setting up.
func (n *Net) Cut(c Cut, onHeal func()) {
	n.cuts = append(n.cuts, c)
	id := "cut-" + strconv.Itoa(len(n.cuts))
	sides := strings.Join(c.A, ", ") + " | " + strings.Join(c.B, ", ")
	n.w.At(c.Win.From, nil, func() {
		n.w.Emit(trace.Event{Kind: trace.Fault, Actor: NetActor, Msg: trace.Msg{ID: id, Type: PartitionStart},
			Note: sides + " cut apart until " + trace.FormatDuration(c.Win.To),
			Why:  "A network partition: each side still runs, but no message crosses between them."})
	})
	n.w.At(c.Win.To, nil, func() {
		n.w.Emit(trace.Event{Kind: trace.Fault, Actor: NetActor, Msg: trace.Msg{ID: id, Type: PartitionHeal},
			Note: "healed: " + sides + " reach each other again"})
		n.w.Progress()
		if onHeal != nil {
			onHeal()
		}
	})
}

// host returns the actor whose side a stands on.
func (n *Net) host(a string) string {
	if h, ok := n.hosts[a]; ok {
		return h
	}
	return a
}

// Reachable reports whether a message from a can reach b now.
func (n *Net) Reachable(a, b string) bool {
	a, b = n.host(a), n.host(b)
	now := n.w.Now()
	for _, c := range n.cuts {
		if !c.Win.Contains(now) {
			continue
		}
		inA, inB := slices.Contains(c.A, a), slices.Contains(c.B, a)
		if (inA && slices.Contains(c.B, b)) || (inB && slices.Contains(c.A, b)) {
			return false
		}
	}
	return true
}

// Cuts returns the cuts, in the order they were added.
func (n *Net) Cuts() []Cut { return n.cuts }

// Over reports whether every cut has healed.
func (n *Net) Over() bool {
	now := n.w.Now()
	return !slices.ContainsFunc(n.cuts, func(c Cut) bool { return now < c.Win.To })
}
