package cmd

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// The flag value types below each parse one kind of flag text straight into
// a field of a pattern's Config and say, when it is wrong, what forms are
// allowed. pflag adds the flag's name. Their String shows the value as a
// flag takes it, so the flags a variant sets can be derived from a Config.

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

// durationValue is a duration from lo to hi (0 for sim.MaxTime, the
// ceiling of every duration), as Validate holds it.
type durationValue struct {
	d      *time.Duration
	lo, hi time.Duration
}

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
func (v durationValue) allowed() string {
	hi := sim.MaxTimeText
	if v.hi > 0 {
		hi = trace.FormatDuration(v.hi)
	}
	lo := "0"
	if v.lo > 0 {
		lo = trace.FormatDuration(v.lo)
	}
	return fmt.Sprintf("a duration from %s to %s, with a unit, such as 500ms or 2s", lo, hi)
}

// choiceValue is one of a fixed set of values of a pattern's own type,
// each written as fmt.Sprint shows it (its String method, or the string).
type choiceValue[T comparable] struct {
	p       *T
	what    string
	choices []T
}

// choice binds p to a flag taking one of choices; what names the kind of
// value in errors, such as "an ack mode".
func choice[T comparable](p *T, what string, choices ...T) *choiceValue[T] {
	return &choiceValue[T]{p: p, what: what, choices: choices}
}

func (v *choiceValue[T]) String() string { return fmt.Sprint(*v.p) }
func (v *choiceValue[T]) Type() string   { return "string" }
func (v *choiceValue[T]) Set(s string) error {
	for _, c := range v.choices {
		if fmt.Sprint(c) == s {
			*v.p = c
			return nil
		}
	}
	names := make([]string, len(v.choices))
	for i, c := range v.choices {
		names[i] = fmt.Sprint(c)
	}
	return fmt.Errorf("%q is not %s: want %s", s, v.what, patterns.OrList(names))
}

// The rule of every repeatable flag: each use adds to what the flag holds,
// and a flag whose items are named (NAME=VALUE, NAME@TIME, a list of
// names) takes each name once: naming it again is a usage error, never a
// silent replacement. errTwice says so.
func errTwice(name string) error { return fmt.Errorf("%s given twice", name) }

// overridden returns args without the uses of a named flag (--slow
// analytics=2) whose name later also sets (--slow analytics=8): a command
// that adds a variant's flags to the user's must not name a name twice.
func overridden(args, later []string) []string {
	named := map[string]bool{}
	for _, u := range flagUses(later) {
		named[u.flag+" "+u.name] = true
	}
	var out []string
	for _, u := range flagUses(args) {
		if u.name == "" || !named[u.flag+" "+u.name] {
			out = append(out, args[u.from:u.to]...)
		}
	}
	return out
}

// flagUse is one use of a flag in a command line, args[from:to], with the
// NAME of its NAME=VALUE value, if it has one.
type flagUse struct {
	flag, name string
	from, to   int
}

// flagUses splits args into uses of flags: --flag=value, --flag value (a
// value not starting with -), or a lone word.
func flagUses(args []string) []flagUse {
	var uses []flagUse
	for i := 0; i < len(args); {
		u := flagUse{flag: args[i], from: i, to: i + 1}
		value := ""
		if f, v, ok := strings.Cut(args[i], "="); ok && strings.HasPrefix(f, "--") {
			u.flag, value = f, v
		} else if strings.HasPrefix(args[i], "--") && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			value, u.to = args[i+1], i+2
		}
		if name, _, ok := strings.Cut(value, "="); ok {
			u.name = name
		}
		uses = append(uses, u)
		i = u.to
	}
	return uses
}

// listValue is a repeatable flag that builds a list, one item per use (or
// per comma-separated name, with split). With replace, the first use
// replaces the default list instead of adding to it. With key, the items
// are named and each name may come once.
type listValue[T any] struct {
	list    *[]T
	form    string // how help shows one item, such as NAME@TIME
	parse   func(string) (T, error)
	format  func(T) string
	key     func(T) string
	split   bool
	replace bool // the first Set replaces the default list
	none    bool // "none" empties the list
	set     bool
}

func (v *listValue[T]) String() string { return strings.Join(v.GetSlice(), ",") }
func (v *listValue[T]) Type() string   { return v.form }
func (v *listValue[T]) Set(s string) error {
	items := []string{s}
	if v.split {
		items = strings.Split(s, ",")
	}
	if v.replace && !v.set {
		*v.list = nil
	}
	v.set = true
	if v.none && s == "none" {
		*v.list = nil
		return nil
	}
	for _, item := range items {
		if v.split {
			item = strings.TrimSpace(item)
			if item == "" {
				return fmt.Errorf("%q has an empty name: want names separated by commas", s)
			}
		}
		x, err := v.parse(item)
		if err != nil {
			return err
		}
		if v.key != nil && slices.ContainsFunc(*v.list, func(y T) bool { return v.key(y) == v.key(x) }) {
			return errTwice(v.key(x))
		}
		*v.list = append(*v.list, x)
	}
	return nil
}

