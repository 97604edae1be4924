package pubsub

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

const ms = time.Millisecond

// recorded runs cfg and returns its report and events.
func recorded(t *testing.T, cfg Config) (*trace.Report, []trace.Event) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var evs []trace.Event
	r := cfg.Run(cfg.Common, trace.SinkFunc(func(e *trace.Event) { evs = append(evs, *e) }))
	return r, evs
}

func verdict(t *testing.T, r *trace.Report, name string) trace.Verdict {
	t.Helper()
	v, ok := r.Verdict(name)
	if !ok {
		t.Fatalf("no verdict %q in %v", name, r.Checks)
	}
	return v
}

// handledBy counts handle events per actor, for one message id prefix.
func handledBy(evs []trace.Event, actor string) []string {
	var ids []string
	for _, e := range evs {
		if e.Kind == trace.Handle && e.Actor == actor {
			ids = append(ids, e.Msg.ID)
		}
	}
	return ids
}

func row(t *testing.T, r *trace.Report, table, name string) []string {
	t.Helper()
	for _, tb := range r.Tables {
		if tb.Title != table {
			continue
		}
		for _, rw := range tb.Rows {
			if rw[0] == name {
				return rw
			}
		}
	}
	t.Fatalf("no row %q in table %q", name, table)
	return nil
}

func TestDefaultFansOutEveryEventToEverySubscriber(t *testing.T) {
	r, evs := recorded(t, Default())
	for _, s := range DefaultSubscribers {
		if got := handledBy(evs, s); len(got) != 6 {
			t.Errorf("%s handled %v, want e1…e6", s, got)
		}
	}
	if r.Total("published") != 6 || r.Total("sent") != 30 {
		t.Errorf("published %d, sent %d: want 6 and 30", r.Total("published"), r.Total("sent"))
	}
	for _, name := range []string{"every-event-delivered", "no-loss", "no-duplicate-effects", "no-order-held-up"} {
		if v := verdict(t, r, name); !v.OK {
			t.Errorf("%s failed: %s %v", name, v.Detail, v.Evidence)
		}
	}
	if _, ok := r.Verdict("transient-missed"); ok {
		t.Error("transient-missed judged with no transient subscription")
	}
}

func TestRunIsDeterministic(t *testing.T) {
	cfg := Default()
	cfg.Events = 20
	cfg.DuplicateRate = 0.3
	cfg.Arrival = sim.Exp(5 * ms)
	cfg.Work = sim.Exp(10 * ms)
	cfg.Instances = map[string]int{"payment": 2}
	cfg.Offline = []Offline{{"email", sim.Window{From: 20 * ms, To: 60 * ms}}}
	render := func(seed uint64) string {
		c := cfg
		c.Seed = seed
		var b bytes.Buffer
		j := trace.NewJSON(&b)
		c.Run(c.Common, j)
		j.Flush()
		return b.String()
	}
	one := render(3)
	if one != render(3) {
		t.Fatal("the same seed gave two different traces")
	}
	if one == render(4) {
		t.Fatal("another seed gave the same trace")
	}
}

func TestLateTransientMissesWhatCameBeforeAndDurableGetsTheBacklog(t *testing.T) {
	cfg := Default()
	cfg.Subscribers = []string{"email", "analytics"}
	cfg.Transient = []string{"email"}
	cfg.Late = []Late{{"email", 50 * ms}, {"analytics", 50 * ms}}
	r, evs := recorded(t, cfg)
	// Orders come at 0, 20, 40, 60, 80, 100ms: e1–e3 before the join.
	if got := strings.Join(handledBy(evs, "email"), ","); got != "e4,e5,e6" {
		t.Errorf("email handled %s, want e4,e5,e6", got)
	}
	if got := handledBy(evs, "analytics"); len(got) != 6 {
		t.Errorf("analytics handled %v, want all six", got)
	}
	v := verdict(t, r, "transient-missed")
	if v.OK || v.Detail != "email missed 3 of 6 events (3 dropped uncopied while it was away)" || len(v.Evidence) != 3 ||
		v.Evidence[0] != "e1 order-1001: published while email was not connected" {
		t.Errorf("transient-missed: %+v", v)
	}
	if v := verdict(t, r, "every-event-delivered"); !v.OK {
		t.Errorf("the durable analytics lost events: %+v", v)
	}
	for _, e := range evs {
		if e.Kind == trace.Drop && e.Why == "" {
			t.Errorf("drop of %s has no Why", e.Msg.ID)
		}
	}
}

