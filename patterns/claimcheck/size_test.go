package claimcheck

import (
	"math/rand/v2"
	"testing"

	"github.com/msgplay/msgplay/internal/trace"
)

func TestSizesParseAndPrintBack(t *testing.T) {
	for in, want := range map[string]string{
		"120KB": "120KB", "1.5MB": "1536KB", "10KB..2MB": "10KB..2MB", "exp:120KB": "exp:120KB",
		"1000": "1000B", "256kb": "256KB", "1GB": "1GB",
	} {
		d, err := ParseSizeDist(in)
		if err != nil || d.String() != want {
			t.Errorf("%s: got %v %v, want %s", in, d, err, want)
		}
	}
	for _, bad := range []string{"", "big", "-1KB", "2GB", "exp:0", "2MB..1MB", "1e3KB", "NaNKB"} {
		if _, err := ParseSizeDist(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	d := SizeUniform(10*trace.KB, 20*trace.KB)
	for range 1000 {
		if n := d.Sample(r); n < 10*trace.KB || n > 20*trace.KB {
			t.Fatalf("sample %d out of range", n)
		}
	}
}
