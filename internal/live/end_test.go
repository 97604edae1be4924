//go:build live

package live

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ended is a live run the test ends from outside after it printed some
// lines: its exit code, its stderr, and what it left in its TMPDIR.
type ended struct {
	code   int
	stderr string
	left   []string
}

// endLiveRun starts msgplay with args in a TMPDIR of its own, reads lines
// lines of its output, calls end with it and its stdout, and waits, at
// most 30s, for it to exit.
func endLiveRun(t *testing.T, lines int, end func(cmd *exec.Cmd, out io.Closer), args ...string) ended {
	t.Helper()
	tmp := t.TempDir()
	cmd := exec.Command(msgplay(t), args...)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(out)
	for range lines {
		if _, err := r.ReadString('\n'); err != nil {
			t.Fatalf("the run ended before %d lines: %v", lines, err)
		}
	}
	end(cmd, out)
	go io.Copy(io.Discard, r) // keep reading, unless end closed it
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatal("the run went on for 30s after it was ended")
	}
	e := ended{code: cmd.ProcessState.ExitCode(), stderr: stderr.String()}
	entries, _ := os.ReadDir(tmp)
	for _, d := range entries {
		e.left = append(e.left, d.Name())
	}
	return e
}

// A live run piped into head (`msgplay outbox --live | head`) stops when
// head goes, exits 141 without a word, as SIGPIPE would have, and leaves
// none of the embedded server's or SQLite's temporary files behind.
func TestALiveRunWhoseOutputPipeClosesCleansUp(t *testing.T) {
	e := endLiveRun(t, 8, func(_ *exec.Cmd, out io.Closer) { out.Close() }, "outbox", "--live", "--orders", "300")
	if e.code != 141 || e.stderr != "" || len(e.left) > 0 {
		t.Errorf("exit %d, stderr %q, left in TMPDIR %v; want 141, nothing, nothing", e.code, e.stderr, e.left)
	}
}

// kill and timeout send SIGTERM: the run stops, cleans up and exits 143.
func TestALiveRunStoppedBySIGTERMCleansUp(t *testing.T) {
	term := func(cmd *exec.Cmd, _ io.Closer) { cmd.Process.Signal(syscall.SIGTERM) }
	e := endLiveRun(t, 8, term, "outbox", "--live", "--orders", "300")
	if e.code != 143 || len(e.left) > 0 {
		t.Errorf("exit %d, left in TMPDIR %v; want 143 and nothing", e.code, e.left)
	}
}

// A broker killed mid-run is a broker failure (exit 1, its error on
// stderr), not a closed output pipe: its socket's EPIPE is not stdout's.
func TestALiveRunWhoseServerIsKilledIsABrokerFailure(t *testing.T) {
	srv, url := serve(t)
	kill := func(*exec.Cmd, io.Closer) { srv.cmd.Process.Signal(syscall.SIGKILL) }
	e := endLiveRun(t, 200, kill, "pubsub", "--live", "--broker", url, "--events", "5000", "--arrival", "1ms",
		"--format", "json")
	if e.code != 1 || !strings.Contains(e.stderr, "broker") {
		t.Errorf("exit %d, stderr %q; want exit 1 and the broker's failure", e.code, e.stderr)
	}
}
