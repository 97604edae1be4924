package claimcheck

import (
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
	"github.com/msgplay/msgplay/patterns/patterntest"
)

const ms = time.Millisecond

// verdict runs cfg (which must be valid) and returns the named verdict.
func verdict(t *testing.T, cfg Config, name string) trace.Verdict {
	t.Helper()
	return patterntest.Verdict(t, cfg, cfg.Common, name)
}

func withClaims() Config {
	c := Default()
	c.ClaimCheck = true
	return c
}

// TestEachCheckCatchesAPlantedBug plants one bug per check and demands
// that the check fails with evidence, and holds without the bug.
func TestEachCheckCatchesAPlantedBug(t *testing.T) {
	for _, tc := range []struct {
		check string
		bug   bug
		want  string // in the evidence
	}{
		{"no-size-loss", bugInlineAll, "o2 order-1002: 597KB refused at orders at 20ms (limit 256KB)"},
		{"no-dangling-refs", bugDeleteEarly, "before the order's consumer fetched it"},
	} {
		t.Run(tc.check, func(t *testing.T) {
			if v := verdict(t, withClaims(), tc.check); !v.OK {
				t.Fatalf("fails without the bug: %s %v", v.Detail, v.Evidence)
			}
			buggy := withClaims()
			buggy.bug = tc.bug
			v := verdict(t, buggy, tc.check)
			if v.OK || !strings.Contains(strings.Join(v.Evidence, "\n"), tc.want) {
				t.Errorf("the planted bug went unnoticed or unnamed: %s %q; want evidence with %q",
					v.Detail, v.Evidence, tc.want)
			}
		})
	}
}

// TestTheLessonsShowInTheFigures runs the demos' scenarios: the figures
// must tell what the pattern saves and what it leaves behind.
func TestTheLessonsShowInTheFigures(t *testing.T) {
	run := func(c Config) (*trace.Report, *Claims) {
		claims := NewClaims()
		r := c.Run(c.Common, claims)
		return r, claims
	}
	inline, _ := run(Default())
	if v, _ := inline.Verdict("no-size-loss"); v.OK {
		t.Errorf("inline attachments up to 600KB all fit in 256KB: %s", v.Detail)
	}
	cc, claims := run(withClaims())
	if v, _ := cc.Verdict("no-size-loss"); !v.OK || claims.Orphans() != 0 || claims.brokerBytes != 6*Envelope ||
		claims.storeBytes+claims.brokerBytes != claims.inlineBytes {
		t.Errorf("claim check: %s; orphans %d, broker %d, store %d, inline %d", v.Detail, claims.Orphans(),
			claims.brokerBytes, claims.storeBytes, claims.inlineBytes)
	}
	never := withClaims()
	never.Cleanup = Never
	if _, claims := run(never); claims.Orphans() != 6 {
		t.Errorf("cleanup never left %d orphans of 6 blobs", claims.Orphans())
	}
	down := withClaims()
	down.BrokerDown = sim.Window{From: 30 * ms, To: 90 * ms}
	if r, claims := run(down); claims.Orphans() == 0 || r.Total("sent") != 6 {
		t.Errorf("a broker outage after puts orphaned %d blobs and sent %d orders", claims.Orphans(), r.Total("sent"))
	}
	crash := withClaims()
	crash.Crashes, crash.RestartAfter = []sim.Crash{{Actor: Shop, At: 25 * ms}}, 30*ms
	if r, claims := run(crash); claims.Orphans() != 1 || r.Total("sent") != 6 {
		t.Errorf("a shop crash between a put and its send: %d orphans, %d sent; want 1 and 6",
			claims.Orphans(), r.Total("sent"))
	}
	ttl := withClaims()
	ttl.Cleanup, ttl.BlobTTL, ttl.Work = TTL, 150*ms, sim.Const(60*ms)
	r, _ := run(ttl)
	if v, _ := r.Verdict("no-dangling-refs"); v.OK || r.Total("dead-lettered") == 0 {
		t.Errorf("a retention shorter than the backlog broke nothing: %s", v.Detail)
	}
}

