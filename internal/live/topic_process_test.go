//go:build live

package live

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestAJoinedSubscriberKilledMidEventIsRedeliveredAndNothingIsMissed(t *testing.T) {
	srv, url := serve(t, "--token", "s3cret")
	auth := []string{"--broker", url, "--token", "s3cret", "--format", "json"}
	doomed := start(t, append([]string{"join", "pubsub", "--name", "email"}, auth...)...)
	other := start(t, append([]string{"join", "pubsub", "--name", "email"}, auth...)...)
	presenter := start(t, append([]string{"pubsub", "--live", "--subscribers", "inventory,email", "--events", "12",
		"--work", "300ms", "--arrival", "50ms", "--until", "60s"}, auth...)...)

	got := doomed.line(t, regexp.MustCompile(`"kind":"deliver".*"to":"email#`), 40*time.Second)
	var held jsonEvent
	json.Unmarshal([]byte(got), &held)
	doomed.cmd.Process.Signal(syscall.SIGKILL)

	code, lines := presenter.wait(t, 60*time.Second)
	if code != 0 {
		t.Fatalf("the live run exited %d", code)
	}
	events := parse(t, lines)
	timedOut, redelivered, others := false, false, 0
	for _, e := range events {
		switch {
		case e.Kind == "timeout" && e.Msg.ID == held.Msg.ID && e.Actor == "orders/email":
			// The killed join's report of the delivery can die with it: the
			// presenter then tells the timeout of a delivery no instance was
			// seen to take, To empty.
			timedOut = e.To == held.To || e.To == ""
			if !timedOut {
				t.Errorf("the timeout of %s names %s, not %s, which held it", held.Msg.ID, e.To, held.To)
			}
		case e.Kind == "deliver" && e.Msg.ID == held.Msg.ID && e.Actor == "orders/email" && e.To != held.To &&
			e.Msg.Attempt > 1:
			redelivered = true
		case e.Kind == "ack" && strings.HasPrefix(e.Actor, "email#") && e.Actor != held.To:
			others++
		}
	}
	if !timedOut || !redelivered {
		for _, l := range lines {
			t.Log(l)
		}
		t.Errorf("%s, held by %s when killed: timeout %v, redelivered to another instance %v; want both",
			held.Msg.ID, held.To, timedOut, redelivered)
	}
	if others == 0 {
		t.Errorf("the presenter's trace shows no ack by the other join process")
	}
	last := events[len(events)-1]
	if last.Summary == nil {
		t.Fatal("the trace does not end with a summary")
	}
	judged := 0
	for _, c := range last.Summary.Checks {
		if c.Name == "no-loss" || c.Name == "every-event-delivered" {
			judged++
			if !c.OK {
				t.Errorf("%s failed after a join process was killed: %s %v", c.Name, c.Detail, c.Evidence)
			}
		}
	}
	if judged != 2 {
		t.Errorf("the summary judged %d of no-loss and every-event-delivered, want both", judged)
	}
	if code, _ := other.wait(t, 20*time.Second); code != 0 {
		t.Errorf("the other join exited %d when the run ended, want 0", code)
	}
	srv.cmd.Process.Signal(os.Interrupt)
	if code, _ := srv.wait(t, 20*time.Second); code != 130 {
		t.Errorf("serve exited %d on Ctrl-C, want 130", code)
	}
}

func TestAJoinAsNoSubscriberOfTheRunIsRefused(t *testing.T) {
	srv, url := serve(t)
	presenter := start(t, "pubsub", "--live", "--broker", url, "--subscribers", "inventory", "--events", "40",
		"--work", "100ms", "--until", "60s", "--format", "json")
	presenter.line(t, regexp.MustCompile(`"kind":"publish"`), 30*time.Second)
	code, stderr := run(t, DialTimeout+JoinWait, "join", "pubsub", "--broker", url, "--name", "email")
	if code != 2 || !strings.Contains(stderr, "--name") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("join pubsub --name email in a run of inventory alone: exit %d, stderr %q; want 2 and one line on --name",
			code, stderr)
	}
	presenter.cmd.Process.Signal(os.Interrupt)
	presenter.wait(t, 30*time.Second)
	srv.cmd.Process.Signal(os.Interrupt)
	srv.wait(t, 20*time.Second)
}
