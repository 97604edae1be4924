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

func (v durationValue) String() string {
	if *v.d == 0 {
		return "" // help then shows no "(default 0s)": each flag says what 0 means
	}
	return trace.FormatDuration(*v.d)
}
func (v durationValue) Type() string { return "duration" }
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

// probValue is a probability from 0 to 1.
type probValue struct{ p *float64 }

func (v probValue) String() string { return strconv.FormatFloat(*v.p, 'g', -1, 64) }
func (v probValue) Type() string   { return "P" }
func (v probValue) Set(s string) error {
	p, err := parseProb(s)
	if err != nil {
		return err
	}
	*v.p = p
	return nil
}

func parseProb(s string) (float64, error) {
	p, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(p >= 0 && p <= 1) {
		return 0, fmt.Errorf("%q is not a probability: want a number from 0 to 1, such as 0.05", s)
	}
	return p, nil
}

// windowValue is a span of virtual time, FROM..TO.
type windowValue struct {
	w   *sim.Window
	set *bool // set to true once the flag is given
}

func (v windowValue) String() string {
	if v.set != nil && !*v.set {
		return ""
	}
	return v.w.String()
}
func (v windowValue) Type() string { return "FROM..TO" }
func (v windowValue) Set(s string) error {
	w, err := sim.ParseWindow(s)
	if err != nil {
		return err
	}
	*v.w = w
	if v.set != nil {
		*v.set = true
	}
	return nil
}

// Named is one NAME=VALUE pair of a repeatable flag, kept in the order
// given.
type Named[T any] struct {
	Name  string
	Value T
}

// namedValue collects repeated NAME=VALUE pairs, parsing each VALUE with
// parse; form is how the flag's help and errors show it, such as
// "NAME=PATTERN", and example a valid instance.
type namedValue[T any] struct {
	list    *[]Named[T]
	form    string
	example string
	parse   func(string) (T, error)
}

func (v namedValue[T]) String() string { return "" }
func (v namedValue[T]) Type() string   { return v.form }
func (v namedValue[T]) Set(s string) error {
	name, raw, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q is not %s: want, for example, %s", s, v.form, v.example)
	}
	val, err := v.parse(raw)
	if err != nil {
		return fmt.Errorf("%q: %v", s, err)
	}
	*v.list = append(*v.list, Named[T]{name, val})
	return nil
}

// parseCount parses a whole number of 0 or more.
func parseCount(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a count: want a whole number of 0 or more", s)
	}
	return n, nil
}

// parseText accepts any non-empty text.
func parseText(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("the value is empty")
	}
	return s, nil
}

// AtWindow is a NAME@FROM..TO pair, such as email@1s..3s.
type AtWindow struct {
	Name   string
	Window sim.Window
}

// atWindowsValue collects repeated NAME@FROM..TO pairs.
type atWindowsValue struct{ list *[]AtWindow }

func (v atWindowsValue) String() string { return "" }
func (v atWindowsValue) Type() string   { return "NAME@FROM..TO" }
func (v atWindowsValue) Set(s string) error {
	name, span, ok := strings.Cut(s, "@")
	if !ok || name == "" {
		return fmt.Errorf("%q is not NAME@FROM..TO: want a name and a window of virtual time, such as email@1s..3s", s)
	}
	w, err := sim.ParseWindow(span)
	if err != nil {
		return fmt.Errorf("%q is not NAME@FROM..TO: %v", s, err)
	}
	*v.list = append(*v.list, AtWindow{name, w})
	return nil
}
