//go:build live

package live

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// A live run piped into head (`msgplay outbox --live | head`) stops when
// head goes, exits 141 without a word, as SIGPIPE would have, and leaves
// none of the embedded server's or SQLite's temporary files behind.
func TestALiveRunWhoseOutputPipeClosesCleansUp(t *testing.T) {
	tmp := t.TempDir()
	cmd := exec.Command(msgplay(t), "outbox", "--live", "--orders", "300")
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
	for range 8 {
		if _, err := r.ReadString('\n'); err != nil {
			t.Fatalf("the run ended before 8 lines: %v", err)
		}
	}
	out.Close()
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
		t.Fatal("the run went on for 30s after its output pipe closed")
	}
	if code := cmd.ProcessState.ExitCode(); code != 141 {
		t.Errorf("exit %d (%v), want 141", code, cmd.ProcessState)
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %q, want nothing", stderr.String())
	}
	left, _ := os.ReadDir(tmp)
	for _, e := range left {
		t.Errorf("left behind in TMPDIR: %s", e.Name())
	}
}
