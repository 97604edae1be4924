// Package bench measures msgplay against a floor: a minimal hand-written
// discrete-event simulation of the same M/M/8 queue as the README's headline
// run. It holds only benchmarks; see the README's Performance section for
// the commands and the figures.
//
// msgplay is built with profile-guided optimization: default.pgo, beside
// main.go, is a CPU profile of the headline run three ways (BenchmarkQuiet,
// BenchmarkText and BenchmarkJSON, merged), which go build and go install
// apply to the msgplay binary on their own. A profile of --quiet alone
// made the text trace slower: the renderers must be in it. go test does
// not apply it, so measure what a user runs with the profile named:
//
//	go test -pgo=$PWD/default.pgo -run XXX -bench Ratio/quiet -benchtime 1x -count 6 ./bench
//
// Remake the profile when the hot path changes much (a stale one still
// works, only less well):
//
//	go test -c -pgo=off -o /tmp/bench.test ./bench && cd bench
//	/tmp/bench.test -test.run XXX -test.bench '^BenchmarkQuiet$' -test.benchtime 20x -test.cpuprofile /tmp/q.pprof
//	/tmp/bench.test -test.run XXX -test.bench '^BenchmarkText$' -test.benchtime 4x -test.cpuprofile /tmp/t.pprof
//	/tmp/bench.test -test.run XXX -test.bench '^BenchmarkJSON$' -test.benchtime 4x -test.cpuprofile /tmp/j.pprof
//	go tool pprof -proto /tmp/q.pprof /tmp/t.pprof /tmp/j.pprof > ../default.pgo
package bench
