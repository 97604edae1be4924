//go:build live

package live

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// DialTimeout bounds connecting to a broker and asking it for JetStream:
// past it, a broker that does not answer is reported, not waited for.
const DialTimeout = 5 * time.Second

// ErrUsage marks an error in how the broker was named (a bad URL), as
// opposed to one reaching it.
var ErrUsage = errors.New("usage")

// CheckURL reports what is wrong with a --broker URL, naming the flag.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "nats" || u.Host == "" || u.Port() == "" {
		return fmt.Errorf("%w: --broker %q: want nats://HOST:PORT, as nats://127.0.0.1:4222", ErrUsage, raw)
	}
	return nil
}

// Redact returns the URL without the user information a token may hide in.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.User = nil
	return u.String()
}

// dialer makes connections to one broker: an in-process server, or one at
// a URL with a token.
type dialer struct {
	srv   *Server
	url   string
	token string
}

// dial connects and checks that the broker has JetStream, within
// DialTimeout, returning one plain line on failure.
func (d dialer) dial(name string) (*nats.Conn, jetstream.JetStream, error) {
	opts := []nats.Option{nats.Name(name), nats.Timeout(DialTimeout), nats.NoReconnect()}
	where := "the embedded server"
	var nc *nats.Conn
	var err error
	if d.srv != nil {
		nc, err = nats.Connect("", append(opts, nats.InProcessServer(d.srv.ns))...)
	} else {
		where = Redact(d.url)
		if d.token != "" {
			opts = append(opts, nats.Token(d.token))
		}
		nc, err = nats.Connect(d.url, opts...)
	}
	if err != nil {
		switch {
		case errors.Is(err, nats.ErrAuthorization) || strings.Contains(strings.ToLower(err.Error()), "authorization"):
			return nil, nil, fmt.Errorf("the broker at %s refused the connection: wrong or missing --token", where)
		case errors.Is(err, nats.ErrNoServers):
			// Refused at once, or silent for DialTimeout: either way
			// nothing there speaks NATS.
			return nil, nil, fmt.Errorf("cannot reach a broker at %s: nothing answered, or not within %s "+
				"(is msgplay serve running?)", where, DialTimeout)
		}
		return nil, nil, fmt.Errorf("cannot connect to the broker at %s: %v", where, err)
	}
	js, err := jetstream.New(nc)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), DialTimeout)
		_, err = js.AccountInfo(ctx)
		cancel()
	}
	if err != nil {
		nc.Close()
		if errors.Is(err, jetstream.ErrJetStreamNotEnabled) || errors.Is(err, jetstream.ErrJetStreamNotEnabledForAccount) ||
			errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) {
			return nil, nil, fmt.Errorf("the broker at %s has no JetStream (start nats-server with -js, or use msgplay serve)",
				where)
		}
		return nil, nil, fmt.Errorf("the broker at %s: JetStream: %v", where, err)
	}
	return nc, js, nil
}
