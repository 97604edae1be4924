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
			for _, p := range patternList {
				name := p.name
				if len(p.aliases) > 0 {
					name += " (" + strings.Join(p.aliases, ", ") + ")"
				}
				fmt.Fprintf(tw, "%s\t%s\n", name, p.summary)
			}
			if err := tw.Flush(); err != nil {
				return &failure{code: ExitFailure, msg: err.Error()}
			}
			return nil
		},
	}
}
