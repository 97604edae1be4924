package cmd

import (
	"bytes"
	"testing"
)

// A panic once exited 2, which scripts read as a usage error: it is one
// line asking for a report, and exit 1.
func TestPanicIsOneLineAndExitOne(t *testing.T) {
	var errb bytes.Buffer
	ios := &IOStreams{Out: &bytes.Buffer{}, Err: &errb}
	code := func() (code int) {
		defer recoverPanic(ios, []string{"competing", "--messages", "3"}, &code)
		panic("index out of range [-1]\ngoroutine 1 [running]:")
	}()
	want := "msgplay: internal error: index out of range [-1], please report with this command: msgplay competing --messages 3\n"
	if code != ExitFailure || errb.String() != want {
		t.Errorf("exit %d, stderr %q; want %d, %q", code, errb.String(), ExitFailure, want)
	}
}
