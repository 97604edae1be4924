package cmd

import "github.com/spf13/cobra"

// liveMode, set by the live build (go build -tags live; see live.go), adds
// --live and its flags to a pattern's command c, whose scenario is s and
// whose run flags are run. The default build leaves it nil: it has no live
// mode, and never compiles the NATS server.
var liveMode func(app *App, p pattern, c *cobra.Command, s scenario, run *runOptions)

// liveCommands are the commands only the live build has: serve and join.
var liveCommands []func(app *App) *cobra.Command

// liveOnly names the flags and commands only the live build has.
var liveOnly = map[string]bool{"live": true, "broker": true, "token": true, "time-scale": true,
	"serve": true, "join": true}

// liveHint says, in the default build, where a flag or command of live
// mode is to be found; "" for anything else, and in the live build.
func liveHint(name string) string {
	if liveMode != nil || !liveOnly[name] {
		return ""
	}
	return " (live mode is in the live build: go run -tags live . …)"
}
