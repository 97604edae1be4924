//go:build live

package live

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// TestMain removes the live build the process tests made, if any.
func TestMain(m *testing.M) {
	code := m.Run()
	if binary != "" && buildErr == nil {
		os.RemoveAll(filepath.Dir(binary))
	}
	os.Exit(code)
}

// msgplay returns the path of the live build of msgplay, built once.
func msgplay(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "msgplay-live-test-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "msgplay")
		out, err := exec.Command("go", "build", "-tags", "live", "-o", binary, "github.com/msgplay/msgplay").CombinedOutput()
		if err != nil {
			buildErr = err
			binary = string(out)
		}
	})
	if buildErr != nil {
		t.Fatalf("building msgplay: %v\n%s", buildErr, binary)
	}
	return binary
}

// proc is a msgplay process whose output lines the test reads.
type proc struct {
	cmd   *exec.Cmd
	lines chan string
	done  chan struct{}
	err   error
}

func start(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(msgplay(t), args...)
	// What a process killed by the test leaves (an embedded server's
	// store) goes with the test's own temporary directory.
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, lines: make(chan string, 10000), done: make(chan struct{})}
	go func() {
		s := bufio.NewScanner(out)
		s.Buffer(make([]byte, 1<<20), 1<<20)
		for s.Scan() {
			p.lines <- s.Text()
		}
		close(p.lines)
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
	})
	return p
}

// line returns the next output line that matches re, failing after limit.
func (p *proc) line(t *testing.T, re *regexp.Regexp, limit time.Duration) string {
	t.Helper()
	deadline := time.After(limit)
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				t.Fatalf("%s ended before printing a line matching %s", p.cmd.Args[1], re)
			}
			if re.MatchString(l) {
				return l
			}
		case <-deadline:
			t.Fatalf("%s printed no line matching %s within %s", p.cmd.Args[1], re, limit)
		}
	}
}

// wait waits for the process to end, at most limit, and returns its exit
// code and the lines it printed that were not read yet.
func (p *proc) wait(t *testing.T, limit time.Duration) (int, []string) {
	t.Helper()
	var rest []string
	deadline := time.After(limit)
	for {
		select {
		case l, ok := <-p.lines:
			if ok {
				rest = append(rest, l)
				continue
			}
			<-p.done
			return p.cmd.ProcessState.ExitCode(), rest
		case <-deadline:
			t.Fatalf("%v did not end within %s", p.cmd.Args[1:], limit)
		}
	}
}

var urlLine = regexp.MustCompile(`nats://127\.0\.0\.1:[0-9]+`)

// serve starts msgplay serve on a free loopback port and returns it and
// its URL.
func serve(t *testing.T, args ...string) (*proc, string) {
	p := start(t, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
	return p, urlLine.FindString(p.line(t, urlLine, 20*time.Second))
}

type jsonEvent struct {
	Kind  string `json:"kind"`
	Actor string `json:"actor"`
	To    string `json:"to"`
	Msg   struct {
		ID      string `json:"id"`
		Attempt int    `json:"attempt"`
	} `json:"msg"`
	Summary *struct {
		Checks []struct {
			Name     string   `json:"name"`
			OK       bool     `json:"ok"`
			Detail   string   `json:"detail"`
			Evidence []string `json:"evidence"`
		} `json:"checks"`
	} `json:"summary"`
}

func parse(t *testing.T, lines []string) []jsonEvent {
	t.Helper()
	var es []jsonEvent
	for _, l := range lines {
		var e jsonEvent
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("not a JSON event: %q", l)
		}
		es = append(es, e)
	}
	return es
}

