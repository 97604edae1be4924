package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/patterns"
)

// patternArg reads the PATTERN that commands such as check and compare
// take first. It returns false with a nil error when it showed the
// command's help instead.
func patternArg(c *cobra.Command, args []string) (pattern, bool, error) {
	name := c.Name()
	if len(args) == 0 {
		return pattern{}, false, usagef("%s needs a pattern: msgplay %s PATTERN [flags]; patterns: %s", name, name,
			strings.Join(patternNames(), ", "))
	}
	if args[0] == "-h" || args[0] == "--help" {
		return pattern{}, false, c.Help()
	}
	if strings.HasPrefix(args[0], "-") {
		return pattern{}, false, flagsFirst(name, args)
	}
	p, ok := findPattern(args[0])
	if !ok {
		return pattern{}, false, usagef("%s: no pattern %q: want %s", name, args[0], patterns.OrList(patternNames()))
	}
	return p, true, nil
}

// flagsFirst is the error for a command given flags before its pattern.
// When the pattern is among the arguments, it shows them in the right
// order; otherwise it names the patterns.
func flagsFirst(name string, args []string) error {
	for i, a := range args {
		if _, ok := findPattern(a); ok && !strings.HasPrefix(a, "-") {
			moved := append(append([]string{a}, args[:i]...), args[i+1:]...)
			return usagef("%s: the pattern comes before the flags: msgplay %s %s", name, name, strings.Join(moved, " "))
		}
	}
	return usagef("%s: the pattern comes before the flags (got %s first): msgplay %s PATTERN [flags]; patterns: %s",
		name, args[0], name, strings.Join(patternNames(), ", "))
}

// patternHelp prints the usage of a command on pattern p: its own flags
// and the pattern's, all in fs.
func (app *App) patternHelp(path, cmdName string, p pattern, fs *pflag.FlagSet) error {
	_, err := fmt.Fprintf(app.IO.Out, "Usage:\n  %s [pattern flags] [%s flags]\n\n%s flags and %s flags:\n%s",
		path, cmdName, strings.ToUpper(cmdName[:1])+cmdName[1:], p.name, fs.FlagUsages())
	if err != nil {
		return &failure{code: ExitFailure, msg: "writing the output: " + err.Error()}
	}
	return nil
}
