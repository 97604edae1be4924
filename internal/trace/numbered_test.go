package trace

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// A Numbered agrees with a map through adds and deletes in a roughly
// increasing order, with stragglers far behind the others (which meet
// the slots of newer numbers in a full ring, and spill) and numbers that
// come back after they were forgotten.
func TestNumberedAgreesWithAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var n Numbered[int]
	want := map[uint64]int{}
	next := uint64(1)
	for step := 0; step < 200_000; step++ {
		switch x := r.IntN(100); {
		case x < 45: // a new message
			k := next
			next++
			if r.IntN(1000) == 0 {
				k = uint64(r.IntN(int(next))) + 1 // an old number come back
			}
			if v, ok := want[k]; ok {
				if p, found := n.Find(k); !found || *p != v { // a requeue: found, kept
					t.Fatalf("Find(%d) of a held number: %v %v, want %d", k, p, found, v)
				}
				continue
			}
			want[k] = step
			if step%3 == 0 {
				if p := n.Claim(k); p != nil { // its slot was free: held there, zero
					if *p != 0 || n.Get(k) != p {
						t.Fatalf("Claim(%d) = %d, Get %v: want a zero value held", k, *p, n.Get(k))
					}
					*p = step
				} else { // taken by another, or some spilled: Hold does it
					*n.Hold(k) = step
				}
				continue
			}
			if step%3 == 1 {
				if p := n.Add(k, step); *p != step {
					t.Fatalf("Add(%d) kept %d", k, *p)
				}
			} else if p, found := n.Find(k); found || *p != 0 {
				t.Fatalf("Find(%d) of a new number: %d %v, want a zero value held", k, *p, found)
			} else {
				*p = step
			}
		case x < 90 && len(want) > 0: // one settles, most often an old one
			k := next - 1 - uint64(r.IntN(min(int(next-1), 300)))
			if r.IntN(50000) == 0 {
				continue
			}
			v, ok := want[k]
			if !ok {
				continue
			}
			delete(want, k)
			if step%2 == 0 {
				n.Delete(k)
			} else if got, ok := n.Take(k); !ok || got != v {
				t.Fatalf("Take(%d) = %d %v, want %d", k, got, ok, v)
			}
		default:
			k := uint64(r.IntN(int(next)+5)) + 1
			v, ok := want[k]
			if p := n.Get(k); ok != (p != nil) || (ok && *p != v) {
				t.Fatalf("step %d: Get(%d) = %v, want %d %v", step, k, p, v, ok)
			}
		}
	}
	if n.Len() != len(want) {
		t.Fatalf("Len %d, want %d", n.Len(), len(want))
	}
	var got []uint64
	n.All(func(k uint64, v *int) {
		if want[k] != *v {
			t.Errorf("All: %d holds %d, want %d", k, *v, want[k])
		}
		got = append(got, k)
	})
	if len(got) != len(want) {
		t.Errorf("All gave %d numbers, want %d", len(got), len(want))
	}
	if len(n.ring) > maxWindow {
		t.Errorf("the ring grew to %d slots, past %d", len(n.ring), maxWindow)
	}
}

// One message that never settles does not make the ring span every
// number sent after it: it spills, and memory follows what is in flight.
func TestNumberedSpillsAStraggler(t *testing.T) {
	var n Numbered[int]
	n.Add(1, 1)
	for k := uint64(2); k < 10*maxWindow; k++ {
		n.Add(k, int(k))
		n.Delete(k)
	}
	if len(n.ring) > maxWindow || n.Len() != 1 || n.Get(1) == nil || *n.Get(1) != 1 {
		t.Errorf("ring of %d slots, %d held, Get(1) = %v", len(n.ring), n.Len(), n.Get(1))
	}
	var keys []uint64
	n.All(func(k uint64, _ *int) { keys = append(keys, k) })
	if !slices.Equal(keys, []uint64{1}) {
		t.Errorf("All gave %v", keys)
	}
}

// A number far past the others (an id such as e1099511627776 after e1)
// in a full ring costs one spill of the number in its slot, keeping
// every value: the window the ring once kept had to move there, and
// moving it one number at a time would take as many steps as the gap.
func TestNumberedJumpsAFarGap(t *testing.T) {
	var n Numbered[int]
	for k := uint64(1); k <= maxWindow; k++ {
		n.Add(k, int(k))
	}
	far := uint64(1) << 40
	n.Add(far, -1)
	n.Add(far+1, -2)
	if n.Len() != maxWindow+2 {
		t.Fatalf("%d held, want %d", n.Len(), maxWindow+2)
	}
	for _, k := range []uint64{1, maxWindow, far, far + 1} {
		if n.Get(k) == nil {
			t.Errorf("Get(%d) = nil after the jump", k)
		}
	}
	if *n.Get(far + 1) != -2 || *n.Get(maxWindow) != maxWindow {
		t.Errorf("values moved: Get(far+1) = %d, Get(maxWindow) = %d", *n.Get(far + 1), *n.Get(maxWindow))
	}
}

// Once the numbers that spilled are all forgotten, first sends by number
// take the ring's short path again: Claim holds only while nothing is
// spilled, and a map left empty but kept sent every send after the first
// spill down the long path for the rest of the run. The first slow path
// after the map empties (Find or Hold, as after any failed Claim) drops it.
func TestNumberedClaimsAgainOnceTheSpillEmpties(t *testing.T) {
	var n Numbered[int]
	for k := uint64(1); k <= maxWindow; k++ {
		n.Add(k, int(k))
	}
	n.Add(maxWindow+1, -1) // meets number 1's slot in a full ring: 1 spills
	if n.Claim(maxWindow+2) != nil {
		t.Fatal("Claim held a number while another was spilled")
	}
	if v, ok := n.Take(1); !ok || v != 1 {
		t.Fatalf("Take(1) = %d, %v; want the spilled 1", v, ok)
	}
	n.Delete(2)
	n.Delete(3)
	if p, found := n.Find(maxWindow + 2); found || p == nil {
		t.Fatalf("Find of a new number: %v, %v", p, found)
	}
	if p := n.Claim(maxWindow + 3); p == nil {
		t.Error("Claim refused a free slot once nothing was spilled")
	}
}
