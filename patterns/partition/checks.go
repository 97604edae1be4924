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
	"github.com/msgplay/msgplay/patterns"
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
	stock  int
	inCut  bool
	cuts   int
	ids    ids
	sent   map[int]sentRec     // orders not answered yet, by number
	facts  byNum[fact]         // by number: what became of each order
	keys   map[int]string      // an accepted order's key, where it is not patterns.OrderKey's
	nAcked int                 // orders the customer was told are accepted
	nodes  map[string]*replica // by node name
	during [2]struct{ sent, served int }
}

type sentRec struct {
	site int
	at   time.Duration
	cut  int // the partition the order first came in, from 1; 0 for none
}

// fact is what became of one order: when the customer was told it is
// accepted, and when a reconciliation discarded it.
type fact struct {
	acked, dropped time.Duration
	flags          uint8
}

// The flags of a fact.
const (
	isAcked uint8 = 1 << iota
	isDropped
	isCompensated
	siteB // the accepted order's shop is at site B
)

// replica is what the events say one node's log holds.
type replica struct {
	has  byNum[time.Duration] // by number: 1 + when the node got the order, 0 if it has not
	down bool
}

// ids numbers the order ids the events name, so that the records are
// dense arrays and keep no string per order: o<N> is N, any other id
// -1-k, k its place in others.
type ids struct {
	others []string
	byName map[string]int
}

// num returns the number of id.
func (x *ids) num(id string) int {
	if n, ok := orderNum(id); ok {
		return n
	}
	k, ok := x.byName[id]
	if !ok {
		if x.byName == nil {
			x.byName = map[string]int{}
		}
		k = len(x.others)
		x.others = append(x.others, id)
		x.byName[id] = k
	}
	return -1 - k
}

// id returns the id numbered n.
func (x *ids) id(n int) string {
	if n >= 0 {
		return OrderID(n)
	}
	return x.others[-1-n]
}

// compare orders numbered ids as byID orders the ids.
func (x *ids) compare(a, b int) int {
	if a >= 0 && b >= 0 {
		return cmp.Compare(a, b)
	}
	return byID(x.id(a), x.id(b))
}

// byNum holds a value per order number, o<N>'s (N ≥ 0) and the other
// ids' (below 0) each in a dense array.
type byNum[T any] struct{ ids, others check.Dense[T] }

// At returns the value of number n, making room for it.
func (b *byNum[T]) At(n int) *T {
	if n >= 0 {
		return b.ids.At(n)
	}
	return b.others.At(-1 - n)
}

// Get returns the value of number n, or nil when there is none.
func (b *byNum[T]) Get(n int) *T {
	if n >= 0 {
		return b.ids.Get(n)
	}
	return b.others.Get(-1 - n)
}

// All calls fn with every number that has room and its value.
func (b *byNum[T]) All(fn func(n int, v *T)) {
	b.others.All(func(k int, v *T) { fn(-1-k, v) })
	b.ids.All(fn)
}

// orderNum reads N from an id o<N> (N from 1, no leading zero, at most
// patterns.MaxDense).
func orderNum(id string) (int, bool) {
	n, ok := patterns.KeyNumber(id, "o", 0)
	return n, ok && n <= patterns.MaxDense
}

// isOrderKey reports whether key is patterns.OrderKey(n) for the order id numbered
// m, without making that key.
func isOrderKey(key string, m int) bool {
	rest, ok := strings.CutPrefix(key, "order-")
	if !ok || m < 0 || len(rest) == 0 || rest[0] == '0' {
		return false
	}
	k, err := strconv.Atoi(rest)
	return err == nil && k == 1000+m
}

// NewChecks returns an empty Checks sink.
func NewChecks() *Checks {
	return &Checks{sent: map[int]sentRec{}, keys: map[int]string{}, nodes: map[string]*replica{}}
}

