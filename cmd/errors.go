package cmd

import (
	"errors"
	"fmt"
	"math"
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
func flagError(c *cobra.Command, err error) error {
	return flagErrorAt(c.CommandPath(), c.Flags(), err)
}

// flagErrorAt is flagError for the command called path ("msgplay check
// competing"), whose flags are fs.
func flagErrorAt(path string, fs *pflag.FlagSet, err error) error {
	var invalid *pflag.InvalidValueError
	var missing *pflag.ValueRequiredError
	var unknown *pflag.NotExistError
	switch {
	case errors.As(err, &invalid):
		name := "--" + invalid.GetFlag().Name
		if r, ok := invalid.GetFlag().Value.(ranged); ok {
			return usagef("%s must be %s (got %q)", name, r.allowed(), invalid.GetValue())
		}
		var num *strconv.NumError
		if errors.As(err, &num) {
			what := "a whole number"
			switch typ := invalid.GetFlag().Value.Type(); {
			case typ == "bool":
				what = "true or false"
			case typ == "uint64":
				what = "a whole number from 0 to " + strconv.FormatUint(math.MaxUint64, 10)
			case strings.HasPrefix(typ, "float"):
				what = "a number"
			}
			return usagef("%s must be %s (got %q)", name, what, invalid.GetValue())
		}
		return usagef("%s: %v", name, errors.Unwrap(err))
	case errors.As(err, &missing):
		return usagef("--%s needs a value: see '%s --help'", missing.GetSpecifiedName(), path)
	case errors.As(err, &unknown):
		name := unknown.GetSpecifiedName()
		return usagef("%sunknown flag %s%s%s: see '%s --help'", lead(path), dashed(name), suggestFlag(fs, name),
			liveHint(name), path)
	}
	return usagef("%s%s", lead(path), oneLine(err.Error()))
}

// lead is what a usage error of the command called path starts with: the
// command as typed after msgplay and a colon ("check competing: "), or
// nothing for msgplay itself. Run puts "msgplay: " before every error, so
// a message that named the whole path said msgplay twice.
func lead(path string) string {
	if sub := subcommand(path); sub != "" {
		return sub + ": "
	}
	return ""
}

// subcommand is the command called path as typed after msgplay.
func subcommand(path string) string {
	return strings.TrimPrefix(strings.TrimPrefix(path, "msgplay"), " ")
}

// extraArgs is the error of the command called path, which takes no
// positional arguments, given got.
func extraArgs(path, got string) error {
	return usagef("%s takes no arguments (got %q): see '%s --help'", subcommand(path), got, path)
}

// moreArgs is the error of the command called path, a pattern's check or
// compare, which takes no more positional arguments after the pattern,
// given got.
func moreArgs(path, got string) error {
	return usagef("%s takes no more arguments (got %q): see '%s --help'", subcommand(path), got, path)
}

// suggestFlag names the flag of fs that name, an unknown flag, was most
// likely meant to be, as " (did you mean --events?)", or "" when none is
// close: one within two edits, or the only one name starts.
func suggestFlag(fs *pflag.FlagSet, name string) string {
	if fs == nil || len(name) < 2 {
		return ""
	}
	best, bestDist := "", 3
	var prefixed []string
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		if strings.HasPrefix(f.Name, name) {
			prefixed = append(prefixed, f.Name)
		}
		if d := editDistance(name, f.Name); d < bestDist {
			best, bestDist = f.Name, d
		}
	})
	if best == "" && len(prefixed) == 1 {
		best = prefixed[0]
	}
	if best == "" {
		return ""
	}
	return " (did you mean --" + best + "?)"
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			diag, row[j] = row[j], min(row[j]+1, row[j-1]+1, diag+cost)
		}
	}
	return row[len(b)]
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
