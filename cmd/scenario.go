package cmd

import (
	"slices"

	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// scenario is one Config of a pattern, bound to the pattern's flags, with
// its type erased. Its flags are parsed into it; faults and variants are
// applied to it in place.
type scenario interface {
	// given reports whether any of the pattern's flags was given.
	given() bool
	// faults turns on the pattern's sweep faults and returns the flags
	// that do the same.
	faults() []string
	// apply turns the scenario into variant i and returns the flags that
	// do the same after the scenario's own flags.
	apply(i int) []string
	// ready checks what only the flags know, then validates the scenario.
	ready() error
	// runner returns a runner of the scenario as it is now.
	runner() patterns.Runner
	// config returns the Config as it is now.
	config() any
}

// scenarioOf is a scenario of a pattern whose Config is C.
type scenarioOf[C patterns.Config] struct {
	def   *patterns.Def[C]
	cfg   C
	flags *pflag.FlagSet // the pattern's own flags, bound to cfg
	check func() error   // from the binder; may be nil
}

func (s *scenarioOf[C]) given() bool {
	given := false // Visit would not do: the flags are parsed by a set they were added to
	s.flags.VisitAll(func(f *pflag.Flag) { given = given || f.Changed })
	return given
}

func (s *scenarioOf[C]) faults() []string {
	if s.def.Faults == nil {
		return nil
	}
	before := s.snapshot()
	s.def.Faults(&s.cfg)
	return s.argsFrom(before, nil)
}

// apply applies variant i and returns its flags: the flags whose value
// the variant changed, plus those it sets, to a value the scenario already
// had, where another variant sets something else — so `--ack manual` shows
// against `--ack auto`. Given after the scenario's own flags they select
// the variant.
func (s *scenarioOf[C]) apply(i int) []string {
	v := s.def.Variants[i]
	base := s.cfg
	contrast := map[string]bool{}
	for j, w := range s.def.Variants {
		if j == i {
			continue
		}
		s.cfg = base
		w.Apply(&s.cfg)
		other := s.snapshot()
		v.Apply(&s.cfg)
		for name, value := range s.snapshot() {
			if !slices.Equal(value, other[name]) {
				contrast[name] = true
			}
		}
	}
	s.cfg = base
	before := s.snapshot()
	v.Apply(&s.cfg)
	return s.argsFrom(before, contrast)
}

func (s *scenarioOf[C]) ready() error {
	if s.check != nil {
		if err := s.check(); err != nil {
			return err
		}
	}
	return s.cfg.Validate()
}

func (s *scenarioOf[C]) runner() patterns.Runner {
	cfg := s.cfg
	return func(c patterns.Common, out trace.Sink) *trace.Report { return cfg.Run(c, out) }
}

func (s *scenarioOf[C]) config() any { return s.cfg }

// snapshot returns every flag's value: a list flag's items, or the one
// value its String writes.
func (s *scenarioOf[C]) snapshot() map[string][]string {
	values := map[string][]string{}
	s.flags.VisitAll(func(f *pflag.Flag) { values[f.Name] = flagValues(f) })
	return values
}

func flagValues(f *pflag.Flag) []string {
	if list, ok := f.Value.(pflag.SliceValue); ok {
		return list.GetSlice()
	}
	return []string{f.Value.String()}
}

// argsFrom returns the flags that turn the values in before into the
// scenario's values now, in the order the flags were bound, then adds the
// flags named in also that hold one value (not a list, not false) as they
// are now. A list that grew gives one flag per new item; a bool that
// became true is --name, one that became false --name=false.
func (s *scenarioOf[C]) argsFrom(before map[string][]string, also map[string]bool) []string {
	var args []string
	sorted := s.flags.SortFlags
	s.flags.SortFlags = false
	s.flags.VisitAll(func(f *pflag.Flag) {
		now, was := flagValues(f), before[f.Name]
		_, isList := f.Value.(pflag.SliceValue)
		isBool := f.Value.Type() == "bool"
		changed := !slices.Equal(now, was)
		switch {
		case changed && isList:
			if len(was) <= len(now) && slices.Equal(was, now[:len(was)]) {
				now = now[len(was):] // the list grew: give only the new items
			}
			for _, item := range now {
				args = append(args, "--"+f.Name, item)
			}
		case (changed || also[f.Name]) && isBool && now[0] == "true":
			args = append(args, "--"+f.Name)
		case changed && isBool:
			args = append(args, "--"+f.Name+"="+now[0])
		case changed && now[0] == "" && f.Value.Type() == "duration":
			args = append(args, "--"+f.Name, "0") // a duration of 0 writes itself as nothing
		case changed || (also[f.Name] && !isList && !isBool && now[0] != ""):
			args = append(args, "--"+f.Name, now[0])
		}
	})
	s.flags.SortFlags = sorted
	return args
}