func TestOfflineDurableKeepsEverythingTransientLosesTheWindow(t *testing.T) {
	base := Default()
	base.Subscribers = []string{"inventory", "email"}
	base.Offline = []Offline{{"email", sim.Window{From: 30 * ms, To: 90 * ms}}}

	r, evs := recorded(t, base)
	if got := handledBy(evs, "email"); len(got) != 6 {
		t.Errorf("durable email handled %v, want all six", got)
	}
	if v := verdict(t, r, "every-event-delivered"); !v.OK {
		t.Errorf("durable: %+v", v)
	}
	if rw := row(t, r, "backlog and lag", "email"); rw[1] == "1" || rw[1] == "0" {
		t.Errorf("email's max backlog %s: the window should build one", rw[1])
	}

	tr := base
	tr.Transient = []string{"email"}
	r, evs = recorded(t, tr)
	if got := strings.Join(handledBy(evs, "email"), ","); got != "e1,e6" {
		t.Errorf("transient email handled %s, want e1,e6 (e2 was in hand at the crash)", got)
	}
	if v := verdict(t, r, "transient-missed"); v.OK || !strings.Contains(v.Detail, "email missed 4 of 6") {
		t.Errorf("transient-missed: %+v", v)
	}
	if v := verdict(t, r, "no-loss"); v.OK {
		t.Error("no-loss held though e2 was lost from email's queue")
	}
}

func TestFilterTakesOnlyMatchingSubjects(t *testing.T) {
	cfg := Default()
	cfg.Subscribers = []string{"inventory", "shipping"}
	eu, _ := broker.ParseFilter("orders.*.eu")
	cfg.Filters = []Filter{{"shipping", eu}}
	r, evs := recorded(t, cfg)
	if got := strings.Join(handledBy(evs, "shipping"), ","); got != "e1,e3,e6" {
		t.Errorf("shipping handled %s, want the EU orders e1,e3,e6", got)
	}
	if rw := row(t, r, "subscriptions", "shipping"); rw[2] != "orders.*.eu" || rw[3] != "3" || rw[7] != "0" {
		t.Errorf("shipping row %v: want filter orders.*.eu, 3 received, 0 missed", rw)
	}
	for _, e := range evs {
		if e.Kind == trace.Publish && e.Msg.ID == "e2" && e.Note != "subject orders.placed.us; not for shipping (orders.*.eu)" {
			t.Errorf("publish note %q", e.Note)
		}
	}
}

func TestGroupSharesTheSubscription(t *testing.T) {
	cfg := Default()
	cfg.Subscribers = []string{"payment", "email"}
	cfg.Instances = map[string]int{"payment": 3}
	cfg.Arrival = sim.Const(5 * ms)
	r, evs := recorded(t, cfg)
	total := 0
	for _, inst := range []string{"payment-1", "payment-2", "payment-3"} {
		n := len(handledBy(evs, inst))
		if n == 0 {
			t.Errorf("%s handled nothing", inst)
		}
		total += n
	}
	if total != 6 || len(handledBy(evs, "email")) != 6 {
		t.Errorf("the group handled %d, email %d: want 6 each", total, len(handledBy(evs, "email")))
	}
	if rw := row(t, r, "subscriptions", "payment"); rw[1] != "durable ×3" {
		t.Errorf("payment type %q", rw[1])
	}
}

func TestDuplicatesAndIdempotence(t *testing.T) {
	cfg := Default()
	cfg.Subscribers = []string{"payment"}
	cfg.Events = 8
	cfg.DuplicateRate = 0.5
	r, _ := recorded(t, cfg)
	if v := verdict(t, r, "no-duplicate-effects"); v.OK {
		t.Fatal("lost acks with no idempotence gave no duplicate effect")
	}
	dups := row(t, r, "subscriptions", "payment")[5]
	if dups == "0" {
		t.Error("the table counts no duplicates handled")
	}

	cfg.Idempotent = true
	r, evs := recorded(t, cfg)
	if v := verdict(t, r, "no-duplicate-effects"); !v.OK {
		t.Errorf("idempotent subscribers still applied duplicates: %+v", v)
	}
	rw := row(t, r, "subscriptions", "payment")
	if rw[5] != "0" || rw[6] != dups {
		t.Errorf("idempotent row %v: want 0 dups handled and %s skipped (same faults)", rw, dups)
	}
	skips := 0
	for _, e := range evs {
		if e.Kind == trace.Skip {
			skips++
		}
	}
	if itoa(int64(skips)) != dups {
		t.Errorf("%d skip events, want %s", skips, dups)
	}
}

