package partition

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// Checks is a sink that judges a run from its events alone: the stock from
// the run event; the partitions from the network's fault events (by their
// message types); each order's site from the shop that sent it; the
// answers from responses (OrderAccepted, SoldOut, OrderRefused) and
// timeouts; each node's log from its handle and ack events (an order put
// in it), rollbacks (taken out of it) and drops (discarded everywhere);
// compensations; and which nodes are up from crashes and restarts.
//
// Its checks: no-acked-loss (every accepted order is in the final log),
// no-oversell (the final log holds no more orders than the stock,
// compensated ones included: they were sold), availability (the share of
// served during partitions (accepted or sold out): a figure, always held) and
// converged (every node up at the end holds the same orders).
type Checks struct {
	stock   int
	inCut   bool
	cuts    int
	sent    map[string]sentRec  // orders not answered yet
	acked   map[string]ackRec   // orders the customer was told are accepted
	nodes   map[string]*replica // by node name
	dropped map[string]time.Duration
	comp    map[string]bool
	during  [2]struct{ sent, served int }
}

type sentRec struct {
	site int
	at   time.Duration
	cut  int // the partition the order first came in, from 1; 0 for none
}

type ackRec struct {
	key   string
	site  int
	acked time.Duration
}

// replica is what the events say one node's log holds.
type replica struct {
	has  map[string]time.Duration // order id → when the node got it
	down bool
}

// NewChecks returns an empty Checks sink.
func NewChecks() *Checks {
	return &Checks{sent: map[string]sentRec{}, acked: map[string]ackRec{}, nodes: map[string]*replica{},
		dropped: map[string]time.Duration{}, comp: map[string]bool{}}
}

func (c *Checks) replica(name string) *replica {
	r, ok := c.nodes[name]
	if !ok {
		r = &replica{has: map[string]time.Duration{}}
		c.nodes[name] = r
	}
	return r
}

// siteOf reads a shop's site from its name: shop-a is site A (0).
func siteOf(shop string) int {
	if strings.HasSuffix(shop, "-b") {
		return 1
	}
	return 0
}

func isNode(actor string) bool { return strings.HasPrefix(actor, "node-") }

// Event follows one event.
func (c *Checks) Event(e *trace.Event) {
	id := e.Msg.ID
	switch e.Kind {
	case trace.Run:
		for _, p := range e.Params {
			if p.Name == "stock" {
				c.stock, _ = strconv.Atoi(p.Value)
			}
		}
	case trace.Fault:
		if e.Actor == sim.NetActor && e.Msg.Type == sim.PartitionStart {
			c.inCut = true
			c.cuts++
		} else if e.Actor == sim.NetActor && e.Msg.Type == sim.PartitionHeal {
			c.inCut = false
		}
	case trace.Send:
		if _, again := c.sent[id]; e.Msg.Type == PlaceOrder && !again {
			s := siteOf(e.Actor)
			rec := sentRec{site: s, at: e.T}
			if c.inCut {
				rec.cut = c.cuts
				c.during[s].sent++
			}
			c.sent[id] = rec
		}
	case trace.Response:
		if rec, ok := c.sent[id]; ok && e.Msg.Type != Refused {
			delete(c.sent, id)
			if rec.cut > 0 && c.inCut && rec.cut == c.cuts {
				c.during[rec.site].served++
			}
		}
		if _, ok := c.acked[id]; e.Msg.Type == Accepted && !ok {
			c.acked[id] = ackRec{key: e.Msg.Key, site: siteOf(e.To), acked: e.T}
		}
	case trace.Timeout:
		delete(c.sent, id)
	case trace.Handle, trace.Ack:
		if isNode(e.Actor) && e.HasMsg() {
			c.replica(e.Actor).has[id] = e.T
		}
	case trace.Rollback:
		if isNode(e.Actor) {
			delete(c.replica(e.Actor).has, id)
		}
	case trace.Drop:
		if isNode(e.Actor) && e.HasMsg() {
			for _, r := range c.nodes {
				delete(r.has, id)
			}
			c.dropped[id] = e.T
		}
	case trace.Compensate:
		c.comp[id] = true
	case trace.Crash:
		if isNode(e.Actor) {
			c.replica(e.Actor).down = true
		}
	case trace.Restart:
		if isNode(e.Actor) {
			c.replica(e.Actor).down = false
		}
	}
}

// up returns the names of the nodes up at the end, sorted.
func (c *Checks) up() []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(c.nodes)) {
		if !c.nodes[name].down {
			out = append(out, name)
		}
	}
	return out
}

// final returns the orders some node up at the end holds, with when each
// was first logged.
func (c *Checks) final() map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, name := range c.up() {
		for id, t := range c.nodes[name].has {
			if old, ok := out[id]; !ok || t < old {
				out[id] = t
			}
		}
	}
	return out
}

// byID sorts order ids as o1, o2, … o10.
func byID(a, b string) int {
	x, _ := strconv.Atoi(strings.TrimPrefix(a, "o"))
	y, _ := strconv.Atoi(strings.TrimPrefix(b, "o"))
	return cmp.Or(cmp.Compare(x, y), cmp.Compare(a, b))
}

// figures are what the verdicts and the CAP table say.
type figures struct {
	lost, oversold, compensated, kept int
	lostIDs                           []string
	diverged                          bool
}

// Verdicts returns the checks' verdicts; stopped is why the run stopped
// early, if it did.
func (c *Checks) Verdicts(stopped string) []trace.Verdict {
	v, _ := c.judge(stopped)
	return v
}

