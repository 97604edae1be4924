package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

// checkJSON is the part of `msgplay check --format json` the tests read.
type checkJSON struct {
	OK       bool `json:"ok"`
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
	for _, mk := range patternDefs {
		def := mk()
		t.Run(def.name, func(t *testing.T) {
			if len(def.variants) < 2 {
				t.Fatalf("%s declares %d variants: want a broken one and a fixed one", def.name, len(def.variants))
			}
			if len(def.faults) == 0 {
				t.Fatalf("%s declares no fault flags to sweep its variants with", def.name)
			}
			args := append([]string{"check", def.name}, def.faults...)
			args = append(args, "--seeds", "1000", "--format", "json")
			code, stdout, stderr := run(args...)
			var res checkJSON
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatalf("msgplay %s: exit %d, %v\n%s", strings.Join(args, " "), code, err, stderr)
			}
			if code != ExitOK || !res.OK {
				t.Fatalf("msgplay %s: a guarantee broke: %s", strings.Join(args, " "), stderr)
			}
			most := 0
			for _, v := range def.variants {
				most = max(most, len(v.Guarantees))
			}
			for i, v := range def.variants {
				if len(v.Guarantees) == most {
					continue
				}
				violated := 0
				for _, c := range res.Variants[i].Checks {
					violated += c.Violated
				}
				if violated == 0 {
					t.Errorf("the weaker variant %s broke nothing in 1000 runs with %v: its checks cannot fail",
						v.Name, def.faults)
				}
			}
		})
	}
}
