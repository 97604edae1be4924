// Package tracetest holds sinks for tests of patterns and renderers.
package tracetest

import (
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// Forward returns a Sink that fails t at the first event whose time goes
// backwards or leaves [0, limit]: the kernel's promise that virtual time
// never overflows nor runs back.
func Forward(t testing.TB, limit time.Duration) trace.Sink {
	last := time.Duration(0)
	return trace.SinkFunc(func(e *trace.Event) {
		t.Helper()
		if e.T < last || e.T > limit {
			t.Fatalf("event %d (%s) at %v after %v: past %v or backwards", e.Seq, e.Kind, e.T, last, limit)
		}
		last = e.T
	})
}
