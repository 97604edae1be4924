package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

// checkResult is the part of `msgplay check --format json` the tests read.
type checkResult struct {
	Args     []string `json:"args"`
	OK       bool     `json:"ok"`
	Variants []struct {
		Name   string `json:"name"`
		Checks []struct {
			Name       string   `json:"name"`
			Guaranteed bool     `json:"guaranteed"`
			Violated   int      `json:"violated"`
			Seeds      []uint64 `json:"failing_seeds"`
			Reproduce  string   `json:"reproduce"`
		} `json:"checks"`
	} `json:"variants"`
}

// TestEveryGuaranteeHoldsAndEveryBrokenVariantIsCaught sweeps each pattern's
// variants over 1,000 seeds with its faults on. A claimed guarantee must
// hold in every run, and a variant that claims less than the strongest one
// must be caught breaking something — otherwise its checks could not fail.
func TestEveryGuaranteeHoldsAndEveryBrokenVariantIsCaught(t *testing.T) {
	for _, p := range patternList {
		t.Run(p.name, func(t *testing.T) {
			if len(p.variants) < 2 {
				t.Fatalf("%s declares %d variants: want a broken one and a fixed one", p.name, len(p.variants))
			}
			if !p.hasFaults {
				t.Fatalf("%s declares no faults to sweep its variants with", p.name)
			}
			// With no pattern flag given, check turns the pattern's faults on.
			args := []string{"check", p.name, "--seeds", "1000", "--format", "json"}
			code, stdout, stderr := run(args...)
			var res checkResult
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatalf("msgplay %s: exit %d, %v\n%s", strings.Join(args, " "), code, err, stderr)
			}
			if code != ExitOK || !res.OK {
				t.Fatalf("msgplay %s: a guarantee broke: %s", strings.Join(args, " "), stderr)
			}
			if len(res.Args) == 0 {
				t.Fatalf("msgplay %s: the report names no fault flags", strings.Join(args, " "))
			}
			most := 0
			for _, v := range p.variants {
				most = max(most, len(v.guarantees))
			}
			for i, v := range p.variants {
				if len(v.guarantees) == most {
					continue
				}
				violated := 0
				for _, c := range res.Variants[i].Checks {
					violated += c.Violated
				}
				if violated == 0 {
					t.Errorf("the weaker variant %s broke nothing in 1000 runs with %v: its checks cannot fail",
						v.name, res.Args)
				}
			}
		})
	}
}
