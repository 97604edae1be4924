package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/msgplay/msgplay/patterns"
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
				return usagef("explain: no pattern %q: want %s", args[0], patterns.OrList(patternNames()))
			}
			if err := writeExplanation(app.IO.Out, def); err != nil {
				return &failure{code: ExitFailure, msg: "writing the output: " + err.Error()}
			}
			return nil
		},
	}
}

// writeExplanation writes everything msgplay knows about a pattern.
func writeExplanation(w io.Writer, p pattern) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\n\n%s\n", p.name, p.summary, p.about)

	if len(p.variants) > 0 {
		b.WriteString("\nVariants, and what `msgplay check` holds each to:\n")
		for i, v := range p.variants {
			claim := "guarantees nothing: its failures are the lesson"
			if len(v.guarantees) > 0 {
				claim = "guarantees " + strings.Join(v.guarantees, ", ")
			}
			flags := strings.Join(p.bind(pflag.NewFlagSet(p.name, pflag.ContinueOnError)).apply(i), " ")
			if flags == "" {
				flags = "the default"
			}
			fmt.Fprintf(&b, "  %s (%s)\n      %s\n      %s\n", v.name, flags, v.about, claim)
		}
	}

	fs := pflag.NewFlagSet(p.name, pflag.ContinueOnError)
	p.bind(fs)
	b.WriteString("\nFlags:\n" + fs.FlagUsages())

	if len(p.demos) > 0 {
		b.WriteString("\nDemos:\n" + examples(p.name, p.demos) + "\n")
	}
	if p.live != "" {
		b.WriteString("\nLive mode (the live build, go build -tags live): --live runs it on NATS JetStream:\n" +
			p.live + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