func TestAJoinKilledMidMessageIsRedeliveredAndNothingIsLost(t *testing.T) {
	srv, url := serve(t, "--token", "s3cret")
	auth := []string{"--broker", url, "--token", "s3cret", "--format", "json"}
	ada := start(t, append([]string{"join", "competing", "--name", "ada"}, auth...)...)
	bob := start(t, append([]string{"join", "competing", "--name", "bob"}, auth...)...)
	presenter := start(t, append([]string{"competing", "--live", "--consumers", "1", "--messages", "12",
		"--work", "400ms", "--visibility-timeout", "1s", "--until", "60s"}, auth...)...)

	got := ada.line(t, regexp.MustCompile(`"kind":"deliver".*"to":"ada"`), 40*time.Second)
	var held jsonEvent
	json.Unmarshal([]byte(got), &held)
	ada.cmd.Process.Signal(syscall.SIGKILL)

	code, lines := presenter.wait(t, 60*time.Second)
	if code != 0 {
		t.Fatalf("the live run exited %d", code)
	}
	events := parse(t, lines)
	timedOut, redelivered, bobs := false, false, 0
	for _, e := range events {
		switch {
		case e.Kind == "timeout" && e.Msg.ID == held.Msg.ID && (e.To == "ada" || e.To == ""):
			// ada's report of the delivery can die with ada (SIGKILL right
			// after it printed it): the presenter then tells the timeout of a
			// delivery no worker was seen to take, To empty.
			timedOut = true
		case e.Kind == "deliver" && e.Msg.ID == held.Msg.ID && e.To != "ada" && e.Msg.Attempt > 1:
			redelivered = true
		case e.Kind == "ack" && e.Actor == "bob":
			bobs++
		}
	}
	if !timedOut || !redelivered {
		for _, l := range lines {
			t.Log(l)
		}
		t.Errorf("%s, held by ada when killed: timeout %v, redelivered to another %v; want both", held.Msg.ID, timedOut, redelivered)
	}
	if bobs == 0 {
		t.Errorf("the presenter's trace shows no ack by bob, the other join process")
	}
	last := events[len(events)-1]
	if last.Summary == nil {
		t.Fatal("the trace does not end with a summary")
	}
	for _, c := range last.Summary.Checks {
		if c.Name == "no-loss" && !c.OK {
			t.Errorf("no-loss failed after a join process was killed: %s %v", c.Detail, c.Evidence)
		}
	}
	if code, _ := bob.wait(t, 20*time.Second); code != 0 {
		t.Errorf("bob exited %d when the run ended, want 0", code)
	}
	srv.cmd.Process.Signal(os.Interrupt)
	if code, _ := srv.wait(t, 20*time.Second); code != 130 {
		t.Errorf("serve exited %d on Ctrl-C, want 130", code)
	}
}

// run runs msgplay to its end, at most limit, and returns its exit code
// and stderr.
func run(t *testing.T, limit time.Duration, args ...string) (int, string) {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(c, msgplay(t), args...)
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	cmd.Run()
	if c.Err() != nil {
		t.Fatalf("%v still ran after %s (started %s ago)", args, limit, time.Since(start))
	}
	return cmd.ProcessState.ExitCode(), stderr.String()
}

func TestBadBrokersAreOneLineAndBounded(t *testing.T) {
	_, url := serve(t, "--token", "right")
	plain := server.New(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, NoSigs: true, NoLog: true})
	go plain.Start()
	if !plain.ReadyForConnections(10 * time.Second) {
		t.Fatal("a plain nats-server did not start")
	}
	defer plain.Shutdown()
	limit := DialTimeout + 10*time.Second
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"competing", "--live", "--broker", "nats://127.0.0.1:1"}, 1, "cannot reach"},
		{[]string{"competing", "--live", "--broker", plain.ClientURL()}, 1, "no JetStream"},
		{[]string{"competing", "--live", "--broker", url, "--token", "wrong"}, 1, "--token"},
		{[]string{"join", "competing", "--broker", url, "--token", "wrong", "--name", "eve"}, 1, "--token"},
		{[]string{"competing", "--live", "--broker", "http://example.com"}, 2, "--broker"},
		{[]string{"competing", "--broker", url}, 2, "--broker needs --live"},
		{[]string{"saga", "--live"}, 2, "has no live mode"},
		{[]string{"pubsub", "--live", "--filter", "shipping=orders.#"}, 2, "no NATS equivalent"},
		{[]string{"pubsub", "--live", "--mode", "direct"}, 2, "--mode direct"},
		{[]string{"outbox", "--live", "--broker-down", "1s..2s"}, 2, "--broker-down"},
		{[]string{"competing", "--live", "--visibility-timeout", "0"}, 2, "--visibility-timeout"},
		{[]string{"join", "competing", "--broker", url, "--name", "worker-1"}, 2, "--name"},
	} {
		code, stderr := run(t, limit, tc.args...)
		lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
		if code != tc.code || len(lines) != 1 || !strings.Contains(stderr, tc.says) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line saying %q", tc.args, code, stderr, tc.code, tc.says)
		}
	}
}

func TestAKilledServeKeepsItsStreams(t *testing.T) {
	dir := t.TempDir()
	srv, url := serve(t, "--store", dir)
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := jetstream.New(nc)
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := js.CreateStream(c, jetstream.StreamConfig{Name: "KEPT", Subjects: []string{"kept"},
		Storage: jetstream.FileStorage}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := js.Publish(c, "kept", []byte("order")); err != nil {
			t.Fatal(err)
		}
	}
	nc.Close()
	srv.cmd.Process.Signal(syscall.SIGKILL)
	srv.wait(t, 10*time.Second)

	_, url = serve(t, "--store", dir)
	nc, err = nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ = jetstream.New(nc)
	s, err := js.Stream(c, "KEPT")
	if err != nil {
		t.Fatalf("after a kill -9 and a restart on the same --store: %v", err)
	}
	info, err := s.Info(c)
	if err != nil || info.State.Msgs != 5 {
		t.Fatalf("after a kill -9 and a restart: %v messages (%v), want 5", info.State.Msgs, err)
	}
}
