// Package partition simulates the CAP choice: a shop in two sites whose
// order log is replicated across broker nodes, a network partition between
// the sites, and what each way of replicating gives up. In cp mode a write
// is acknowledged only once a majority of nodes has it (a Raft-like leader,
// terms and votes); in ap mode each node accepts locally and replicates in
// the background, and the sides reconcile when the partition heals.
package partition

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Name is the pattern's command name.
const Name = "partition"

// The ceilings of the count and duration flags, and the floor of --election-timeout.
const (
	MaxOrders          = 10_000_000
	MaxNodes           = 7
	MaxStock           = 10_000_000
	MaxPartitions      = 16
	MaxElectionTimeout = 10 * time.Second
	MinElectionTimeout = 5 * time.Millisecond
)

// The values of --mode.
const (
	CP            = "cp"             // a majority must have a write before it is acknowledged
	AP            = "ap"             // every node accepts locally; the sides reconcile on heal
	PauseMinority = "pause-minority" // RabbitMQ's: nodes that see no majority stop serving
	Autoheal      = "autoheal"       // RabbitMQ's: on heal the bigger side wins, the other's writes go
)

// The values of --reconcile (ap mode).
const (
	LastWriterWins = "last-writer-wins" // the side that wrote last wins; the other's writes are discarded
	Merge          = "merge"            // both sides' writes are kept; overselling is compensated
)

// Modes and Reconciles list the values of --mode and --reconcile.
var (
	Modes      = []string{CP, AP, PauseMinority, Autoheal}
	Reconciles = []string{LastWriterWins, Merge}
)

// Partition is one --partition window: the nodes on each side (empty A
// and B: site A against site B) and when.
type Partition struct {
	A, B []string
	Win  sim.Window
}

// String returns the partition as its flag is written.
func (p Partition) String() string {
	if len(p.A) == 0 {
		return p.Win.String()
	}
	return strings.Join(p.A, ",") + "/" + strings.Join(p.B, ",") + "@" + p.Win.String()
}

// ParsePartition parses FROM..TO (site A against site B) or
// SIDE/SIDE@FROM..TO, where a side is A, B or node names with commas;
// SIDE|SIDE is read the same (but needs quoting in a shell).
func ParsePartition(s string) (Partition, error) {
	sides, span, ok := strings.Cut(s, "@")
	if !ok {
		span, sides = s, ""
	}
	w, err := sim.ParseWindow(span)
	if err != nil {
		return Partition{}, err
	}
	p := Partition{Win: w}
	if sides == "" {
		return p, nil
	}
	a, b, ok := strings.Cut(strings.ReplaceAll(sides, "|", "/"), "/")
	if !ok || a == "" || b == "" {
		return Partition{}, fmt.Errorf("%q is not SIDE/SIDE@FROM..TO, such as node-1/node-2,node-3@100ms..300ms", s)
	}
	p.A, p.B = strings.Split(a, ","), strings.Split(b, ",")
	return p, nil
}

// Config is one partition scenario.
type Config struct {
	patterns.Common

	Mode      string // cp, ap, pause-minority or autoheal
	Reconcile string // ap: last-writer-wins or merge

	Nodes int // broker nodes node-1 … node-N
	SiteA int // how many of them are in site A (the first ones); the rest are in site B

	Orders  int      // orders o1 … oN: odd ones arrive at site A, even ones at site B
	Arrival sim.Dist // time between orders
	Stock   int      // units of the one limited item; each order takes one
	Latency sim.Dist // one way between the sites; 1ms within a site

	Partitions      []Partition
	ElectionTimeout time.Duration // cp: how long a follower waits for its leader before standing

	Crashes      []sim.Crash
	RestartAfter time.Duration

	bug bug // a planted bug, for the tests of the checks
}

// bug is a mistake the tests plant to prove the checks catch it.
type bug uint8

const (
	noBug        bug = iota
	bugAckEarly      // cp: the leader acknowledges a write before a majority has it
	bugNoStock       // the leader forgets to check the stock
	bugNoCatchUp     // a leader never sends a follower what it missed
)

// Default returns the scenario `msgplay partition` runs with no flags.
func Default() Config {
	return Config{
		Common:          patterns.Common{Seed: 1},
		Mode:            CP,
		Reconcile:       LastWriterWins,
		Nodes:           3,
		SiteA:           1,
		Orders:          8,
		Arrival:         sim.Const(20 * time.Millisecond),
		Stock:           6,
		Latency:         sim.Const(5 * time.Millisecond),
		ElectionTimeout: 50 * time.Millisecond,
		Partitions:      []Partition{{Win: sim.Window{From: 40 * time.Millisecond, To: 200 * time.Millisecond}}},
	}
}

// NodeName returns the name of the i-th node, from 1.
func NodeName(i int) string { return "node-" + strconv.Itoa(i) }

// OrderID returns the id of the n-th order, from 1.
func OrderID(n int) string { return "o" + strconv.Itoa(n) }

// siteOf returns the site of the i-th node, from 1: 0 for A, 1 for B.
func (c Config) siteOf(i int) int {
	if i <= c.SiteA {
		return 0
	}
	return 1
}

// siteNodes returns the names of the nodes of site s.
func (c Config) siteNodes(s int) []string {
	var out []string
	for i := 1; i <= c.Nodes; i++ {
		if c.siteOf(i) == s {
			out = append(out, NodeName(i))
		}
	}
	return out
}