func (c *Checks) replica(name string) *replica {
	r, ok := c.nodes[name]
	if !ok {
		r = &replica{}
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
		n := c.ids.num(e.Msg.ID)
		if _, again := c.sent[n]; e.Msg.Type == PlaceOrder && !again {
			s := siteOf(e.Actor)
			rec := sentRec{site: s, at: e.T}
			if c.inCut {
				rec.cut = c.cuts
				c.during[s].sent++
			}
			c.sent[n] = rec
		}
	case trace.Response:
		n := c.ids.num(e.Msg.ID)
		if rec, ok := c.sent[n]; ok && e.Msg.Type != Refused {
			delete(c.sent, n)
			if rec.cut > 0 && c.inCut && rec.cut == c.cuts {
				c.during[rec.site].served++
			}
		}
		if e.Msg.Type != Accepted {
			break
		}
		if f := c.facts.At(n); f.flags&isAcked == 0 {
			f.flags |= isAcked
			f.acked = e.T
			if siteOf(e.To) == 1 {
				f.flags |= siteB
			}
			if !isOrderKey(e.Msg.Key, n) {
				c.keys[n] = e.Msg.Key
			}
			c.nAcked++
		}
	case trace.Timeout:
		delete(c.sent, c.ids.num(e.Msg.ID))
	case trace.Handle, trace.Ack:
		if isNode(e.Actor) && e.HasMsg() {
			*c.replica(e.Actor).has.At(c.ids.num(e.Msg.ID)) = e.T + 1
		}
	case trace.Rollback:
		if isNode(e.Actor) {
			if t := c.replica(e.Actor).has.Get(c.ids.num(e.Msg.ID)); t != nil {
				*t = 0
			}
		}
	case trace.Drop:
		if isNode(e.Actor) && e.HasMsg() {
			n := c.ids.num(e.Msg.ID)
			for _, r := range c.nodes {
				if t := r.has.Get(n); t != nil {
					*t = 0
				}
			}
			f := c.facts.At(n)
			f.flags |= isDropped
			f.dropped = e.T
		}
	case trace.Compensate:
		c.facts.At(c.ids.num(e.Msg.ID)).flags |= isCompensated
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

// logged returns when order n was first logged by a node of up, and
// whether one has it.
func (c *Checks) logged(n int, up []string) (time.Duration, bool) {
	var first time.Duration
	for _, name := range up {
		if t := c.nodes[name].has.Get(n); t != nil && *t > 0 && (first == 0 || *t < first) {
			first = *t
		}
	}
	return first - 1, first > 0
}

// final returns the numbers of the orders some node up at the end holds,
// in the order they were first logged.
func (c *Checks) final(up []string) []int {
	var out []int
	for _, name := range up {
		c.nodes[name].has.All(func(n int, t *time.Duration) {
			if *t > 0 {
				out = append(out, n)
			}
		})
	}
	slices.Sort(out)
	out = slices.Compact(out)
	at := func(n int) time.Duration { t, _ := c.logged(n, up); return t }
	slices.SortFunc(out, func(a, b int) int { return cmp.Or(cmp.Compare(at(a), at(b)), c.ids.compare(a, b)) })
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

func (x *fact) site() int {
	if x.flags&siteB != 0 {
		return 1
	}
	return 0
}

// key returns the key of the accepted order numbered n.
func (c *Checks) key(n int) string {
	if k, ok := c.keys[n]; ok {
		return k
	}
	return patterns.OrderKey(n)
}

// Verdicts returns the checks' verdicts; stopped is why the run stopped
// early, if it did.
func (c *Checks) Verdicts(stopped string) []trace.Verdict {
	v, _ := c.judge(stopped)
	return v
}

func (c *Checks) judge(stopped string) ([]trace.Verdict, figures) {
	var f figures
	up := c.up()
	order := c.final(up)
	f.kept = len(order)

	var accepted []int
	c.facts.All(func(n int, x *fact) {
		if x.flags&isAcked != 0 {
			accepted = append(accepted, n)
		}
	})
	slices.SortFunc(accepted, c.ids.compare)
	var lost check.Cases
	for _, n := range accepted {
		if _, ok := c.logged(n, up); ok {
			continue
		}
		a := c.facts.Get(n)
		id := c.ids.id(n)
		why := "site " + siteName(a.site()) + ", accepted at " + trace.FormatDuration(a.acked) + ", "
		if a.flags&isDropped != 0 {
			why += "discarded at " + trace.FormatDuration(a.dropped)
		} else {
			why += "in no log of a node up at the end"
		}
		lost.Add(check.Line(id, c.key(n), why))
		f.lostIDs = append(f.lostIDs, id)
	}
	f.lost = int(lost.Count())
	acked := trace.Verdict{Name: "no-acked-loss", Title: "accepted orders are all in the final log",
		OK: f.lost == 0, Evidence: check.Evidence(&lost)}
	if acked.OK {
		acked.Detail = "all " + patternsCount(c.nAcked, "accepted order") + " are in the log"
	} else {
		acked.Detail = strconv.Itoa(f.lost) + " of " + patternsCount(c.nAcked, "accepted order") + " are gone"
	}

	var over check.Cases
	for i, n := range order {
		x := c.facts.Get(n)
		comp := x != nil && x.flags&isCompensated != 0
		if comp {
			f.compensated++
		}
		if i < c.stock {
			continue
		}
		t, _ := c.logged(n, up)
		why := "unit " + strconv.Itoa(i+1) + " of a stock of " + strconv.Itoa(c.stock) + ", logged at " + trace.FormatDuration(t)
		if x != nil && x.flags&isAcked != 0 {
			why = "site " + siteName(x.site()) + ", " + why
		}
		if comp {
			why += "; compensated"
		}
		over.Add(check.Line(c.ids.id(n), "", why))
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
	for _, name := range up {
		var lacks []string
		n := 0
		for _, m := range order {
			if t := c.nodes[name].has.Get(m); t == nil || *t == 0 {
				if n++; n <= 6 {
					lacks = append(lacks, c.ids.id(m))
				}
			}
		}
		if n > 0 {
			diff.Add(name + " lacks " + strings.Join(lacks, ", ") + more(n-6))
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
