package cmd

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/patterns"
)

// patternArg reads the PATTERN that commands such as check and compare
// take first, and returns the arguments after it. Global flags (--color)
// may come anywhere, as for any other command: patternArg sets them and
// leaves them out. It returns false with a nil error when it showed the
// command's help instead.
func patternArg(c *cobra.Command, args []string) (pattern, []string, bool, error) {
	name := c.Name()
	args, err := takeGlobals(c.Root().PersistentFlags(), args)
	if err != nil {
		return pattern{}, nil, false, err
	}
	if len(args) == 0 {
		return pattern{}, nil, false, usagef("%s needs a pattern: msgplay %s PATTERN [flags]; patterns: %s", name, name,
			strings.Join(patternNames(), ", "))
	}
	if args[0] == "-h" || args[0] == "--help" {
		return pattern{}, nil, false, c.Help()
	}
	if strings.HasPrefix(args[0], "-") {
		return pattern{}, nil, false, flagsFirst(name, args)
	}
	p, ok := findPattern(args[0])
	if !ok {
		return pattern{}, nil, false, usagef("%s: no pattern %q: want %s", name, args[0], patterns.OrList(patternNames()))
	}
	return p, args[1:], true, nil
}

// takeGlobals sets the global flags among args (--color always, or
// --color=always) and returns the other arguments, in their order.
func takeGlobals(globals *pflag.FlagSet, args []string) ([]string, error) {
	rest := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(rest, args[i:]...), nil
		}
		flag, value, inline := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		f := globals.Lookup(flag)
		if !strings.HasPrefix(a, "--") || f == nil {
			rest = append(rest, a)
			continue
		}
		if !inline {
			if i+1 == len(args) {
				return nil, usagef("--%s needs a value: see 'msgplay --help'", flag)
			}
			i++
			value = args[i]
		}
		if err := f.Value.Set(value); err != nil {
			return nil, usagef("--%s: %v", flag, err)
		}
	}
	return rest, nil
}

// flagsFirst is the error for a command given flags before its pattern.
// When the pattern follows them, it shows the arguments in the right
// order (when that fits a line); otherwise it names the patterns.
func flagsFirst(name string, args []string) error {
	for i, a := range args {
		if _, ok := findPattern(a); ok && !strings.HasPrefix(a, "-") {
			fixed := "msgplay " + name + " " + strings.Join(slices.Concat(args[i:i+1], args[:i], args[i+1:]), " ")
			if len(fixed) > 60 {
				fixed = "msgplay " + name + " " + a + " [flags]"
			}
			return usagef("%s: the pattern comes before the flags: %s", name, fixed)
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
