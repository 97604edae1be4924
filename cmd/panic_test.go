package cmd

import (
	"bytes"
	"errors"
	"strings"
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

// `msgplay help bogus` and `msgplay ""` once printed help and exited 0.
func TestUnknownHelpTopicAndEmptyCommandAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"help", "bogus"}, {""}} {
		var out, errb bytes.Buffer
		if code := Run(args, &IOStreams{Out: &out, Err: &errb}); code != ExitUsage || errb.Len() == 0 {
			t.Errorf("msgplay %q: exit %d, stderr %q; want %d and one line", args, code, errb.String(), ExitUsage)
		}
	}
	var out bytes.Buffer
	if code := Run([]string{"help", "competing"}, &IOStreams{Out: &out, Err: &out}); code != ExitOK || out.Len() == 0 {
		t.Errorf("msgplay help competing: exit %d", code)
	}
}

// failingWriter fails every write, as stdout does on a full disk.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// `msgplay competing --help > /dev/full` once exited 0: a write error on
// stdout is a failure, whatever is being written, with one line on stderr.
func TestAWriteErrorOnStdoutExitsOne(t *testing.T) {
	for _, args := range [][]string{{"competing", "--help"}, {"--help"}, {"help", "check"}, {},
		{"list"}, {"competing", "-q"}, {"check", "competing", "--help"}, {"check", "competing", "--seeds", "2"}} {
		var errb bytes.Buffer
		code := Run(args, &IOStreams{In: strings.NewReader(""), Out: failingWriter{}, Err: &errb,
			Getenv: func(string) string { return "" }})
		if code != ExitFailure || strings.Count(errb.String(), "\n") != 1 ||
			!strings.Contains(errb.String(), "no space left") {
			t.Errorf("msgplay %q: exit %d, stderr %q; want %d and one line", args, code, errb.String(), ExitFailure)
		}
	}
}