// GetSlice returns each item as one use of the flag writes it.
func (v *listValue[T]) GetSlice() []string {
	out := make([]string, len(*v.list))
	for i, x := range *v.list {
		out[i] = v.format(x)
	}
	return out
}

// Append adds one item, as one more use of the flag would.
func (v *listValue[T]) Append(s string) error { return v.Set(s) }

// Replace replaces the list.
func (v *listValue[T]) Replace(items []string) error {
	*v.list = nil
	return setEach(v, items)
}

// setEach sets each item on v, as that many uses of its flag would.
func setEach(v interface{ Set(string) error }, items []string) error {
	for _, s := range items {
		if err := v.Set(s); err != nil {
			return err
		}
	}
	return nil
}

// names binds a repeatable flag of names, each given once; a comma also
// separates them.
func names(list *[]string, kind string) *listValue[string] {
	return &listValue[string]{list: list, form: kind, parse: parseName, format: same, key: same, split: true}
}

func parseName(s string) (string, error) { return s, nil }
func same(s string) string               { return s }

// crashes binds a repeatable --crash NAME@TIME flag.
func crashes(list *[]sim.Crash) *listValue[sim.Crash] {
	return &listValue[sim.Crash]{list: list, form: "NAME@TIME", format: sim.Crash.String,
		parse: func(s string) (sim.Crash, error) {
			name, at, err := parseAt(s)
			return sim.Crash{Actor: name, At: at}, err
		}}
}

// parseAt parses NAME@TIME, such as worker-2@150ms.
func parseAt(s string) (string, time.Duration, error) {
	name, when, ok := strings.Cut(s, "@")
	if !ok || name == "" {
		return "", 0, fmt.Errorf("%q is not NAME@TIME: want a name and a virtual time, such as worker-2@150ms", s)
	}
	d, err := sim.ParseDuration(when)
	if err != nil {
		return "", 0, fmt.Errorf("%q is not NAME@TIME: %v", s, err)
	}
	return name, d, nil
}

// parseAtWindow parses NAME@FROM..TO, such as email@1s..3s.
func parseAtWindow(s string) (string, sim.Window, error) {
	name, span, ok := strings.Cut(s, "@")
	if !ok || name == "" {
		return "", sim.Window{}, fmt.Errorf("%q is not NAME@FROM..TO: want a name and a window of virtual time, such as email@1s..3s", s)
	}
	w, err := sim.ParseWindow(span)
	if err != nil {
		return "", sim.Window{}, fmt.Errorf("%q is not NAME@FROM..TO: %v", s, err)
	}
	return name, w, nil
}

// mapValue is a repeatable NAME=VALUE flag that fills a map, parsing each
// VALUE with parse; form is how help and errors show it, such as
// "STEP=P", and example a valid instance.
type mapValue[V any] struct {
	m       *map[string]V
	form    string
	example string
	parse   func(string) (V, error)
	format  func(V) string
}

func (v *mapValue[V]) String() string { return strings.Join(v.GetSlice(), ",") }
func (v *mapValue[V]) Type() string   { return v.form }
func (v *mapValue[V]) Set(s string) error {
	name, raw, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q is not %s: want, for example, %s", s, v.form, v.example)
	}
	val, err := v.parse(raw)
	if errors.Is(err, errNotForm) {
		return fmt.Errorf("%q is not %s: want, for example, %s", s, v.form, v.example)
	}
	if err != nil {
		return fmt.Errorf("%q: %v", s, err)
	}
	if _, ok := (*v.m)[name]; ok {
		return errTwice(name)
	}
	if *v.m == nil {
		*v.m = map[string]V{}
	}
	(*v.m)[name] = val
	return nil
}

// GetSlice returns the pairs as NAME=VALUE, sorted by name.
func (v *mapValue[V]) GetSlice() []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(*v.m)) {
		out = append(out, k+"="+v.format((*v.m)[k]))
	}
	return out
}

// Append adds one pair, as one more use of the flag would.
func (v *mapValue[V]) Append(s string) error { return v.Set(s) }

// Replace replaces the map.
func (v *mapValue[V]) Replace(items []string) error {
	*v.m = nil
	return setEach(v, items)
}

// most says a count flag's ceiling in its help: " (at most N)".
func most(n int) string { return " (at most " + strconv.Itoa(n) + ")" }

