package trace

import "time"

// Report is what a Summary event carries: the totals, the tables a pattern
// wants shown, and the verdict of every check.
type Report struct {
	Pattern  string
	Seed     uint64
	End      time.Duration // virtual time when the run ended
	Stopped  string        // why the run stopped before every message settled; "" when it settled
	Warnings []string      // faults asked for that the run never met, one line each
	InFlight []string      // ids of the messages still unsettled at the end (at most a few)
	Totals   []Count
	Tables   []Table
	Series   []Series
	Checks   []Verdict
}

// Series is a quantity over virtual time — a backlog, a number of workers
// — for renderers that can draw a chart: Values[i] is the highest it was in
// [i·Step, (i+1)·Step). Text names the table that already draws it as text,
// which a graphical renderer shows as a chart instead.
type Series struct {
	Title  string
	Step   time.Duration
	Values []int64
	Text   string
}

// Count is one named total, such as "sent 12".
type Count struct {
	Name  string
	Value int64
}

// Table is a titled grid of text, one row per actor, order or subscription.
type Table struct {
	Title   string
	Columns []string
	Rows    [][]string
}

// Verdict is the outcome of one check: whether it held, a one-line detail,
// and the evidence (message ids, times) behind a failure.
type Verdict struct {
	Name     string // stable identifier, such as "no-loss"
	Title    string // what is checked, in words
	OK       bool
	Detail   string
	Evidence []string
	// NotJudged marks a check the run ended too early to judge: a reader
	// stopped it while messages were still on their way. OK is false and
	// Detail says where it stopped.
	NotJudged bool
}

// Total returns the value of the named total, and 0 when there is none.
func (r *Report) Total(name string) int64 {
	for _, c := range r.Totals {
		if c.Name == name {
			return c.Value
		}
	}
	return 0
}

// Verdict returns the verdict of the named check, and false when the run had
// no such check.
func (r *Report) Verdict(name string) (Verdict, bool) {
	for _, v := range r.Checks {
		if v.Name == name {
			return v, true
		}
	}
	return Verdict{}, false
}
