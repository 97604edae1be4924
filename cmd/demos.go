package cmd

import (
	"strings"

	"github.com/msgplay/msgplay/patterns"
)

// examples writes a pattern's demos as the Examples section of its help.
func examples(name string, demos []patterns.Demo) string {
	var b strings.Builder
	for i, d := range demos {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString("  # " + d.Title + "\n")
		b.WriteString("  msgplay " + name)
		for _, a := range d.Args {
			b.WriteString(" " + a)
		}
	}
	return b.String()
}
