//go:build !race

package loadlevel

// heavyFidelityCases hold the queue to Erlang C at high utilization. They
// take 38 million orders: most of a minute of plain Go on 2 cores, minutes
// under the race detector, so they run only without -race (the race
// detector finds nothing more in 38 million orders than in 1 million).
//
// Measured spread of the relative error over 6 seeds: c 4, ρ 0.7, 2.5M
// orders: sd 0.94%; c 16, ρ 0.85, 6M: sd 1.33%, hence 12M here (≈0.94%);
// c 16, ρ 0.9, 16M: sd 1.07%, hence 24M here (≈0.87%).
var heavyFidelityCases = []fidelityCase{
	{4, 0.7, 2_500_000},
	{16, 0.85, 12_000_000},
	{16, 0.9, 24_000_000},
}
