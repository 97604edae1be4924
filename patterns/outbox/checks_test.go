package outbox

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/trace"
)

// naive judges a trace as the checks must, the plain way: a record per id
// in a map, found again by its id, kept whole until the end.
type naive struct {
	order []string
	recs  map[string]*naiveRec
	keys  map[string][]string // the ids committed per key, in commit order
	last  map[string]int      // per key: the highest place handled, plus one
}

type naiveRec struct {
	key                       string
	committed, out            bool
	commitAt                  time.Duration
	publishes, handles, place int
}

func (nv *naive) Event(e *trace.Event) {
	if !e.HasMsg() || (e.Kind == trace.Commit && e.Actor != OrderService) ||
		(e.Kind == trace.Handle && e.Actor != Inventory) ||
		(e.Kind != trace.Commit && e.Kind != trace.Publish && e.Kind != trace.Handle) {
		return
	}
	r := nv.recs[e.Msg.ID]
	if r == nil {
		r = &naiveRec{key: e.Msg.Key}
		nv.recs[e.Msg.ID] = r
		nv.order = append(nv.order, e.Msg.ID)
	}
	switch e.Kind {
	case trace.Commit:
		if !r.committed {
			r.committed, r.commitAt = true, e.T
			r.place = len(nv.keys[r.key])
			nv.keys[r.key] = append(nv.keys[r.key], e.Msg.ID)
		}
	case trace.Publish:
		r.publishes++
	case trace.Handle:
		if r.handles++; r.handles == 1 && r.committed {
			r.out = r.place+1 < nv.last[r.key]
			nv.last[r.key] = max(nv.last[r.key], r.place+1)
		}
	}
}

// cases returns every case of each check, in the order the checks must
// list them: ids e1, e2 … by number, then the others as first seen.
func (nv *naive) cases() map[string][]string {
	ids := slices.Clone(nv.order)
	num := func(id string) int {
		if n, ok := eventNumber(id); ok {
			return n
		}
		return 1 << 62
	}
	slices.SortStableFunc(ids, func(a, b string) int { return num(a) - num(b) })
	out := map[string][]string{}
	add := func(name, id string, r *naiveRec, why string) {
		out[name] = append(out[name], check.Line(id, r.key, why))
	}
	for _, id := range ids {
		r := nv.recs[id]
		switch {
		case r.committed && r.publishes == 0:
			add("no-zombie", id, r, "committed at "+trace.FormatDuration(r.commitAt)+", never published")
		case !r.committed && r.publishes > 0:
			add("no-ghost", id, r, "published, never committed")
		}
		switch {
		case r.committed && r.handles == 0:
			add("exactly-once-effect", id, r, "committed, never applied downstream")
		case r.handles > 1:
			add("exactly-once-effect", id, r, "applied "+strconv.Itoa(r.handles)+" times")
		case !r.committed && r.handles > 0:
			add("exactly-once-effect", id, r, "applied, but the order was never committed")
		}
		if r.out {
			add("per-key-order", id, r, "handled after a later event of "+r.key)
		}
	}
	return out
}

// TestChecksJudgeAsThePlainWay feeds random traces, with ids and keys of
// the usual form and of others (far numbers, leading zeros, no number, no
// key), to the checks and to the plain model, and wants the same verdicts
// and evidence.
func TestChecksJudgeAsThePlainWay(t *testing.T) {
	ids := []string{"e1", "e2", "e3", "e4", "e7", "e300", "e301", "e9000", "e33554432", "e33554433",
		"e01", "x", "e", "ev5", "m12"}
	keys := []string{"order-1001", "order-1002", "order-1003", "order-01", "order-", "", "other-5", "k"}
	kinds := []trace.Kind{trace.Commit, trace.Publish, trace.Handle, trace.Handle, trace.Commit, trace.Skip}
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 1))
		c, nv := NewChecks(OrderService, Inventory), &naive{recs: map[string]*naiveRec{},
			keys: map[string][]string{}, last: map[string]int{}}
		keyOf := map[string]string{}
		for i := range 30 + rng.IntN(60) {
			id := ids[rng.IntN(len(ids))]
			if _, ok := keyOf[id]; !ok {
				keyOf[id] = keys[rng.IntN(len(keys))]
			}
			e := trace.Event{T: time.Duration(i) * time.Millisecond, Kind: kinds[rng.IntN(len(kinds))],
				Actor: OrderService, Msg: trace.Msg{ID: id, Key: keyOf[id], Type: "OrderCreated"}}
			if e.Kind == trace.Handle || e.Kind == trace.Skip {
				e.Actor = Inventory
			}
			if rng.IntN(10) == 0 {
				e.Actor = Relay // not the service's commit, not the consumer's handle
			}
			c.Event(&e)
			nv.Event(&e)
		}
		_, verdicts := c.Report()
		want := nv.cases()
		for _, v := range verdicts {
			w := want[v.Name]
			if v.OK != (len(w) == 0) {
				t.Fatalf("seed %d: %s ok=%v, the plain way finds %d cases", seed, v.Name, v.OK, len(w))
			}
			if v.OK {
				continue
			}
			if !strings.HasPrefix(v.Detail, strconv.Itoa(len(w))+" ") {
				t.Fatalf("seed %d: %s says %q, the plain way finds %d cases", seed, v.Name, v.Detail, len(w))
			}
			shown := w[:min(len(w), 8)]
			if len(w) > 8 {
				shown = append(shown, fmt.Sprintf("and %d more", len(w)-8))
			}
			if !slices.Equal(v.Evidence, shown) {
				t.Fatalf("seed %d: %s evidence\n%s\nwant\n%s", seed, v.Name,
					strings.Join(v.Evidence, "\n"), strings.Join(shown, "\n"))
			}
		}
	}
}

