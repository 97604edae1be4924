package cmd

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Exit codes, as DESIGN.md sets them.
const (
	ExitOK          = 0
	ExitFailure     = 1 // an internal failure, or a check found a guarantee broken
	ExitUsage       = 2 // a bad flag, value or command
	ExitInterrupted = 130
)

// usageError is a mistake in how msgplay was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// failure is an error that exits with a given code after its message (if
// any) is printed.
type failure struct {
	code int
	msg  string
}

func (e *failure) Error() string { return e.msg }

// flagError turns pflag's parse errors into one plain line that names the
// flag and says what it takes.
func flagError(c *cobra.Command, err error) error { return flagErrorAt(c.CommandPath(), err) }

// flagErrorAt is flagError for the command called path.
func flagErrorAt(path string, err error) error {
	var invalid *pflag.InvalidValueError
	var missing *pflag.ValueRequiredError
	var unknown *pflag.NotExistError
	switch {
	case errors.As(err, &invalid):
		name := "--" + invalid.GetFlag().Name
		var num *strconv.NumError
		if errors.As(err, &num) {
			what := "a whole number"
			switch typ := invalid.GetFlag().Value.Type(); {
			case typ == "bool":
				what = "true or false"
			case strings.HasPrefix(typ, "float"):
				what = "a number"
			}
			return usagef("%s: %q is not %s", name, invalid.GetValue(), what)
		}
		return usagef("%s: %v", name, errors.Unwrap(err))
	case errors.As(err, &missing):
		return usagef("--%s needs a value: see '%s --help'", missing.GetSpecifiedName(), path)
	case errors.As(err, &unknown):
		if path == "msgplay" {
			return usagef("unknown flag %s: see 'msgplay --help'", dashed(unknown.GetSpecifiedName()))
		}
		name := unknown.GetSpecifiedName()
		return usagef("%s: unknown flag %s%s: see '%s --help'", path, dashed(name), liveHint(name), path)
	}
	return usagef("%s: %s", path, oneLine(err.Error()))
}

func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// oneLine keeps the first line of a message.
func oneLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(first)
}
