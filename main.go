// Command msgplay is a playground for asynchronous messaging patterns: each
// subcommand simulates one pattern on virtual time and prints the life of
// every message. See README.md.
package main

import (
	"os"

	"github.com/msgplay/msgplay/cmd"
)

func main() { os.Exit(cmd.Main()) }
