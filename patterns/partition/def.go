package partition

import (
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/patterns"
)

// Definition is the partition pattern as msgplay offers it.
var Definition = patterns.Def[Config]{
	Name:    Name,
	Aliases: []string{"cap"},
	Summary: "CAP: a partition between two sites, and refusing (cp) or diverging (ap)",
	About:   about,
	Default: Default,
	Demos:   demos,
	Variants: []patterns.Variant[Config]{
		{Name: "ap-lww", About: "each side takes orders; on heal the last writer wins and the other side's are discarded",
			Guarantees: []string{"converged"},
			Apply:      func(c *Config) { c.Mode, c.Reconcile = AP, LastWriterWins }},
		{Name: "autoheal", About: "RabbitMQ's autoheal: each side takes orders; on heal the smaller side's are discarded",
			Guarantees: []string{"converged"},
			Apply:      func(c *Config) { c.Mode = Autoheal }},
		{Name: "ap-merge", About: "each side takes orders; on heal both are kept, and the stock is oversold",
			Guarantees: []string{"no-acked-loss", "converged"},
			Apply:      func(c *Config) { c.Mode, c.Reconcile = AP, Merge }},
		{Name: "pause-minority", About: "RabbitMQ's pause_minority: the nodes that see no majority refuse",
			Guarantees: []string{"no-acked-loss", "converged"},
			Apply:      func(c *Config) { c.Mode = PauseMinority }},
		{Name: "cp", About: "a majority must have an order before it is accepted; the minority refuses",
			Guarantees: []string{"no-acked-loss", "no-oversell", "converged"},
			Apply:      func(c *Config) { c.Mode = CP }},
	},
	Faults: func(c *Config) {
		c.Orders, c.Stock = 12, 8
		c.Arrival = sim.Exp(15 * time.Millisecond)
		c.Partitions = []Partition{{Win: sim.Window{From: 40 * time.Millisecond, To: 200 * time.Millisecond}}}
	},
	Tour: &patterns.Chapter{
		Title:  "the sites are cut apart for 150ms while orders arrive at both",
		Args:   []string{"--partition", "50ms..200ms"},
		Broken: "ap-lww",
		Fixed:  "cp",
	},
}

const about = `CAP made concrete: the shop runs in two sites, and orders arrive at both
(odd ones at site A's shop-a, even ones at site B's shop-b). The order log is
replicated over three broker nodes — node-1 in site A, node-2 and node-3 in
site B (--nodes, --site-a) — and the one item sold has a limited --stock.
A network partition (--partition) cuts the sites apart for a while: each
side runs on, but no message crosses. Then a replicated system must choose.

  --mode cp   consistency, as RabbitMQ quorum queues, Kafka with acks=all and
              min.insync.replicas=2, and JetStream R3 streams do: an order is
              accepted only once a majority of nodes has it. A leader
              replicates its log to the followers (replicate ⇉, ack ✔);
              a follower that hears no leader for --election-timeout stands
              (elect ◎) and the one a majority votes for leads (leader ★).
              The minority side cannot reach a majority: its orders are
              refused ("no quorum"); nothing accepted is ever lost, and
              after the heal the minority catches up (its entries that never
              reached a majority are rolled back).
  --mode ap   availability: each node takes orders on its own and copies them
              to the others in the background. Both sides keep selling; on
              heal they reconcile (--reconcile): last-writer-wins keeps the
              side that wrote last and discards the other's orders, though
              their customers were told "accepted"; merge keeps both, so the
              stock is oversold and the excess is compensated (refund ↶).
  --mode pause-minority  RabbitMQ's cluster_partition_handling=pause_minority:
              a node that sees no majority pauses and refuses: CP behaviour
              for the minority, while the majority side serves on.
  --mode autoheal        RabbitMQ's autoheal: both sides serve (AP); on heal
              the side with fewer nodes restarts and takes the other's data,
              losing what it accepted alone.

Faults: --partition FROM..TO cuts site A from site B (by default
40ms..200ms; none for no partition); SIDE/SIDE@FROM..TO names the sides
(A, B or nodes: node-1,node-2/node-3@50ms..200ms); repeatable, windows
apart. --crash node-N@T, --restart-after, --latency between the sites (1ms
within one). Checks: no-acked-loss, no-oversell, availability (the share of
orders served during partitions, per site — a figure in every mode) and
converged; the summary puts C and A side by side: what this run kept and what it gave up.`

var demos = []patterns.Demo{
	{Title: "the sites cut apart, cp: site A's orders are refused (no quorum), nothing is lost",
		Args: []string{"--partition", "50ms..200ms"}},
	{Title: "the same partition, ap: both sides sell; on heal the last writer wins, site A's orders go",
		Args: []string{"--partition", "50ms..200ms", "--mode", "ap"}},
	{Title: "the leader cut off: node-2 and node-3 elect a new one; node-1 rolls back and catches up",
		Args: []string{"--partition", "node-1/node-2,node-3@30ms..250ms", "--orders", "12", "--stock", "20"}},
	{Title: "ap with merge: both sides' orders kept, the stock oversold and the excess refunded",
		Args: []string{"--partition", "50ms..200ms", "--mode", "ap", "--reconcile", "merge", "--stock", "4"}},
	{Title: "autoheal: the bigger side (site B) wins and site A's orders are discarded",
		Args: []string{"--partition", "50ms..200ms", "--mode", "autoheal", "--quiet"}},
	{Title: "pause-minority: node-1 sees no majority and pauses; site B serves on",
		Args: []string{"--partition", "50ms..200ms", "--mode", "pause-minority", "--quiet"}},
	{Title: "a partition shorter than the election timeout between orders: nothing visible happens",
		Args: []string{"--arrival", "60ms", "--orders", "4", "--partition", "80ms..120ms"}},
	{Title: "a leader crash: the followers elect another, the old one comes back as a follower",
		Args: []string{"--partition", "none", "--crash", "node-1@50ms", "--restart-after", "200ms", "--orders", "12", "--stock", "20"}},
	{Title: "a thousand orders, partitions twice, ap merge: only the summary",
		Args: []string{"--orders", "1000", "--stock", "600", "--arrival", "exp:5ms", "--mode", "ap",
			"--reconcile", "merge", "--partition", "1s..2s", "--partition", "3s..3.5s", "--quiet"}},
}
