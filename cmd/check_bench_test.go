package cmd

import (
	"io"
	"strings"
	"testing"
)

// BenchmarkCheckOutboxSweep is the README's sweep figure: ten thousand
// seeds of two outbox variants with 100 orders and a 5% crash rate. Run it
// with -cpu 1,2 to see how it scales with cores.
func BenchmarkCheckOutboxSweep(b *testing.B) {
	args := strings.Fields("check outbox --seeds 10000 --orders 100 --crash-rate 0.05 --variants dual-write,outbox")
	ios := &IOStreams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}
	for b.Loop() {
		if code := Run(args, ios); code != ExitOK {
			b.Fatalf("exit %d", code)
		}
	}
}
