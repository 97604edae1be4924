package check

import (
	"slices"
	"testing"
)

// A Dense keeps each number's value where it first put it, makes only the
// pages used, and lists them in order.
func TestDenseKeepsValuesInPages(t *testing.T) {
	var d Dense[int]
	first := d.At(3)
	*first = 30
	*d.At(1 << 20) = 7 // far out: one more page, not a million values
	*d.At(5) = 50
	if d.At(3) != first || *d.Get(3) != 30 {
		t.Fatal("the value of 3 moved or changed as the Dense grew")
	}
	if d.Get(densePage) != nil || d.Get(-1) != nil || d.Get(1<<30) != nil {
		t.Fatal("Get made or found a page never used")
	}
	var set []int
	made := 0
	d.All(func(n int, v *int) {
		made++
		if *v != 0 {
			set = append(set, n)
		}
	})
	if !slices.Equal(set, []int{3, 5, 1 << 20}) || made != 2*densePage {
		t.Fatalf("All listed %v out of %d values, want 3, 5 and %d out of two pages", set, made, 1<<20)
	}
}