func (c *Checks) judge(stopped string) ([]trace.Verdict, figures) {
	var f figures
	final := c.final()
	f.kept = len(final)

	var lost check.Cases
	for _, id := range slices.SortedFunc(maps.Keys(c.acked), byID) {
		if _, ok := final[id]; ok {
			continue
		}
		a := c.acked[id]
		why := "site " + siteName(a.site) + ", accepted at " + trace.FormatDuration(a.acked) + ", "
		if t, ok := c.dropped[id]; ok {
			why += "discarded at " + trace.FormatDuration(t)
		} else {
			why += "in no log of a node up at the end"
		}
		lost.Add(check.Line(id, a.key, why))
		f.lostIDs = append(f.lostIDs, id)
	}
	f.lost = int(lost.Count())
	acked := trace.Verdict{Name: "no-acked-loss", Title: "accepted orders are all in the final log",
		OK: f.lost == 0, Evidence: check.Evidence(&lost)}
	if acked.OK {
		acked.Detail = "all " + patternsCount(len(c.acked), "accepted order") + " are in the log"
	} else {
		acked.Detail = strconv.Itoa(f.lost) + " of " + patternsCount(len(c.acked), "accepted order") + " are gone"
	}

	order := slices.SortedFunc(maps.Keys(final), func(a, b string) int {
		return cmp.Or(cmp.Compare(final[a], final[b]), byID(a, b))
	})
	var over check.Cases
	for i, id := range order {
		if c.comp[id] {
			f.compensated++
		}
		if i < c.stock {
			continue
		}
		why := "unit " + strconv.Itoa(i+1) + " of a stock of " + strconv.Itoa(c.stock) + ", logged at " + trace.FormatDuration(final[id])
		if a, ok := c.acked[id]; ok {
			why = "site " + siteName(a.site) + ", " + why
		}
		if c.comp[id] {
			why += "; compensated"
		}
		over.Add(check.Line(id, "", why))
	}
	f.oversold = int(over.Count())
	sell := trace.Verdict{Name: "no-oversell", Title: "orders kept within the stock",
		OK: f.oversold == 0, Evidence: check.Evidence(&over),
		Detail: strconv.Itoa(f.kept) + " kept for a stock of " + strconv.Itoa(c.stock)}
	if f.oversold > 0 {
		sell.Detail += ": " + strconv.Itoa(f.oversold) + " oversold, " + strconv.Itoa(f.compensated) + " compensated"
	}

	avail := trace.Verdict{Name: "availability", Title: "served during partitions (accepted or sold out)",
		OK: true, Detail: c.availability()}

	var diff check.Cases
	up := c.up()
	for _, name := range up {
		var lacks []string
		for _, id := range order {
			if _, ok := c.nodes[name].has[id]; !ok {
				lacks = append(lacks, id)
			}
		}
		if len(lacks) > 0 {
			diff.Add(name + " lacks " + strings.Join(lacks[:min(len(lacks), 6)], ", ") + more(len(lacks)-6))
		}
	}
	f.diverged = diff.Count() > 0
	conv := trace.Verdict{Name: "converged", Title: "every node up holds the same orders",
		OK: !f.diverged, Evidence: check.Evidence(&diff)}
	if conv.OK {
		conv.Detail = strings.Join(up, ", ") + " hold the same " + patternsCount(f.kept, "order")
	} else {
		conv.Detail = strconv.FormatInt(diff.Count(), 10) + " of " + strconv.Itoa(len(up)) + " nodes lack orders"
		if stopped != "" {
			conv.Detail += " (the run stopped early: " + stopped + ")"
		}
	}
	return []trace.Verdict{acked, sell, avail, conv}, f
}

func more(n int) string {
	if n <= 0 {
		return ""
	}
	return " and " + strconv.Itoa(n) + " more"
}

func patternsCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// availability writes the served share per site during partitions.
func (c *Checks) availability() string {
	if c.cuts == 0 {
		return "no partition in this run"
	}
	var parts []string
	for s, d := range c.during {
		part := "site " + siteName(s) + " "
		if d.sent == 0 {
			part += "no orders"
		} else {
			part += fmt.Sprintf("%d of %d (%d%%)", d.served, d.sent, 100*d.served/d.sent)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, " · ")
}

// Tables returns the table that puts C and A side by side: what the run
// kept and what it gave up, with the figures.
func (c *Checks) Tables() []trace.Table {
	_, f := c.judge("")
	cons := "kept: no accepted order lost, stock held, replicas agree"
	var gave []string
	if f.lost > 0 {
		gave = append(gave, strconv.Itoa(f.lost)+" accepted lost ("+
			strings.Join(f.lostIDs[:min(4, len(f.lostIDs))], ", ")+more(len(f.lostIDs)-4)+")")
	}
	if f.oversold > 0 {
		gave = append(gave, "sold "+strconv.Itoa(f.kept)+" of "+strconv.Itoa(c.stock)+
			" ("+strconv.Itoa(f.compensated)+" refunded)")
	}
	if f.diverged {
		gave = append(gave, "replicas differ")
	}
	if len(gave) > 0 {
		cons = "gave up: " + strings.Join(gave, "; ")
	}
	avail := "kept: every order served during partitions"
	switch {
	case c.cuts == 0:
		avail = "no partition: nothing to choose"
	case c.during[0].served < c.during[0].sent || c.during[1].served < c.during[1].sent:
		avail = "gave up: served " + c.availability()
	}
	return []trace.Table{{Title: "CAP", Columns: []string{"CAP: what this run kept and what it gave up"},
		Rows: [][]string{{"C consistency   " + cons}, {"A availability  " + avail}}}}
}
