package competing

import (
	"strings"
	"testing"
	"time"
)

// A live run needs an AckWait: --visibility-timeout 0 is refused, naming
// the flag; the default scenario runs live.
func TestLiveReadyRefusesNoVisibilityTimeout(t *testing.T) {
	cfg := Default()
	if err := cfg.LiveReady(); err != nil {
		t.Fatalf("the default scenario is refused: %v", err)
	}
	cfg.VisibilityTimeout = 0
	if err := cfg.LiveReady(); err == nil || !strings.HasPrefix(err.Error(), "--visibility-timeout 0") {
		t.Errorf("LiveReady() = %v, want a refusal naming --visibility-timeout 0", err)
	}
	cfg.VisibilityTimeout = 500 * time.Millisecond
	if err := cfg.LiveReady(); err != nil {
		t.Errorf("500ms is refused: %v", err)
	}
}
