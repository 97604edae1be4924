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
	if d.Get(DensePage) != nil || d.Get(-1) != nil || d.Get(1<<30) != nil {
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
	if !slices.Equal(set, []int{3, 5, 1 << 20}) || made != 2*DensePage {
		t.Fatalf("All listed %v out of %d values, want 3, 5 and %d out of two pages", set, made, 1<<20)
	}
}

// Free forgets one page and nothing else: its numbers read as never made,
// the others keep their values.
func TestDenseFreeForgetsOnePage(t *testing.T) {
	var d Dense[int]
	*d.At(1) = 10
	*d.At(DensePage + 1) = 20
	d.Free(2)
	d.Free(-1)
	d.Free(1 << 30)
	if d.Get(1) != nil || *d.Get(DensePage + 1) != 20 {
		t.Fatal("Free dropped the wrong page")
	}
	if *d.At(1) != 0 {
		t.Error("a freed page came back with its old values")
	}
}

// Pages forgets a page when its last number is done, not before, and a
// number that is done no more counts off.
func TestPagesForgetWhenAllDone(t *testing.T) {
	var p Pages
	for n := DensePage; n < 2*DensePage-1; n++ {
		if p.Change(n, false, true) {
			t.Fatalf("forgotten at %d of %d", n-DensePage+1, DensePage)
		}
	}
	p.Change(DensePage, true, false)
	if p.Change(2*DensePage-1, false, true) || p.Forgotten(DensePage) {
		t.Fatal("forgotten with a number no longer done")
	}
	if !p.Change(DensePage, false, true) || !p.Forgotten(2*DensePage-1) || p.Forgotten(0) {
		t.Fatal("the page all done was not forgotten, or another was")
	}
}

// A Fading forgets a page once every value is Done and reads it back as
// Done; a value changed after comes back from Done and is kept.
func TestFadingForgetsDonePages(t *testing.T) {
	f := Fading[int]{Done: 2}
	for n := DensePage; n < 2*DensePage; n++ {
		f.Update(n, func(v *int) { *v += 2 })
	}
	f.Update(3, func(v *int) { *v = 2 })
	if f.vals.Get(DensePage) != nil || f.vals.Get(3) == nil {
		t.Fatal("the page all done was kept, or the page not done was forgotten")
	}
	f.Update(DensePage+1, func(v *int) { *v++ })
	if f.Get(DensePage) != 2 || f.Get(DensePage+1) != 3 || f.Get(3) != 2 || f.Get(5) != 0 {
		t.Errorf("read %d, %d, %d, %d: want 2, 3, 2, 0", f.Get(DensePage), f.Get(DensePage+1), f.Get(3), f.Get(5))
	}
}
