//go:build live

package cmd

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"strings"

	"github.com/spf13/cobra"

	"github.com/msgplay/msgplay/internal/live"
)

// newServeCmd returns `msgplay serve`: a NATS server with JetStream for a
// workshop room.
func newServeCmd(app *App) *cobra.Command {
	var o live.ServerOptions
	c := &cobra.Command{
		Use:   "serve",
		Short: "Run a NATS JetStream broker for live runs and a room that joins them",
		Long: `serve starts a NATS server with JetStream, embedded in msgplay, for live runs
(PATTERN --live --broker URL) and the join processes of a workshop room.

It listens on 127.0.0.1:4222 unless told otherwise. Listening on any other
address needs a token: give one with --token, or serve makes one and prints
it; clients without it are refused. Streams live in a temporary directory
removed at exit, or in --store DIR, where a killed and restarted serve
finds them again. Ctrl-C stops it (exit 130).`,
		Example: `  msgplay serve
  msgplay serve --listen 0.0.0.0:4222 --store ./jetstream`,
		Args: noArgs,
	}
	o.Listen = "127.0.0.1:4222"
	c.Flags().StringVar(&o.Listen, "listen", o.Listen, "`HOST:PORT` to listen on (port 0: any free one)")
	c.Flags().StringVar(&o.Token, "token", "", "the token clients must give (default: none on 127.0.0.1, else one is made)")
	c.Flags().StringVar(&o.StoreDir, "store", "", "keep the streams in `DIR` (default: a temporary directory)")
	c.RunE = func(c *cobra.Command, args []string) error {
		host, _, err := net.SplitHostPort(o.Listen)
		if err != nil {
			return usagef("--listen %q: want HOST:PORT, as 127.0.0.1:4222", o.Listen)
		}
		if o.Token == "" && !isLoopback(host) {
			var buf [12]byte
			rand.Read(buf[:])
			o.Token = hex.EncodeToString(buf[:])
		}
		srv, err := live.StartServer(o)
		if err != nil {
			if strings.HasPrefix(err.Error(), "--listen") {
				return usagef("%v", err)
			}
			return &failure{code: ExitFailure, msg: err.Error()}
		}
		defer srv.Shutdown()
		store := o.StoreDir
		if store == "" {
			store = "a temporary directory, removed at exit"
		}
		auth, url := "", srv.URL()
		if o.Token != "" {
			auth = " --token " + o.Token
		}
		out := app.IO.Out
		fmt.Fprintf(out, "msgplay serve: NATS JetStream on %s; streams in %s\n", url, store)
		if o.Token != "" {
			fmt.Fprintf(out, "token: %s\n", o.Token)
		}
		fmt.Fprintf(out, "presenter: msgplay competing --live --broker %s%s\n", url, auth)
		fmt.Fprintf(out, "attendees: msgplay join competing --broker %s%s --name YOUR-NAME\n", url, auth)
		fmt.Fprintln(out, "Ctrl-C stops it.")
		<-app.interrupt()
		return &failure{code: ExitInterrupted}
	}
	return c
}

// isLoopback reports whether host is a loopback address (or localhost).
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
