package trace

import (
	"strconv"
	"testing"
)

// A byName answers the same before and after it outgrows its scan.
func TestByNameKeepsOrderAcrossItsMap(t *testing.T) {
	var b byName[int]
	for i := range 2 * scanMax {
		*b.add("q" + strconv.Itoa(i)) = i
	}
	*b.add("q3") += 100 // an existing name is not added again
	for i := range 2 * scanMax {
		want := i
		if i == 3 {
			want += 100
		}
		if v := b.get("q" + strconv.Itoa(i)); v == nil || *v != want || b.names[i] != "q"+strconv.Itoa(i) {
			t.Fatalf("q%d: got %v at %q, want %d in order", i, v, b.names[i], want)
		}
	}
	if len(b.names) != 2*scanMax || b.get("nobody") != nil {
		t.Errorf("%d names, get(nobody) = %v", len(b.names), b.get("nobody"))
	}
}
