package saga

import "testing"

// Near 1, lost acks bring every command and every repeated reply back so
// often that a run went on for hours; the rate has a ceiling.
func TestDuplicateRateNearOneIsRefused(t *testing.T) {
	cfg := Default()
	cfg.DuplicateRate = 0.999999
	if err := cfg.Validate(); err == nil {
		t.Fatal("--duplicate-rate 0.999999 accepted")
	}
	cfg.Orders, cfg.DuplicateRate = 100, 0.9
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	r := cfg.Run(cfg.Common, nil)
	if r.Stopped != "" {
		t.Errorf("100 orders at the ceiling rate did not settle: %s", r.Stopped)
	}
}
