package trace

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestJSONFollowsTheContract(t *testing.T) {
	e := Event{Seq: 7, T: 41234 * time.Microsecond, Kind: DeadLetter, Actor: "orders", To: "orders.dlq",
		Msg:  Msg{ID: "m3", Type: "PlaceOrder", Class: Command, Key: "order-1003", Attempt: 5},
		Note: `MaxDeliveryCountExceeded: "5" deliveries`, Why: "parked\tfor a person\n"}
	got := string(AppendJSON(nil, &e))
	want := `{"seq":7,"t_us":41234,"kind":"dead-letter","actor":"orders","to":"orders.dlq",` +
		`"msg":{"id":"m3","type":"PlaceOrder","class":"command","key":"order-1003","attempt":5},` +
		`"note":"MaxDeliveryCountExceeded: \"5\" deliveries","why":"parked\tfor a person\n"}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	var back map[string]any
	if err := json.Unmarshal([]byte(got), &back); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
}

func TestJSONCarriesCorrelation(t *testing.T) {
	req := Event{Seq: 2, Kind: Send, Actor: "checkout", To: "pricing.requests",
		Msg: Msg{ID: "r3.2", Type: "QuotePrice", Class: Command, ReplyTo: "checkout.replies", CorrelationID: "r3"}}
	if got := string(AppendJSON(nil, &req)); !strings.Contains(got,
		`"msg":{"id":"r3.2","type":"QuotePrice","class":"command","reply_to":"checkout.replies","correlation_id":"r3"}`) {
		t.Errorf("request: %s", got)
	}
	rep := Event{Seq: 3, Kind: Send, Actor: "pricing", To: "checkout.replies",
		Msg: Msg{ID: "a3", Type: "PriceQuoted", Class: Reply, CorrelationID: "r3"}}
	if got := string(AppendJSON(nil, &rep)); !strings.Contains(got, `"class":"reply","correlation_id":"r3"}`) ||
		strings.Contains(got, "reply_to") {
		t.Errorf("reply: %s", got)
	}
}

func TestJSONOmitsWhatIsAbsent(t *testing.T) {
	e := Event{Seq: 1, Kind: Crash, Actor: "worker-2"}
	if got := string(AppendJSON(nil, &e)); got != `{"seq":1,"t_us":0,"kind":"crash","actor":"worker-2"}` {
		t.Errorf("got %s", got)
	}
}

func TestJSONEscapesEverythingThatCouldBreakIt(t *testing.T) {
	for _, s := range []string{"\x00\x1f\x7f", "a\"b\\c", "\xff\xfe", "ünï ✔ 💥", "</script>"} {
		b := appendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Errorf("%q encoded as %s: %v", s, b, err)
			continue
		}
		if utf8.ValidString(s) && back != s {
			t.Errorf("%q came back as %q", s, back)
		}
		if !utf8.ValidString(back) {
			t.Errorf("%q came back as invalid UTF-8 %q", s, back)
		}
	}
}

func TestRunAndSummaryJSON(t *testing.T) {
	run := Event{Seq: 1, Kind: Run, Actor: "msgplay", Note: "competing",
		Params: []Param{{Name: "seed", Value: "1"}, {Name: "consumers", Value: "3", Hint: "one per core"}},
		Actors: []string{"producer", "orders"}}
	if got := string(AppendJSON(nil, &run)); !strings.HasSuffix(got,
		`"note":"competing","params":{"seed":"1","consumers":"3"},"actors":["producer","orders"]}`) {
		t.Errorf("run: %s (a param's hint is for people, not in the data)", got)
	}
	if got := run.Params[1].Display(); got != "3 (one per core)" {
		t.Errorf("Display() = %q, want the value then the hint", got)
	}
	r := &Report{Pattern: "competing", Seed: 1, End: time.Second, Stopped: "stopped at --until 1s",
		InFlight: []string{"m2"}, Totals: []Count{{"sent", 2}},
		Tables: []Table{{Title: "t", Columns: []string{"a"}, Rows: [][]string{{"1"}}}},
		Checks: []Verdict{{Name: "no-loss", Title: "no message lost", OK: false, Detail: "1 never settled", Evidence: []string{"m2"}}}}
	sum := Event{Seq: 9, T: time.Second, Kind: Summary, Actor: "msgplay", Report: r}
	var back struct {
		Summary struct {
			Settled  bool             `json:"settled"`
			InFlight []string         `json:"in_flight"`
			Totals   map[string]int64 `json:"totals"`
			Checks   []struct {
				Name string `json:"name"`
				OK   bool   `json:"ok"`
			} `json:"checks"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(AppendJSON(nil, &sum), &back); err != nil {
		t.Fatal(err)
	}
	s := back.Summary
	if s.Settled || s.InFlight[0] != "m2" || s.Totals["sent"] != 2 || s.Checks[0].Name != "no-loss" || s.Checks[0].OK {
		t.Errorf("summary came back as %+v", s)
	}
}

