package trace

import "strconv"

// The units of FormatBytes, as the brokers' documentation writes them: a
// KB is 1,024 bytes (SQS's 256 KB limit is 262,144 bytes).
const (
	KB int64 = 1 << 10
	MB int64 = 1 << 20
	GB int64 = 1 << 30
)

// FormatBytes writes a size for people, to about three figures: 900B,
// 120KB, 1.2MB, 3.5GB.
func FormatBytes(n int64) string {
	unit, name := int64(1), "B"
	switch {
	case n >= GB:
		unit, name = GB, "GB"
	case n >= MB:
		unit, name = MB, "MB"
	case n >= KB:
		unit, name = KB, "KB"
	}
	if n%unit == 0 || n >= 100*unit {
		return strconv.FormatInt((n+unit/2)/unit, 10) + name
	}
	return strconv.FormatFloat(float64(n)/float64(unit), 'f', 1, 64) + name
}
