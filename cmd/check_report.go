package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/msgplay/msgplay/internal/check"
)

// checkReport is the outcome of a sweep, ready to be written.
type checkReport struct {
	pattern  string
	args     []string // the pattern flags the user gave, or the faults the sweep turned on
	variants []ranVariant
	results  []check.Result
	first    uint64
	seeds    int
	skipped  []string // variants the flags do not apply to, with why
	// interrupted says the sweep was stopped with Ctrl-C: the table counts
	// only the runs done.
	interrupted bool
	// faults are the pattern's own sweep faults, offered when a sweep with
	// flags of the user's separated no variant from another.
	faults []string
}

// nothingFailed reports whether no check failed in any run of any variant.
func (r *checkReport) nothingFailed() bool {
	for _, res := range r.results {
		for _, c := range res.Checks {
			if c.Violated > 0 {
				return false
			}
		}
	}
	return true
}

// runsDone is how many runs the sweep did, over all variants.
func (r *checkReport) runsDone() int {
	n := 0
	for _, res := range r.results {
		n += res.Runs
	}
	return n
}

// ranVariant is a variant the sweep ran, with the flags that select it.
type ranVariant struct {
	name string
	args []string
}

// reproduce returns the command that replays one run.
func (r *checkReport) reproduce(v ranVariant, seed uint64) string {
	args := append(append([]string{r.pattern}, overridden(r.args, v.args)...), v.args...)
	return shellLine(args, seed)
}

// broken returns one line naming the first guarantee a variant broke, or ""
// when every guarantee held.
func (r *checkReport) broken() string {
	for i, res := range r.results {
		for _, c := range res.Checks {
			if c.Broken() {
				return fmt.Sprintf("check %s: %s guarantees %q, but %d of %d runs broke it; first: %s",
					r.pattern, res.Variant, c.Title, c.Violated, res.Runs, r.reproduce(r.variants[i], c.FailingSeeds[0]))
			}
		}
	}
	return ""
}

func percent(x float64) string {
	switch {
	case x == 0:
		return "0%"
	case x == 1:
		return "100%"
	case x < 0.01:
		return strconv.FormatFloat(100*x, 'f', 2, 64) + "%"
	}
	return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
}

func seedList(seeds []uint64, violated int) string {
	parts := make([]string, len(seeds))
	for i, s := range seeds {
		parts[i] = strconv.FormatUint(s, 10)
	}
	list := strings.Join(parts, ", ")
	if violated > len(seeds) {
		list += ", …"
	}
	return list
}