func TestCommitWritesJSON(t *testing.T) {
	e := Event{Seq: 4, Kind: Commit, Actor: "orders", To: "orders-db", Note: "tx 1: whatever the note says",
		Why: "w", Took: time.Millisecond,
		Writes: []Write{{Key: "orders/o1", Value: "PLACED"}, {Key: "outbox/e1", Deleted: true}}}
	got := string(AppendJSON(nil, &e))
	if !strings.HasSuffix(got, `"took_us":1000,"writes":[{"key":"orders/o1","value":"PLACED"},`+
		`{"key":"outbox/e1","deleted":true}]}`) {
		t.Errorf("commit: %s: want the writes as data, after the other fields", got)
	}
	var back struct {
		Writes []struct {
			Key     string `json:"key"`
			Value   string `json:"value"`
			Deleted bool   `json:"deleted"`
		} `json:"writes"`
	}
	if err := json.Unmarshal([]byte(got), &back); err != nil || len(back.Writes) != 2 ||
		back.Writes[0].Value != "PLACED" || !back.Writes[1].Deleted {
		t.Errorf("commit came back as %+v, %v", back, err)
	}
}

func TestDurations(t *testing.T) {
	for _, c := range []struct {
		d           time.Duration
		exact, shrt string
	}{
		{0, "0s", "0s"},
		{750 * time.Microsecond, "750µs", "750µs"},
		{41234 * time.Microsecond, "41.234ms", "41.2ms"},
		{1500 * time.Millisecond, "1.5s", "1.5s"},
		{90 * time.Second, "90s", "90s"},
		{1234567 * time.Microsecond, "1.234567s", "1.23s"},
		{5 * time.Millisecond, "5ms", "5ms"},
	} {
		if got := FormatDuration(c.d); got != c.exact {
			t.Errorf("FormatDuration(%v) = %s, want %s", c.d, got, c.exact)
		}
		if got := ShortDuration(c.d); got != c.shrt {
			t.Errorf("ShortDuration(%v) = %s, want %s", c.d, got, c.shrt)
		}
	}
}

// TestAppendDurationWritesEveryDecimal holds AppendDuration to the
// duration in its unit with every decimal it has and no trailing zero,
// for durations of every size and precision.
func TestAppendDurationWritesEveryDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 200_000 {
		d := time.Duration(r.Int64N(int64(1) << r.IntN(63)))
		if r.IntN(2) == 0 {
			d = d.Round(time.Duration([]int64{1, 10, 1000, 1e5, 1e6}[r.IntN(5)]))
		}
		unit, suffix := time.Second, "s"
		switch {
		case d == 0:
			continue
		case d < time.Microsecond:
			unit, suffix = 1, "ns"
		case d < time.Millisecond:
			unit, suffix = time.Microsecond, "µs"
		case d < time.Second:
			unit, suffix = time.Millisecond, "ms"
		}
		whole, frac := strconv.FormatInt(int64(d/unit), 10), ""
		if f := int64(d % unit); f != 0 {
			frac = "." + strings.TrimRight(fmt.Sprintf("%0*d", len(strconv.FormatInt(int64(unit), 10))-1, f), "0")
		}
		if got, want := string(AppendDuration(nil, d)), whole+frac+suffix; got != want {
			t.Fatalf("%d ns written %q, want %q", int64(d), got, want)
		}
	}
}

// TestAppendDurationOfWholeMicroseconds holds the short way of every
// duration of whole microseconds below a second (a handler's time) to
// the general one.
func TestAppendDurationOfWholeMicroseconds(t *testing.T) {
	var got, want []byte
	for us := int64(1); us < 1e6; us++ {
		unit, suffix := int64(time.Millisecond), "ms"
		if us < 1000 {
			unit, suffix = int64(time.Microsecond), "µs"
		}
		got = AppendDuration(got[:0], time.Duration(us)*time.Microsecond)
		want = appendUnit(want[:0], us*int64(time.Microsecond), unit, suffix)
		if string(got) != string(want) {
			t.Fatalf("%dµs written %q, want %q", us, got, want)
		}
	}
}

func TestJSONCarriesTheSize(t *testing.T) {
	e := Event{Seq: 4, Kind: Drop, Actor: "shop", To: "orders",
		Msg: Msg{ID: "o3", Type: "PlaceOrder", Class: Command, Key: "order-1003", Size: 1258291}}
	if got := string(AppendJSON(nil, &e)); !strings.Contains(got, `"key":"order-1003","size":1258291}`) {
		t.Errorf("size: %s", got)
	}
}