// TestChecksForgetWhatIsPublished: a run of many orders keeps the commit
// time of no event once it is published, and a few bytes per event.
func TestChecksForgetWhatIsPublished(t *testing.T) {
	cfg := Default()
	cfg.Orders = 3000
	c := NewChecks(OrderService, Inventory)
	cfg.Run(cfg.Common, c)
	if n := len(c.unsent); n != 0 {
		t.Errorf("%d commit times kept after every event was published", n)
	}
	if len(c.other) != 0 || len(c.otherKeys) != 0 {
		t.Errorf("%d ids and %d keys of the usual form kept in maps", len(c.other), len(c.otherKeys))
	}
}

// An effect applied more often than a fate counts itself is still told
// exactly.
func TestChecksCountManyEffects(t *testing.T) {
	c := NewChecks(OrderService, Inventory)
	e := trace.Event{Kind: trace.Commit, Actor: OrderService, Msg: trace.Msg{ID: "e1", Key: "order-1001"}}
	c.Event(&e)
	e.Kind, e.Actor = trace.Handle, Inventory
	for range maxHandles + 5 {
		c.Event(&e)
	}
	_, verdicts := c.Report()
	want := "e1 order-1001: applied " + strconv.Itoa(maxHandles+5) + " times"
	if v := verdicts[2]; v.OK || len(v.Evidence) != 1 || v.Evidence[0] != want {
		t.Fatalf("%s: %v, want %q", v.Name, v.Evidence, want)
	}
}

// A page of events that are all done is forgotten, and an event of it
// seen again is judged as it would have been: applied twice, with its key,
// in its place among the other evidence.
func TestChecksForgetDonePages(t *testing.T) {
	c := NewChecks("svc", "inv")
	ev := func(k trace.Kind, actor string, n int) {
		c.Event(&trace.Event{Kind: k, Actor: actor, Msg: trace.Msg{ID: "e" + strconv.Itoa(n), Key: "order-" + strconv.Itoa(1000+n)}})
	}
	last := 3 * check.DensePage
	for n := 1; n <= last; n++ {
		ev(trace.Commit, "svc", n)
		ev(trace.Publish, "relay", n)
		if n != 2*check.DensePage+7 {
			ev(trace.Handle, "inv", n)
		}
	}
	if c.events.Get(check.DensePage) != nil || c.events.Get(2*check.DensePage) == nil {
		t.Fatal("the page of done events was kept, or the page with one not applied was forgotten")
	}
	ev(trace.Publish, "relay", check.DensePage+3)
	ev(trace.Handle, "inv", check.DensePage+3)
	ev(trace.Handle, "inv", 5)
	_, verdicts := c.Report()
	var once trace.Verdict
	for _, v := range verdicts {
		if v.Name == "exactly-once-effect" {
			once = v
		}
	}
	want := []string{"e5 order-1005: applied 2 times", "e259 order-1259: applied 2 times",
		"e519 order-1519: committed, never applied downstream"}
	if !slices.Equal(once.Evidence, want) {
		t.Errorf("got %q, want %q", once.Evidence, want)
	}
}