func (r *checkReport) writeText(w io.Writer) error {
	var b strings.Builder
	last := r.first + uint64(r.seeds) - 1
	fmt.Fprintf(&b, "msgplay check %s · seeds %d..%d · %d variants", r.pattern, r.first, last, len(r.results))
	if len(r.args) > 0 {
		b.WriteString(" · " + strings.Join(r.args, " "))
	}
	b.WriteString("\n\n")

	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "variant\tcheck\tclaim\tviolated\t95% interval\tfirst failing seeds")
	for _, res := range r.results {
		for j, c := range res.Checks {
			name := res.Variant
			if j > 0 {
				name = ""
			}
			claim := "—"
			switch {
			case c.Broken():
				claim = "✗ broken"
			case c.Guaranteed:
				claim = "✔ held"
			}
			lo, hi := c.Interval(res.Runs)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d of %d\t%s – %s\t%s\n", name, c.Title, claim, c.Violated, res.Runs,
				percent(lo), percent(hi), seedList(c.FailingSeeds, c.Violated))
		}
	}
	tw.Flush()
	for _, line := range strings.SplitAfter(table.String(), "\n") {
		b.WriteString(strings.TrimRight(line, " \n"))
		if strings.HasSuffix(line, "\n") {
			b.WriteByte('\n')
		}
	}

	for _, s := range r.skipped {
		b.WriteString("\nskipped " + s)
	}
	if len(r.skipped) > 0 {
		b.WriteString("\n")
	}

	var repro []string
	for i, res := range r.results {
		for _, c := range res.Checks {
			if c.Violated > 0 {
				repro = append(repro, fmt.Sprintf("  %s, %s (%s):\n    %s", res.Variant, c.Title, c.Example,
					r.reproduce(r.variants[i], c.FailingSeeds[0])))
			}
		}
	}
	if len(repro) > 0 {
		b.WriteString("\nreproduce the first failure of each\n" + strings.Join(repro, "\n") + "\n")
	}

	b.WriteString("\n")
	if r.interrupted {
		fmt.Fprintf(&b, "· interrupted after %d of %d runs: the table counts only those\n",
			r.runsDone(), r.seeds*len(r.results))
	}
	if msg := r.broken(); msg != "" {
		b.WriteString("✗ a guarantee was broken: " + strings.TrimPrefix(msg, "check "+r.pattern+": ") + "\n")
	} else {
		var held []string
		for _, res := range r.results {
			n := 0
			for _, c := range res.Checks {
				if c.Guaranteed {
					n++
				}
			}
			switch {
			case n == 1:
				held = append(held, res.Variant+": 1 check")
			case n > 1:
				held = append(held, fmt.Sprintf("%s: %d checks", res.Variant, n))
			}
		}
		if r.interrupted {
			// no claim about runs that did not happen
		} else if len(held) == 0 {
			b.WriteString("· no variant claims a guarantee under these flags\n")
		} else {
			fmt.Fprintf(&b, "✔ every guarantee held in all %d runs (%s)\n", r.seeds, strings.Join(held, "; "))
		}
		if !r.interrupted && len(r.faults) > 0 && r.nothingFailed() {
			fmt.Fprintf(&b, "· every variant held every check: without faults nothing separates them; the faults\n"+
				"  a sweep of %s uses by default do:\n    msgplay check %s %s\n", r.pattern, r.pattern,
				strings.Join(append(slices.Clone(r.args), r.faults...), " "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// checkJSON is the report as --format json writes it; the fields are in
// the order of the contract.
type checkJSON struct {
	Pattern   string   `json:"pattern"`
	Args      []string `json:"args"`
	FirstSeed uint64   `json:"first_seed"`
	Seeds     int      `json:"seeds"`
	OK        bool     `json:"ok"`
	// Interrupted says Ctrl-C stopped the sweep; runs counts what ran.
	Interrupted bool          `json:"interrupted,omitempty"`
	Skipped     []string      `json:"skipped,omitempty"`
	Variants    []variantJSON `json:"variants"`
}

type variantJSON struct {
	Name   string      `json:"name"`
	Checks []checkLine `json:"checks"`
}

type checkLine struct {
	Name         string    `json:"name"`
	Title        string    `json:"title"`
	Guaranteed   bool      `json:"guaranteed"`
	Violated     int       `json:"violated"`
	Runs         int       `json:"runs"`
	CI95         [2]fixed6 `json:"ci95"`
	FailingSeeds []uint64  `json:"failing_seeds"`
	Reproduce    string    `json:"reproduce,omitempty"`
}

// fixed6 is a number written with six decimals.
type fixed6 float64

func (f fixed6) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, float64(f), 'f', 6, 64), nil
}

func (r *checkReport) writeJSON(w io.Writer) error {
	out := checkJSON{Pattern: r.pattern, Args: append([]string{}, r.args...), FirstSeed: r.first, Seeds: r.seeds,
		OK: r.broken() == "", Interrupted: r.interrupted, Skipped: r.skipped, Variants: []variantJSON{}}
	for i, res := range r.results {
		v := variantJSON{Name: res.Variant, Checks: []checkLine{}}
		for _, c := range res.Checks {
			lo, hi := c.Interval(res.Runs)
			line := checkLine{Name: c.Name, Title: c.Title, Guaranteed: c.Guaranteed, Violated: c.Violated,
				Runs: res.Runs, CI95: [2]fixed6{fixed6(lo), fixed6(hi)}, FailingSeeds: append([]uint64{}, c.FailingSeeds...)}
			if len(c.FailingSeeds) > 0 {
				line.Reproduce = r.reproduce(r.variants[i], c.FailingSeeds[0])
			}
			v.Checks = append(v.Checks, line)
		}
		out.Variants = append(out.Variants, v)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
