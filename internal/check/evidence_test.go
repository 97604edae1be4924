package check

import (
	"fmt"
	"slices"
	"testing"
)

// TestEvidenceKeepsTheFirstAndCountsTheRest: lists of several checks join
// in order, capped at MaxEvidence in all, and the rest are counted.
func TestEvidenceKeepsTheFirstAndCountsTheRest(t *testing.T) {
	var lost, stuck Cases
	for i := range 10 {
		lost.Add(Line(fmt.Sprintf("m%d", i+1), "k", "lost"))
	}
	stuck.Add(Line("m99", "", "stuck"))
	if lost.Count() != 10 || lost.Room() || !stuck.Room() {
		t.Fatalf("lost counts %d (room %v), stuck room %v: want 10, false, true", lost.Count(), lost.Room(), stuck.Room())
	}
	got := Evidence(&stuck, &lost)
	want := []string{"m99: stuck", "m1 k: lost", "m2 k: lost", "m3 k: lost", "m4 k: lost",
		"m5 k: lost", "m6 k: lost", "m7 k: lost", "and 3 more"}
	if !slices.Equal(got, want) {
		t.Errorf("Evidence = %q\nwant %q", got, want)
	}
	var none Cases
	if ev := Evidence(&none); len(ev) != 0 {
		t.Errorf("no cases gave evidence %q", ev)
	}
}
