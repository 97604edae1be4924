package cmd

import (
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/patterns/loadlevel"
)

// largeValues are the inputs that once broke msgplay: values that look
// valid but overflow, never end or eat all memory. Every fuzz target
// below starts from them.
var largeValues = []string{
	"0", "1", "-1", "3", "1000000", "10000000", "9223372036854775807", "-9223372036854775808",
	"1e6", "1e-300", "1e308", "NaN", "+Inf", "0.999999", "2562047h47m16s", "10000h", "exp:300000h",
	"10ms..30ms", "1s..0s", "worker-1=1000000", "payment=3", "email=#.#.#.x", "worker-2@150ms",
	"email@1s..3s", "300@2s", "2..8", "0..0", "off", "a,b,a", "", " ", "=", "@", "..",
}

// fuzzValue fuzzes one flag value type: setting any text either fails or
// takes a value whose String, set again on a fresh value, gives the same
// String — the round trip check and the variants rely on to derive flags.
func fuzzValue(f *testing.F, seeds []string, fresh func() pflag.Value) {
	for _, s := range append(seeds, largeValues...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := fresh()
		if err := v.Set(s); err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("%q: the error is not one line: %q", s, err)
			}
			return
		}
		w := fresh()
		items := []string{v.String()}
		if list, ok := v.(pflag.SliceValue); ok {
			items = list.GetSlice()
		}
		for _, item := range items {
			if err := w.Set(item); err != nil {
				t.Fatalf("%q was taken, but %q, as it is shown, is refused: %v", s, item, err)
			}
		}
		if v.String() != w.String() {
			t.Errorf("%q shows as %q, which shows as %q", s, v.String(), w.String())
		}
	})
}

// FuzzFactor fuzzes NAME=FACTOR, as --slow takes it.
func FuzzFactor(f *testing.F) {
	fuzzValue(f, []string{"worker-2=3", "x=0.5", "x=1e6", "x=1000001"}, func() pflag.Value {
		var m map[string]float64
		return factors(&m, "worker-2=3")
	})
}

// FuzzNameAt fuzzes NAME@TIME, as --crash takes it.
func FuzzNameAt(f *testing.F) {
	fuzzValue(f, []string{"worker-2@150ms", "a@0", "a@10000h", "a@10001h"}, func() pflag.Value {
		var list []sim.Crash
		return crashes(&list)
	})
}

// FuzzBurst fuzzes N@TIME, as loadlevel --burst takes it.
func FuzzBurst(f *testing.F) {
	fuzzValue(f, []string{"300@2s", "1@0", "250000@0s", "9223372036854775807@1s"}, func() pflag.Value {
		var list []loadlevel.Burst
		return &listValue[loadlevel.Burst]{list: &list, form: "N@TIME", parse: parseBurst, format: loadlevel.Burst.String}
	})
}

// FuzzCountRange fuzzes LO..HI, as --sweep-consumers takes it.
func FuzzCountRange(f *testing.F) {
	fuzzValue(f, []string{"2..8", "1..1000", "1..1001", " 3 .. 4 "}, func() pflag.Value {
		var lo, hi int
		return countRangeValue{lo: &lo, hi: &hi, max: 1000}
	})
	// LO..HI that also takes off is fuzzed through loadlevel --autoscale
	// by FuzzCommandLine.
}

// FuzzSpeed fuzzes the factor --speed takes.
func FuzzSpeed(f *testing.F) {
	fuzzValue(f, []string{"1", "0.001", "1000", "1001", "0.0009"}, func() pflag.Value {
		var x float64
		return speedValue{&x}
	})
}

// FuzzProbability fuzzes a probability, as --crash-rate takes it.
func FuzzProbability(f *testing.F) {
	fuzzValue(f, []string{"0.05", "1", "1.0000001"}, func() pflag.Value {
		var p float64
		return probValue{p: &p}
	})
}

// FuzzVariants fuzzes --variants as check reads it: any list of names
// either picks variants of the pattern, each once, or is refused.
func FuzzVariants(f *testing.F) {
	for _, s := range append([]string{"auto-ack", "manual-ack,auto-ack", "auto-ack,auto-ack"}, largeValues...) {
		f.Add(s)
	}
	p, _ := findPattern("competing")
	f.Fuzz(func(t *testing.T, s string) {
		var list []string
		if names(&list, "NAME").Set(s) != nil {
			return
		}
		chosen, err := chooseVariants(p, list)
		if err == nil && (len(chosen) != len(list) || len(slices.Compact(slices.Sorted(slices.Values(chosen)))) != len(chosen)) {
			t.Errorf("%q chose variants %v", s, chosen)
		}
	})
}

// fuzzFlagsOf lists the flags a fuzzed command line may use on pattern p:
// the pattern's own, which decide what is simulated, and --seed.
func fuzzFlagsOf(p pattern) []*pflag.Flag {
	fs := pflag.NewFlagSet(p.name, pflag.ContinueOnError)
	p.bind(fs)
	var flags []*pflag.Flag
	fs.VisitAll(func(f *pflag.Flag) { flags = append(flags, f) })
	return append(flags, &pflag.Flag{Name: "seed", Value: count(new(int), 0, math.MaxInt)})
}

// fuzzArgs turns fuzz input into a command line: the pattern picked by
// which, then up to 8 flags of it, each "NAME=VALUE" word of words naming
// a flag (by its name, or else by a hash of NAME) and giving its value. A virtual-time cap and
// --quiet come last, so every run is bounded and short to print.
func fuzzArgs(which uint8, words string) []string {
	p := patternList[int(which)%len(patternList)]
	flags := fuzzFlagsOf(p)
	args := []string{p.name}
	for i, word := range strings.Split(words, " ") {
		if i == 8 {
			break
		}
		name, value, _ := strings.Cut(word, "=")
		h := fnv.New32a()
		h.Write([]byte(name))
		flag := flags[int(h.Sum32()%uint32(len(flags)))]
		if i := slices.IndexFunc(flags, func(f *pflag.Flag) bool { return f.Name == name }); i >= 0 {
			flag = flags[i]
		}
		args = append(args, "--"+flag.Name+"="+value)
	}
	return append(args, "--until", "300ms", "--quiet")
}

// FuzzCommandLine runs random flag sets on every pattern: each must exit
// 0 or 2 — never a panic (exit 1) — within a bound, and a refusal must be
// one line.
func FuzzCommandLine(f *testing.F) {
	for i, p := range patternList {
		for _, flag := range fuzzFlagsOf(p) {
			for _, v := range []string{"10000000", "9223372036854775807", "2562047h47m16s", "0"} {
				f.Add(uint8(i), flag.Name+"="+v)
			}
		}
		for _, v := range largeValues {
			f.Add(uint8(i), "a="+v)
		}
		f.Add(uint8(i), "a=3 b=1000000 c=exp:1ms d=0")
	}
	f.Fuzz(func(t *testing.T, which uint8, words string) {
		args := fuzzArgs(which, words)
		done := make(chan struct{})
		var code int
		var stderr string
		go func() {
			defer close(done)
			code, _, stderr = run(args...)
		}()
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			t.Fatalf("%q did not finish within 60s", args)
		}
		switch {
		case code != ExitOK && code != ExitUsage:
			t.Errorf("%q: exit %d: %s", args, code, stderr)
		case code == ExitUsage && strings.Count(stderr, "\n") != 1:
			t.Errorf("%q: the usage error is not one line: %q", args, stderr)
		}
	})
}
