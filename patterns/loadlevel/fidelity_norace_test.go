//go:build !race

package loadlevel

// heavyFidelityCases hold the queue to Erlang C at high utilization. They
// take 24 million orders: about 10 s of plain Go on 2 cores, but minutes
// under the race detector, so they run only without -race (the race
// detector finds nothing more in 24 million orders than in 1 million).
var heavyFidelityCases = []fidelityCase{
	{4, 0.7, 2_500_000},
	{16, 0.85, 6_000_000},
	{16, 0.9, 16_000_000},
}