// zeroOr says what 0 means for a count flag and its ceiling, in its help:
// " (0 = what, at most N)".
func zeroOr(what string, n int) string {
	return " (0 = " + what + ", at most " + strconv.Itoa(n) + ")"
}

// span says a count flag's range in its help: " (LO to HI)".
func span(lo, hi int) string { return " (" + strconv.Itoa(lo) + " to " + strconv.Itoa(hi) + ")" }

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// errNotForm is what a mapValue's parse returns when the value is not of
// the flag's form at all: the error then shows the form and the example.
var errNotForm = errors.New("not of the form")

// factors binds a repeatable NAME=FACTOR flag, such as worker-2=3.
func factors(m *map[string]float64, example string) *mapValue[float64] {
	return &mapValue[float64]{m: m, form: "NAME=FACTOR", example: example, format: formatFloat,
		parse: func(s string) (float64, error) {
			f, err := strconv.ParseFloat(s, 64)
			switch {
			case err != nil:
				return 0, errNotForm
			case !(f > 0) || f > 1e6:
				return 0, errors.New("the factor must be above 0 and at most 1000000")
			}
			return f, nil
		}}
}

// probs binds a repeatable NAME=P flag of probabilities.
func probs(m *map[string]float64, form, example string) *mapValue[float64] {
	return &mapValue[float64]{m: m, form: form, example: example, parse: parseProb, format: formatFloat}
}

// counts binds a repeatable NAME=N flag of whole numbers.
func counts(m *map[string]int, form, example string) *mapValue[int] {
	return &mapValue[int]{m: m, form: form, example: example, parse: parseCount, format: strconv.Itoa}
}

// probValue is a probability from 0 to 1. within, when set, is the range
// the pattern's Validate allows, as it words it ("from 0 to below 1",
// "above 0 and at most 1"), so a word given for the flag is told the same
// range as a number out of it.
type probValue struct {
	p      *float64
	within string
}

func (v probValue) String() string { return formatFloat(*v.p) }
func (v probValue) Type() string   { return "P" }
func (v probValue) Set(s string) error {
	p, err := parseProb(s)
	if err != nil {
		return err
	}
	*v.p = p
	return nil
}
func (v probValue) allowed() string {
	return "a probability " + cmp.Or(v.within, "from 0 to 1") + ", such as 0.05"
}

func parseProb(s string) (float64, error) {
	p, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(p >= 0 && p <= 1) {
		return 0, fmt.Errorf("%q is not a probability: want a number from 0 to 1, such as 0.05", s)
	}
	return p, nil
}

// windowValue is a span of virtual time, FROM..TO; the zero window is none.
type windowValue struct{ w *sim.Window }

func (v windowValue) String() string {
	if *v.w == (sim.Window{}) {
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

// countValue is a count flag: a whole number that Validate holds from lo
// to hi (or to what above says, when another flag sets the ceiling). A
// value that is no whole number is refused with that range, in the words
// Validate uses for one outside it.
type countValue struct {
	n      *int
	lo, hi int
	above  string // the ceiling in words, such as "--nodes minus 1"; "" for hi
}

// count binds n to a count flag that Validate holds from lo to hi.
func count(n *int, lo, hi int) *countValue { return &countValue{n: n, lo: lo, hi: hi} }

// countTo binds n to a count flag from lo to a ceiling another flag sets.
func countTo(n *int, lo int, above string) *countValue {
	return &countValue{n: n, lo: lo, above: above}
}

func (v *countValue) String() string { return strconv.Itoa(*v.n) }
func (v *countValue) Type() string   { return "int" }
func (v *countValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return err
	}
	*v.n = n
	return nil
}
func (v *countValue) allowed() string {
	hi := v.above
	if hi == "" {
		hi = strconv.Itoa(v.hi)
	}
	return fmt.Sprintf("a whole number from %d to %s", v.lo, hi)
}

// ranged is a flag value that says, for a value it cannot take, what it
// takes: a kind and its range, such as "a whole number from 1 to 64".
// flagErrorAt then says "--flag must be <allowed> (got "value")", in the
// words Validate uses for a number outside the range.
type ranged interface{ allowed() string }

// countRangeValue is a range of whole numbers, LO..HI, such as 2..8; with
// offOK, "off" sets both ends to 0. Without offOK both ends are at least
// 1 and, when max is above 0, at most max.
type countRangeValue struct {
	lo, hi *int
	offOK  bool
	max    int
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
	if !v.offOK && (a < 1 || v.max > 0 && b > v.max) {
		if v.max > 0 {
			return fmt.Errorf("%q: want LO..HI with 1 <= LO <= HI <= %d, such as 2..8", s, v.max)
		}
		return fmt.Errorf("%q: want LO..HI with 1 <= LO <= HI, such as 2..8", s)
	}
	*v.lo, *v.hi = a, b
	return nil
}
