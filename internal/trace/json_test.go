package trace

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestJSONMemoWritesWhatAppendJSONWrites renders random streams whose
// strings come again (the very same strings, equal ones made anew, and
// prefixes sharing their bytes), whose sequence numbers run on, jump and
// go back and whose times repeat, through one JSON renderer, and holds
// each line to the JSON that AppendJSON, which remembers nothing, writes.
func TestJSONMemoWritesWhatAppendJSONWrites(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	kept := []string{"", "worker-1", "orders", "PlaceOrder", "order placed", "m9", "m99", "order-1009",
		"a \"quoted\" \\ name\n", "ünïcödé", "bad\xffbyte", "tab\there\x7f"}
	pick := func() string {
		s := kept[r.IntN(len(kept))]
		switch r.IntN(4) {
		case 0: // equal bytes elsewhere
			return strings.Clone(s)
		case 1: // a prefix sharing the bytes
			return s[:r.IntN(len(s)+1)]
		}
		return s
	}
	for run := range 20 {
		var out bytes.Buffer
		j := NewJSON(&out)
		var want []byte
		seq, us := int64(r.IntN(3)), int64(r.IntN(2000)-1000)
		for range 3000 {
			switch r.IntN(10) {
			case 0:
				seq += int64(r.IntN(1000)) - 500
			case 1:
				seq = int64(r.IntN(3)) * 999
			default:
				seq++
			}
			switch r.IntN(4) {
			case 0:
				us += int64(r.IntN(3)) - 1
			case 1:
				us += int64(r.IntN(100000))
			}
			e := Event{Seq: seq, T: time.Duration(us) * time.Microsecond, Kind: Kind(r.IntN(int(numKinds) + 2)),
				Actor: pick(), To: pick(), Note: pick(), Why: pick()}
			if r.IntN(4) > 0 {
				e.Msg = Msg{ID: pick() + "x", Type: pick(), Class: Class(r.IntN(5)), Key: pick(),
					Attempt: r.IntN(3), ReplyTo: pick(), CorrelationID: pick(), Size: int64(r.IntN(2))}
			}
			j.Event(&e)
			want = append(AppendJSON(want, &e), '\n')
		}
		j.Flush()
		if got := out.Bytes(); !bytes.Equal(got, want) {
			g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
			for i := range min(len(g), len(w)) {
				if g[i] != w[i] {
					t.Fatalf("run %d, line %d:\n got %s\nwant %s", run, i+1, g[i], w[i])
				}
			}
			t.Fatalf("run %d: %d lines, want %d", run, len(g), len(w))
		}
	}
}

// TestStampCounts holds the stamp a JSON renderer keeps and writes over,
// `{"seq":N,"t_us":T`, to strconv's digits: sequence numbers one more
// (9 → 10, 999 → 1000), repeated, jumping, going back and negative;
// times the same, later by jumps of every size, earlier and negative.
func TestStampCounts(t *testing.T) {
	var s stampJSON
	check := func(seq, us int64) {
		t.Helper()
		us %= 1 << 53 // a time.Duration holds microseconds to 2^63/1000
		want := `{"seq":` + strconv.FormatInt(seq, 10) + `,"t_us":` + strconv.FormatInt(us, 10)
		at := time.Duration(us) * time.Microsecond
		if seq%3 == 0 && us > 0 {
			at += time.Duration(uint64(seq) % 1000) // the same microsecond, another time
		}
		if got := string(s.append(nil, seq, at)); got != want {
			t.Fatalf("after seq %d, t %d: %s, want %s", s.seq, s.t, got, want)
		}
	}
	for _, v := range []int64{0, 0, 1, 2, 9, 10, 11, 99, 100, 100, 999, 1000, 1001, 5, -3, -2, -1, 0, 1,
		9999999, 10000000, 1 << 62, 1<<62 + 1} {
		check(v, v)
		check(v, 7)
	}
	check(20, 7) // back to the start of the run, the next number
	check(21, 0)
	check(22, 0)
	r := rand.New(rand.NewPCG(5, 6))
	seq, us := int64(0), int64(0)
	for range 300_000 {
		switch r.IntN(50) {
		case 0:
			seq = r.Int64N(1 << 40)
		case 1:
			us -= r.Int64N(1000)
		default:
			seq++
		}
		if r.IntN(2) == 0 {
			us += r.Int64N(int64(1) << r.IntN(40))
		}
		check(seq, us)
	}
}

// TestPlainJSONStopsAtEveryByteToEscape puts each of the 256 byte values
// at each place of a string that takes two eight-byte steps and more, and
// holds plainJSON to the first byte a JSON string cannot hold as it is.
func TestPlainJSONStopsAtEveryByteToEscape(t *testing.T) {
	plain := func(c byte) bool { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' }
	for c := range 256 {
		for at := range 19 {
			s := []byte(strings.Repeat("a~ Z09}!", 3)[:19])
			s[at] = byte(c)
			want := len(s)
			if !plain(byte(c)) {
				want = at
			}
			if got := plainJSON(string(s)); got != want {
				t.Fatalf("byte %#x at %d of %q: plainJSON says %d, want %d", c, at, s, got, want)
			}
		}
	}
}