// TestChecksReadOnlyEvents feeds the Claims sink a hand-made trace.
func TestChecksReadOnlyEvents(t *testing.T) {
	m := func(id string, size int64) trace.Msg {
		return trace.Msg{ID: id, Type: "PlaceOrder", Class: trace.Command, Key: "order-" + id, Size: size}
	}
	put := func(id, key string) trace.Event {
		return trace.Event{Kind: trace.Commit, Actor: Store, Msg: m(id, 0), Writes: []trace.Write{{Key: key, Value: "300000"}}}
	}
	del := func(id, key string) trace.Event {
		return trace.Event{Kind: trace.Commit, Actor: Store, Msg: m(id, 0), Writes: []trace.Write{{Key: key, Deleted: true}}}
	}
	c := NewClaims()
	for _, e := range []trace.Event{
		{Kind: trace.Run, Params: []trace.Param{{Name: "max-message-size", Value: "256KB"}}},
		{Kind: trace.Drop, Actor: Shop, To: Queue, Msg: m("o1", 400000)},
		put("o2", "b2"), put("o2", "b2-2"),
		{Kind: trace.Send, Actor: Shop, To: Queue, Msg: m("o2", 1024)},
		{Kind: trace.Deliver, Actor: Queue, To: Bill, Msg: m("o2", 1024)},
		{Kind: trace.Fetch, Actor: Bill, To: Store, Msg: m("o2", 1024)},
		del("o2", "b2-2"), // fetched: not broken
		put("o3", "b3"),
		{Kind: trace.Send, Actor: Shop, To: Queue, Msg: m("o3", 1024)},
		del("o3", "b3"), // before any fetch: broken
		{Kind: trace.Deliver, Actor: Queue, To: Bill, Msg: m("o3", 1024)},
		{Kind: trace.DeadLetter, Actor: Queue, To: "orders.dlq", Msg: m("o3", 1024)},
		{Kind: trace.Ack, Actor: Bill, To: Queue, Msg: m("o2", 1024)},
	} {
		c.Event(&e)
	}
	got := map[string]trace.Verdict{}
	for _, v := range c.Verdicts("") {
		got[v.Name] = v
	}
	if v := got["no-size-loss"]; v.OK || len(v.Evidence) != 1 || !strings.HasPrefix(v.Evidence[0], "o1 order-o1: 391KB") {
		t.Errorf("no-size-loss: %s %q", v.Detail, v.Evidence)
	}
	if v := got["no-dangling-refs"]; v.OK || len(v.Evidence) != 1 || !strings.HasPrefix(v.Evidence[0], "o3 ") {
		t.Errorf("no-dangling-refs: %s %q", v.Detail, v.Evidence)
	}
	if never, after, _ := c.orphans(); never != 1 || after != 0 {
		t.Errorf("orphans: %d never referred to (want b2), %d after use", never, after)
	}
}

// TestVerdictsDoNotReadNotes rewords every note of a run: no verdict may
// change.
func TestVerdictsDoNotReadNotes(t *testing.T) {
	cfg := withClaims()
	cfg.Cleanup, cfg.BlobTTL, cfg.Work = TTL, 150*ms, sim.Const(60*ms)
	patterntest.VerdictsIgnoreNotes(t, cfg, cfg.Common, NewClaims(), NewClaims())
}

// TestVariantsKeepTheirGuaranteesUnderTheFaults runs every variant with the
// sweep's faults over 50 seeds.
func TestVariantsKeepTheirGuaranteesUnderTheFaults(t *testing.T) {
	patterntest.VariantsKeepTheirGuarantees(t, Definition, 50)
}

// TestDeterminism runs one scenario twice: the traces are the same.
func TestDeterminism(t *testing.T) {
	cfg := withClaims()
	cfg.Orders, cfg.Size, cfg.Threshold, cfg.BlobTTL = 200, SizeExp(200*trace.KB), 100*trace.KB, 80*ms
	cfg.BrokerDown = sim.Window{From: 100 * ms, To: 300 * ms}
	trace1, trace2 := &strings.Builder{}, &strings.Builder{}
	cfg.Run(patterns.Common{Seed: 9}, trace.NewJSON(trace1))
	cfg.Run(patterns.Common{Seed: 9}, trace.NewJSON(trace2))
	if trace1.String() != trace2.String() || trace1.Len() == 0 {
		t.Error("one seed gave two traces")
	}
}
