package cmd

import (
	"slices"
	"strconv"
	"testing"

	"github.com/spf13/cobra"

	"github.com/msgplay/msgplay/internal/trace"
)

// TestRewordingNotesChangesNoVerdict runs every demo of every pattern twice:
// as it is, and with every event's note and explanation replaced by other
// words before the statistics and checks see them. Checks read structure
// (kinds, actors, messages, writes, parameters), never display text, so
// every verdict must come out the same. Evidence may quote a note (a drop
// says why the message was lost), so its lines are counted, not compared.
func TestRewordingNotesChangesNoVerdict(t *testing.T) {
	reworded := 0
	reword := func(e *trace.Event) {
		e.Note = "reworded #" + strconv.FormatInt(e.Seq, 10) + ": k=v, tx 9: stock=-5, 7 (one per order)"
		if e.Why != "" {
			e.Why = "said differently"
		}
		reworded++
	}
	for _, p := range patternList {
		for _, demo := range p.demos {
			c := &cobra.Command{}
			var opts runOptions
			sc := p.bind(c.Flags())
			addRunFlags(c, &opts)
			if err := c.Flags().Parse(demo.Args); err != nil {
				t.Fatalf("%s %v: %v", p.name, demo.Args, err)
			}
			if err := sc.ready(); err != nil {
				t.Fatalf("%s %v: %v", p.name, demo.Args, err)
			}
			runner := sc.runner()
			plain := runner(opts.common(), nil)
			common := opts.common()
			common.Rewrite = reword
			before := reworded
			got := runner(common, nil)
			if reworded == before && !isSweep(demo.Args) {
				t.Errorf("%s %v: no event went through Rewrite", p.name, demo.Args)
			}
			if len(got.Checks) != len(plain.Checks) {
				t.Fatalf("%s %v: %d verdicts reworded, %d as it is", p.name, demo.Args, len(got.Checks), len(plain.Checks))
			}
			for i, v := range plain.Checks {
				w := got.Checks[i]
				if w.Name != v.Name || w.OK != v.OK || w.Detail != v.Detail || len(w.Evidence) != len(v.Evidence) {
					t.Errorf("%s %v: %s changed when notes were reworded:\n  as it is: %v %s %v\n  reworded: %v %s %v",
						p.name, demo.Args, v.Name, v.OK, v.Detail, v.Evidence, w.OK, w.Detail, w.Evidence)
				}
			}
		}
	}
}

// isSweep reports whether a demo sweeps load leveling's consumers: a sweep
// runs its own worlds and shows no event stream to reword.
func isSweep(args []string) bool {
	return slices.ContainsFunc(args, func(a string) bool { return a == "--sweep-consumers" })
}
