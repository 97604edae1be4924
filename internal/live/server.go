//go:build live

package live

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// ServerOptions say how to start an embedded NATS server with JetStream.
type ServerOptions struct {
	// Listen is HOST:PORT to listen on; "" opens no port at all, for a run
	// whose clients all live in this process.
	Listen string
	// Token, when set, is required of every client.
	Token string
	// StoreDir keeps the streams; "" uses a fresh temporary directory that
	// Shutdown removes.
	StoreDir string
}

// Server is an embedded NATS server with JetStream.
type Server struct {
	ns     *server.Server
	tmp    string // the temporary store, removed at Shutdown
	listen bool   // it opened a port
}

// StartServer starts an embedded server and waits, at most 10s, until it
// takes connections.
func StartServer(o ServerOptions) (*Server, error) {
	s := &Server{}
	dir := o.StoreDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "msgplay-jetstream-")
		if err != nil {
			return nil, err
		}
		s.tmp, dir = tmp, tmp
	}
	opts := &server.Options{ServerName: "msgplay", JetStream: true, StoreDir: dir, NoSigs: true, NoLog: true,
		Authorization: o.Token, MaxPayload: 1 << 20}
	if o.Listen == "" {
		opts.DontListen = true
	} else {
		host, port, err := net.SplitHostPort(o.Listen)
		if err != nil {
			return nil, fmt.Errorf("--listen %s: want HOST:PORT, as 127.0.0.1:4222", o.Listen)
		}
		n, err := strconv.Atoi(port)
		if err != nil || n < 0 || n > 65535 {
			return nil, fmt.Errorf("--listen %s: the port must be a number from 0 to 65535", o.Listen)
		}
		opts.Host, opts.Port = host, n
		if n == 0 {
			opts.Port = server.RANDOM_PORT
		}
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		s.removeTemp()
		return nil, fmt.Errorf("starting NATS: %v", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		s.removeTemp()
		return nil, errors.New("the NATS server did not come up in 10s (is the port taken?)")
	}
	s.ns, s.listen = ns, o.Listen != ""
	return s, nil
}

// URL returns the nats:// address clients reach the server at, without
// the token; "" for a server that opens no port.
func (s *Server) URL() string {
	if !s.listen {
		return ""
	}
	return s.ns.ClientURL()
}

// Shutdown stops the server and removes its temporary store, if it has one.
func (s *Server) Shutdown() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
	s.removeTemp()
}

func (s *Server) removeTemp() {
	if s.tmp != "" {
		os.RemoveAll(s.tmp)
	}
}
