package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func newExplainCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:     "explain PATTERN",
		Short:   "explain a pattern: what it is for, its variants and what each guarantees, its flags and demos",
		Example: `  msgplay explain competing`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("explain takes one pattern: msgplay explain PATTERN; patterns: %s", strings.Join(patternNames(), ", "))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			def, ok := findPattern(args[0])
			if !ok {
				return usagef("explain: no pattern %q: want %s", args[0], orList(patternNames()))
			}
			if err := writeExplanation(app.IO.Out, def); err != nil {
				return &failure{code: ExitFailure, msg: "writing the output: " + err.Error()}
			}
			return nil
		},
	}
}

// writeExplanation writes everything msgplay knows about a pattern.
func writeExplanation(w io.Writer, def patternDef) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\n\n%s\n", def.name, def.summary, def.about)

	if len(def.variants) > 0 {
		b.WriteString("\nVariants, and what `msgplay check` holds each to:\n")
		for _, v := range def.variants {
			claim := "guarantees nothing: its failures are the lesson"
			if len(v.Guarantees) > 0 {
				claim = "guarantees " + strings.Join(v.Guarantees, ", ")
			}
			fmt.Fprintf(&b, "  %s (%s)\n      %s\n      %s\n", v.Name, strings.Join(v.Args, " "), v.About, claim)
		}
	}

	fs := pflag.NewFlagSet(def.name, pflag.ContinueOnError)
	def.flags(fs)
	b.WriteString("\nFlags:\n" + fs.FlagUsages())

	if len(def.demos) > 0 {
		b.WriteString("\nDemos:\n" + examples(def.name, def.demos) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
