package cmd

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// The flag value types below each parse one kind of flag text and say, when
// it is wrong, what forms are allowed. pflag adds the flag's name.

// distValue is a duration distribution: 20ms, 10ms..30ms or exp:20ms.
type distValue struct{ d *sim.Dist }

func (v distValue) String() string { return v.d.String() }
func (v distValue) Type() string   { return "dist" }
func (v distValue) Set(s string) error {
	d, err := sim.ParseDist(s)
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}

// durationValue is a duration of 0 or more.
type durationValue struct{ d *time.Duration }

func (v durationValue) String() string { return trace.FormatDuration(*v.d) }
func (v durationValue) Type() string   { return "duration" }
func (v durationValue) Set(s string) error {
	d, err := sim.ParseDuration(s)
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}

// choiceValue is one of a fixed set of words.
type choiceValue struct {
	s       *string
	what    string
	choices []string
}

func (v choiceValue) String() string { return *v.s }
func (v choiceValue) Type() string   { return "string" }
func (v choiceValue) Set(s string) error {
	for _, c := range v.choices {
		if s == c {
			*v.s = s
			return nil
		}
	}
	return fmt.Errorf("%q is not %s: want %s", s, v.what, orList(v.choices))
}

// orList writes "a, b or c".
func orList(words []string) string {
	if len(words) == 1 {
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// factorsValue collects repeated NAME=FACTOR pairs, such as worker-2=3.
type factorsValue struct{ m *map[string]float64 }

func (v factorsValue) String() string { return "" }
func (v factorsValue) Type() string   { return "NAME=FACTOR" }
func (v factorsValue) Set(s string) error {
	name, num, ok := strings.Cut(s, "=")
	f, err := strconv.ParseFloat(num, 64)
	if !ok || name == "" || err != nil {
		return fmt.Errorf("%q is not NAME=FACTOR: want a name and a number, such as worker-2=3", s)
	}
	if !(f > 0) || f > 1e6 {
		return fmt.Errorf("%q: the factor must be above 0 and at most 1000000", s)
	}
	if *v.m == nil {
		*v.m = map[string]float64{}
	}
	(*v.m)[name] = f
	return nil
}

// At is a NAME@TIME pair, such as worker-2@150ms.
type At struct {
	Name string
	At   time.Duration
}

// atsValue collects repeated NAME@TIME pairs.
type atsValue struct{ list *[]At }

func (v atsValue) String() string { return "" }
func (v atsValue) Type() string   { return "NAME@TIME" }
func (v atsValue) Set(s string) error {
	name, when, ok := strings.Cut(s, "@")
	if !ok || name == "" {
		return fmt.Errorf("%q is not NAME@TIME: want a name and a virtual time, such as worker-2@150ms", s)
	}
	d, err := sim.ParseDuration(when)
	if err != nil {
		return fmt.Errorf("%q is not NAME@TIME: %v", s, err)
	}
	*v.list = append(*v.list, At{name, d})
	return nil
}

// namesValue collects repeated names; a comma also separates them.
type namesValue struct {
	list *[]string
	kind string
}

func (v namesValue) String() string { return strings.Join(*v.list, ",") }
func (v namesValue) Type() string   { return v.kind }
func (v namesValue) Set(s string) error {
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			return fmt.Errorf("%q has an empty %s", s, v.kind)
		}
		*v.list = append(*v.list, name)
	}
	return nil
}
