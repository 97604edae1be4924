package cmd

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newListCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Short:   "list every pattern with a one-line summary",
		Example: "  msgplay list",
		Args:    noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			tw := tabwriter.NewWriter(app.IO.Out, 0, 0, 2, ' ', 0)
			for _, p := range c.Root().Commands() {
				if p.Annotations[patternAnnotation] == "" {
					continue
				}
				name := p.Name()
				if len(p.Aliases) > 0 {
					name += " (" + strings.Join(p.Aliases, ", ") + ")"
				}
				fmt.Fprintf(tw, "%s\t%s\n", name, p.Short)
			}
			if err := tw.Flush(); err != nil {
				return &failure{code: ExitFailure, msg: err.Error()}
			}
			return nil
		},
	}
}
