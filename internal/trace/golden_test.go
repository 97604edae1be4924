package trace_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/msgplay/msgplay/internal/trace"
)

// showcase is a small synthetic run that uses every kind and every class
// of message, so the goldens below pin how each renderer draws each of
// them without running any pattern. The summary is computed from the
// events by the generic statistics.
func showcase() []trace.Event {
	ms := time.Millisecond
	cmd := func(id string, attempt int) trace.Msg {
		return trace.Msg{ID: id, Type: "PlaceOrder", Class: trace.Command, Key: "order-100" + id[1:], Attempt: attempt}
	}
	evt := trace.Msg{ID: "e1", Type: "OrderPlaced", Class: trace.EventMsg, Key: "order-1001"}
	rep := trace.Msg{ID: "r1", Type: "PriceQuoted", Class: trace.Reply, Key: "order-1001"}
	raw := trace.Msg{ID: "x1", Type: "Blob"}
	ev := []trace.Event{
		{Kind: trace.Run, Actor: "msgplay", Note: "showcase",
			Params: []trace.Param{{Name: "seed", Value: "1"}, {Name: "orders", Value: "3"}},
			Actors: []string{"producer", "orders", "worker-1", "worker-2", "orders.dlq", "events", "billing"}},
		{Kind: trace.Send, Actor: "producer", To: "orders", Msg: cmd("m1", 0)},
		{Kind: trace.Send, Actor: "producer", To: "orders", Msg: cmd("m2", 0)},
		{Kind: trace.Send, Actor: "producer", To: "orders", Msg: raw, Note: "a message with no class"},
		{Kind: trace.Deliver, Actor: "orders", To: "worker-1", Msg: cmd("m1", 1)},
		{Kind: trace.Deliver, Actor: "orders", To: "worker-2", Msg: cmd("m2", 1)},
		{T: 1 * ms, Kind: trace.Fault, Actor: "msgplay", Note: "broker down 1ms..4ms"},
		{T: 2 * ms, Kind: trace.Begin, Actor: "worker-1", Note: "tx 1"},
		{T: 5 * ms, Kind: trace.Handle, Actor: "worker-1", To: "orders", Msg: cmd("m1", 1), Took: 3 * ms, Note: "stock reserved"},
		{T: 5 * ms, Kind: trace.Commit, Actor: "worker-1", Note: "tx 1: stock=9"},
		{T: 5 * ms, Kind: trace.Ack, Actor: "worker-1", To: "orders", Msg: cmd("m1", 1)},
		{T: 6 * ms, Kind: trace.Publish, Actor: "worker-1", To: "events", Msg: evt},
		{T: 6 * ms, Kind: trace.Send, Actor: "events", To: "billing", Msg: evt},
		{T: 7 * ms, Kind: trace.Crash, Actor: "worker-2", Note: "holding m2"},
		{T: 8 * ms, Kind: trace.Send, Actor: "billing", To: "producer", Msg: rep},
		{T: 9 * ms, Kind: trace.Skip, Actor: "billing", Msg: evt, Note: "seen before"},
		{T: 10 * ms, Kind: trace.Timeout, Actor: "orders", To: "worker-2", Msg: cmd("m2", 1),
			Why: "worker-2 crashed holding m2, so no ack came: the queue gave it to someone else"},
		{T: 10 * ms, Kind: trace.Deliver, Actor: "orders", To: "worker-1", Msg: cmd("m2", 2)},
		{T: 11 * ms, Kind: trace.Nack, Actor: "worker-1", To: "orders", Msg: cmd("m2", 2), Took: ms, Note: "out of stock"},
		{T: 11 * ms, Kind: trace.Rollback, Actor: "worker-1", Note: "tx 2"},
		{T: 12 * ms, Kind: trace.Restart, Actor: "worker-2"},
		{T: 12 * ms, Kind: trace.Rebalance, Actor: "orders", Note: "generation 2 · worker-1: p0 · worker-2: p1"},
		{T: 12 * ms, Kind: trace.DeadLetter, Actor: "orders", To: "orders.dlq", Msg: cmd("m2", 3), Note: "3 deliveries"},
		{T: 13 * ms, Kind: trace.AckLost, Actor: "worker-2", To: "orders", Msg: cmd("m3", 1), Note: "after the timeout"},
		{T: 13 * ms, Kind: trace.Call, Actor: "worker-1", To: "billing",
			Msg: trace.Msg{ID: "m1", Type: "Charge", Class: trace.Command, Key: "order-1001", Attempt: 1}},
		{T: 13 * ms, Kind: trace.Breaker, Actor: "worker-1", To: "billing", Note: "closed → open after 3 failures"},
		{T: 14 * ms, Kind: trace.Response, Actor: "billing", To: "worker-1",
			Msg: trace.Msg{ID: "m1", Type: "Charged", Class: trace.Reply, Key: "order-1001", Attempt: 1}, Note: "paid"},
		{T: 14 * ms, Kind: trace.Drop, Actor: "orders", To: "orders", Msg: raw, Note: "queue full"},
		{T: 15 * ms, Kind: trace.Fetch, Actor: "worker-1", To: "blobs", Msg: cmd("m1", 1), Took: ms,
			Note: "blobs/m1 (300KB)"},
		{T: 15 * ms, Kind: trace.Elect, Actor: "worker-2", Note: "stands for leader of term 2"},
		{T: 15 * ms, Kind: trace.Leader, Actor: "worker-2", Note: "leads term 2"},
		{T: 15 * ms, Kind: trace.Replicate, Actor: "worker-2", To: "worker-1", Msg: cmd("m1", 1), Note: "entry 1 of term 2"},
		{T: 15 * ms, Kind: trace.Compensate, Actor: "worker-1", Msg: cmd("m1", 1), Note: "stock released"},
		{T: 15 * ms, Kind: trace.Note, Actor: "msgplay", Note: "every kind has been shown"},
	}
	stats := trace.NewStats()
	for i := range ev {
		ev[i].Seq = int64(i + 1)
		stats.Event(&ev[i])
	}
	r := &trace.Report{Pattern: "showcase", Seed: 1, End: 15 * ms, Checks: []trace.Verdict{
		{Name: "no-loss", Title: "no message lost", OK: false, Detail: "1 dropped", Evidence: []string{"x1 dropped at 14ms"}},
		{Name: "order", Title: "in order", OK: true, Detail: "every key"},
	}}
	stats.Fill(r)
	return append(ev, trace.Event{Seq: int64(len(ev) + 1), T: 15 * ms, Kind: trace.Summary, Actor: "msgplay", Report: r})
}

