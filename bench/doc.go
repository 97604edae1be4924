// Package bench measures msgplay against a floor: a minimal hand-written
// discrete-event simulation of the same M/M/8 queue as the README's headline
// run. It holds only benchmarks; see the README's Performance section for
// the commands and the figures.
package bench
