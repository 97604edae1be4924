package trace

import "testing"

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0B", 900: "900B", 1024: "1KB", 1536: "1.5KB", 262144: "256KB", 123456: "121KB",
		1258291: "1.2MB", 100 * MB: "100MB", 3*GB + GB/2: "3.5GB",
	} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %s, want %s", n, got, want)
		}
	}
}