// golden compares got with testdata/name, or rewrites it with
// UPDATE_GOLDEN=1.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run with UPDATE_GOLDEN=1 and read the diff.\ngot:\n%s", file, got)
	}
}

// TestRenderersGolden pins every renderer's drawing of every kind and
// class on the showcase run.
func TestRenderersGolden(t *testing.T) {
	for _, c := range []struct {
		file string
		mk   func(w *bytes.Buffer) flushSink
	}{
		{"showcase.txt", func(w *bytes.Buffer) flushSink { return trace.NewText(w, trace.TextOptions{}) }},
		{"showcase_explain.txt", func(w *bytes.Buffer) flushSink {
			return trace.NewText(w, trace.TextOptions{Explain: true, Width: 80})
		}},
		{"showcase_color.txt", func(w *bytes.Buffer) flushSink { return trace.NewText(w, trace.TextOptions{Color: true}) }},
		{"showcase.lanes", func(w *bytes.Buffer) flushSink { return trace.NewLanes(w, trace.LanesOptions{}) }},
		{"showcase_narrow.lanes", func(w *bytes.Buffer) flushSink {
			return trace.NewLanes(w, trace.LanesOptions{Width: 72, Explain: true})
		}},
		{"showcase.mmd", func(w *bytes.Buffer) flushSink { return trace.NewMermaid(w, trace.MermaidOptions{Explain: true}) }},
		{"showcase.jsonl", func(w *bytes.Buffer) flushSink { return trace.NewJSON(w) }},
	} {
		t.Run(c.file, func(t *testing.T) {
			var b bytes.Buffer
			render(c.mk(&b), showcase())
			golden(t, c.file, b.Bytes())
		})
	}
}
