package cmd

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/patterns/loadlevel"
)

// burstsValue collects repeated N@TIME bursts, such as 300@2s.
type burstsValue struct{ list *[]loadlevel.Burst }

func (v burstsValue) String() string { return "" }
func (v burstsValue) Type() string   { return "N@TIME" }
func (v burstsValue) Set(s string) error {
	num, when, ok := strings.Cut(s, "@")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if !ok || err != nil || n < 1 {
		return fmt.Errorf("%q is not N@TIME: want a count of 1 or more and a virtual time, such as 300@2s", s)
	}
	d, err := sim.ParseDuration(when)
	if err != nil {
		return fmt.Errorf("%q is not N@TIME: %v", s, err)
	}
	*v.list = append(*v.list, loadlevel.Burst{N: n, At: d})
	return nil
}

// countRangeValue is a range of whole numbers, LO..HI, such as 2..8; with
// offOK, "off" sets both ends to 0.
type countRangeValue struct {
	lo, hi *int
	offOK  bool
}

func (v countRangeValue) String() string {
	if *v.hi == 0 {
		if v.offOK {
			return "off"
		}
		return ""
	}
	return strconv.Itoa(*v.lo) + ".." + strconv.Itoa(*v.hi)
}
func (v countRangeValue) Type() string { return "LO..HI" }
func (v countRangeValue) Set(s string) error {
	if v.offOK && s == "off" {
		*v.lo, *v.hi = 0, 0
		return nil
	}
	lo, hi, ok := strings.Cut(s, "..")
	a, err1 := strconv.Atoi(strings.TrimSpace(lo))
	b, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if !ok || err1 != nil || err2 != nil || a < 0 || b < a {
		return fmt.Errorf("%q is not LO..HI: want two whole numbers, the low one first, such as 2..8", s)
	}
	if v.offOK && b < 1 {
		return fmt.Errorf("%q: the high end must be at least 1 (or give off)", s)
	}
	*v.lo, *v.hi = a, b
	return nil
}
