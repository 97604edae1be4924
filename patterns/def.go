package patterns

import "github.com/msgplay/msgplay/internal/trace"

// Config is what every pattern's configuration does: it checks itself and
// runs. A Config is a plain struct value; copying it copies the scenario.
type Config interface {
	// Validate reports the first thing wrong with the scenario as one line
	// that names the flag and says what is allowed.
	Validate() error
	// Run simulates the scenario with the common options c, sending every
	// event to out (which may be nil), and returns the report that closes
	// the trace. The receiver must be valid. Runs are independent: several
	// may run at once on different goroutines.
	Run(c Common, out trace.Sink) *trace.Report
}

// Def is the whole definition of one pattern: everything msgplay needs to
// offer it as a command, sweep it with `check`, describe it with `explain`
// and put it in the tour. cmd builds the pattern's command from it and
// only binds flags to the fields of C.
type Def[C Config] struct {
	Name    string   // the command name, such as "competing"
	Aliases []string // other names the command answers to
	Summary string   // one line, for `msgplay list`
	About   string   // the long help

	// Default returns the scenario the command runs with no flags.
	Default func() C

	Demos    []Demo       // the runnable examples of --help, each with a golden script
	Variants []Variant[C] // the broken and the fixed ways, weakest first

	// Faults turns on the faults a sweep uses when the user gives none:
	// msgplay's own tests hold every variant to its guarantees under them
	// and demand that each broken variant gets caught.
	Faults func(*C)

	// Tour is the scenario of the pattern's tour chapter, run once per
	// variant named; nil leaves the pattern out of the tour.
	Tour *Chapter

	// Intro says what the pattern is doing, under the first events of a
	// shown run that match, with --explain: something to say on every
	// run, the ones where nothing goes wrong too.
	Intro []Intro

	// Live, for a pattern that runs on a real broker too (--live, whose
	// actors take their broker from Sim.Port), says how it maps onto NATS
	// JetStream, for `msgplay explain`; "" for one that has no live mode.
	Live string
}

// Variant is one way to run a pattern — the broken one or the fixed one —
// with the checks it guarantees. `msgplay check` holds each variant to its
// guarantees over many seeds; `msgplay explain` shows them. The flags that
// select a variant are derived from what Apply changes, for display.
type Variant[C Config] struct {
	Name       string
	About      string   // one line: what this variant does
	Guarantees []string // names of the checks that must hold in every run
	// Apply turns a scenario into this variant. It sets only what makes
	// the variant, so the flags shown for it stay few, and never writes
	// into a map or a slice's array the scenario shares with a copy of it
	// (clone first: maps.Clone, append(slices.Clip(s), x)). Faults follows
	// the same rule.
	Apply func(*C)
}

// Chapter is a pattern's part in the tour: a scenario where things go
// wrong, told in one sentence, run first the broken way, then the fixed way,
// with the same seed.
type Chapter struct {
	Title         string   // what the scenario shows, as a sentence fragment
	Args          []string // the scenario's flags, after the pattern's name
	Broken, Fixed string   // the names of the two variants
}
