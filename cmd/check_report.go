package cmd

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// checkReport is the outcome of a sweep, ready to be written.
type checkReport struct {
	pattern  string
	args     []string // the pattern flags the user gave
	variants []patterns.ArgsVariant
	results  []check.Result
	first    uint64
	seeds    int
	skipped  []string // variants the flags do not apply to, with why
}

// reproduce returns the command that replays one run.
func (r *checkReport) reproduce(v patterns.ArgsVariant, seed uint64) string {
	parts := append([]string{"msgplay", r.pattern}, r.args...)
	parts = append(parts, v.Args...)
	parts = append(parts, "--seed", strconv.FormatUint(seed, 10))
	for i, p := range parts {
		if p == "" || strings.ContainsAny(p, " \t'\"$`\\|&;<>()*?[]#~") {
			parts[i] = "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
		}
	}
	return strings.Join(parts, " ")
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
		if len(held) == 0 {
			b.WriteString("· no variant claims a guarantee under these flags\n")
		} else {
			fmt.Fprintf(&b, "✔ every guarantee held in all %d runs (%s)\n", r.seeds, strings.Join(held, "; "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *checkReport) writeJSON(w io.Writer) error {
	var b []byte
	str := func(s string) { b = trace.AppendJSONString(b, s) }
	b = append(b, `{"pattern":`...)
	str(r.pattern)
	b = append(b, `,"args":[`...)
	for i, a := range r.args {
		if i > 0 {
			b = append(b, ',')
		}
		str(a)
	}
	b = append(b, `],"first_seed":`...)
	b = strconv.AppendUint(b, r.first, 10)
	b = append(b, `,"seeds":`...)
	b = strconv.AppendInt(b, int64(r.seeds), 10)
	b = append(b, `,"ok":`...)
	b = strconv.AppendBool(b, r.broken() == "")
	if len(r.skipped) > 0 {
		b = append(b, `,"skipped":[`...)
		for i, s := range r.skipped {
			if i > 0 {
				b = append(b, ',')
			}
			str(s)
		}
		b = append(b, ']')
	}
	b = append(b, `,"variants":[`...)
	for i, res := range r.results {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		str(res.Variant)
		b = append(b, `,"checks":[`...)
		for j, c := range res.Checks {
			if j > 0 {
				b = append(b, ',')
			}
			lo, hi := c.Interval(res.Runs)
			b = append(b, `{"name":`...)
			str(c.Name)
			b = append(b, `,"title":`...)
			str(c.Title)
			b = append(b, `,"guaranteed":`...)
			b = strconv.AppendBool(b, c.Guaranteed)
			b = append(b, `,"violated":`...)
			b = strconv.AppendInt(b, int64(c.Violated), 10)
			b = append(b, `,"runs":`...)
			b = strconv.AppendInt(b, int64(res.Runs), 10)
			b = append(b, `,"ci95":[`...)
			b = strconv.AppendFloat(b, lo, 'f', 6, 64)
			b = append(b, ',')
			b = strconv.AppendFloat(b, hi, 'f', 6, 64)
			b = append(b, `],"failing_seeds":[`...)
			for k, s := range c.FailingSeeds {
				if k > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendUint(b, s, 10)
			}
			b = append(b, ']')
			if len(c.FailingSeeds) > 0 {
				b = append(b, `,"reproduce":`...)
				str(r.reproduce(r.variants[i], c.FailingSeeds[0]))
			}
			b = append(b, '}')
		}
		b = append(b, "]}"...)
	}
	b = append(b, "]}\n"...)
	_, err := w.Write(b)
	return err
}