// cuts returns the partitions with their sides resolved to node names.
func (c Config) cuts() []sim.Cut {
	var out []sim.Cut
	for _, p := range c.Partitions {
		a, b := p.A, p.B
		if len(a) == 0 {
			a, b = []string{"A"}, []string{"B"}
		}
		out = append(out, sim.Cut{A: c.side(a), B: c.side(b), Win: p.Win})
	}
	return out
}

// side resolves a side's names: A and B stand for their sites' nodes.
func (c Config) side(names []string) []string {
	var out []string
	for _, n := range names {
		switch n {
		case "A":
			out = append(out, c.siteNodes(0)...)
		case "B":
			out = append(out, c.siteNodes(1)...)
		default:
			out = append(out, n)
		}
	}
	return out
}

func (c Config) isNode(name string) bool {
	n, ok := strings.CutPrefix(name, "node-")
	i, err := strconv.Atoi(n)
	return ok && err == nil && i >= 1 && i <= c.Nodes && NodeName(i) == name
}

func (c Config) nodeList() string {
	if c.Nodes == 1 {
		return "node-1"
	}
	return "node-1 … " + NodeName(c.Nodes)
}

// Validate reports the first thing wrong with c, naming the flag.
func (c Config) Validate() error {
	if err := cmp.Or(
		patterns.CheckRange("--nodes", c.Nodes, 3, MaxNodes),
		patterns.CheckRange("--orders", c.Orders, 1, MaxOrders),
		patterns.CheckRange("--stock", c.Stock, 0, MaxStock),
	); err != nil {
		return err
	}
	switch {
	case !slices.Contains(Modes, c.Mode):
		return fmt.Errorf("--mode: %q is not a mode: want %s", c.Mode, patterns.OrList(Modes))
	case !slices.Contains(Reconciles, c.Reconcile):
		return fmt.Errorf("--reconcile: %q is not a way to reconcile: want %s", c.Reconcile, patterns.OrList(Reconciles))
	case c.SiteA < 1 || c.SiteA >= c.Nodes:
		return fmt.Errorf("--site-a must be from 1 to %d, leaving site B a node (got %d)", c.Nodes-1, c.SiteA)
	case c.ElectionTimeout < MinElectionTimeout || c.ElectionTimeout > MaxElectionTimeout:
		return fmt.Errorf("--election-timeout must be from %s to %s (got %s)", trace.FormatDuration(MinElectionTimeout),
			trace.FormatDuration(MaxElectionTimeout), trace.FormatDuration(c.ElectionTimeout))
	case c.Latency.Reach() > c.ElectionTimeout:
		return fmt.Errorf("--latency must stay within the --election-timeout (%s), or no leader is ever heard",
			trace.FormatDuration(c.ElectionTimeout))
	case len(c.Partitions) > MaxPartitions:
		return fmt.Errorf("--partition may be given at most %d times (got %d)", MaxPartitions, len(c.Partitions))
	}
	for i, p := range c.Partitions {
		if err := c.checkSides(p); err != nil {
			return err
		}
		for _, q := range c.Partitions[:i] {
			if p.Win.From < q.Win.To && q.Win.From < p.Win.To {
				return fmt.Errorf("--partition: %s overlaps %s: give windows that do not overlap", p, q)
			}
		}
	}
	if err := patterns.CheckCrashes(c.Crashes, c.isNode, "node", c.nodeList()); err != nil {
		return err
	}
	return nil
}

// checkSides checks that a partition puts every node on exactly one side.
func (c Config) checkSides(p Partition) error {
	if len(p.A) == 0 {
		return nil
	}
	seen := map[string]bool{}
	for _, n := range append(slices.Clip(c.side(p.A)), c.side(p.B)...) {
		if !c.isNode(n) {
			return fmt.Errorf("--partition: no node %q in %s: want A, B or %s", n, p, c.nodeList())
		}
		if seen[n] {
			return fmt.Errorf("--partition: %s is on both sides of %s", n, p)
		}
		seen[n] = true
	}
	for i := 1; i <= c.Nodes; i++ {
		if !seen[NodeName(i)] {
			return fmt.Errorf("--partition: %s is on neither side of %s: put every node on one side", NodeName(i), p)
		}
	}
	return nil
}

// Params returns the scenario as the run event shows it.
func (c Config) Params() []trace.Param {
	p := patterns.NewParams(c.Common).Str("mode", c.Mode)
	if c.Mode == AP {
		p.Str("reconcile", c.Reconcile)
	}
	p.Add(trace.Param{Name: "nodes", Value: strconv.Itoa(c.Nodes),
		Hint: "A: " + strings.Join(c.siteNodes(0), ", ") + " · B: " + strings.Join(c.siteNodes(1), ", ")})
	p.Int("orders", c.Orders).Dist("arrival", c.Arrival).Int("stock", c.Stock).Dist("latency", c.Latency)
	if c.Mode == CP {
		p.Dur("election-timeout", c.ElectionTimeout)
	}
	p.List("partition", patterns.Strings(c.Partitions)).Crashes(c.Crashes)
	if len(c.Crashes) > 0 && c.RestartAfter > 0 {
		p.Dur("restart-after", c.RestartAfter)
	}
	return p.Done()
}