func TestFailingServiceFailsOrdersOnlyInDirectMode(t *testing.T) {
	cfg := Default()
	cfg.Events = 3
	cfg.Subscribers = []string{"inventory", "payment", "email"}
	cfg.Fail = []string{"payment"}

	r, evs := recorded(t, cfg)
	if v := verdict(t, r, "no-order-held-up"); !v.OK {
		t.Errorf("events mode: %+v", v)
	}
	if got := handledBy(evs, "email"); len(got) != 3 {
		t.Errorf("events mode: email handled %v despite payment failing", got)
	}
	if rw := row(t, r, "subscriptions", "payment"); rw[8] != "3" {
		t.Errorf("payment dead-lettered %s, want 3", rw[8])
	}

	cfg.Mode = Direct
	r, evs = recorded(t, cfg)
	v := verdict(t, r, "no-order-held-up")
	if v.OK || len(v.Evidence) != 3 || v.Evidence[0] != "order-1001: failed at payment (card declined)" {
		t.Errorf("direct mode: %+v", v)
	}
	if got := handledBy(evs, "email"); len(got) != 0 {
		t.Errorf("direct mode: email was asked after payment failed: %v", got)
	}
	if rw := row(t, r, "orders", "direct"); rw[3] != "3" || rw[2] != "0" {
		t.Errorf("orders row %v: want 0 complete, 3 failed", rw)
	}
	why := false
	for _, e := range evs {
		if e.Kind == trace.Note && strings.Contains(e.Note, "order-1001 failed") && e.Why != "" {
			why = true
		}
	}
	if !why {
		t.Error("no explained note for the failed order")
	}
}

func TestSlowServiceHoldsUpDirectOrdersOnly(t *testing.T) {
	cfg := Default()
	cfg.Events = 4
	cfg.Slow = map[string]float64{"analytics": 8}
	r, _ := recorded(t, cfg)
	if v := verdict(t, r, "no-order-held-up"); !v.OK {
		t.Errorf("events: %+v", v)
	}
	cfg.Mode = Direct
	r, _ = recorded(t, cfg)
	v := verdict(t, r, "no-order-held-up")
	if v.OK || !strings.Contains(v.Evidence[0], "for analytics") {
		t.Errorf("direct: %+v", v)
	}
	if rw := row(t, r, "orders", "direct"); rw[2] != "4" || rw[4] != "4" {
		t.Errorf("orders row %v: want 4 complete, 4 held up", rw)
	}
}

func TestOfflineServiceStallsDirectOrders(t *testing.T) {
	cfg := Default()
	cfg.Events = 2
	cfg.Mode = Direct
	cfg.Subscribers = []string{"inventory", "email"}
	cfg.Offline = []Offline{{"email", sim.Window{From: 10 * ms, To: 500 * ms}}}
	r, _ := recorded(t, cfg)
	v := verdict(t, r, "no-order-held-up")
	if v.OK || !strings.Contains(v.Evidence[0], "for email") {
		t.Errorf("direct with email offline: %+v", v)
	}
	if v := verdict(t, r, "every-event-delivered"); !v.OK {
		t.Errorf("commands waited in email.in and should be handled once it is back: %+v", v)
	}
}

func TestUntilCutsAndReportsWhatIsLeft(t *testing.T) {
	cfg := Default()
	cfg.Slow = map[string]float64{"analytics": 10}
	cfg.Until = 150 * ms // the others are done by then; analytics is not
	r, _ := recorded(t, cfg)
	if r.Stopped == "" {
		t.Fatal("the run was not stopped at --until")
	}
	v := verdict(t, r, "every-event-delivered")
	if v.OK || !strings.Contains(strings.Join(v.Evidence, "\n"), "for analytics: still waiting in orders/analytics") {
		t.Errorf("%+v", v)
	}
}
