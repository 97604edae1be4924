package competing

import "errors"

// LiveReady reports, naming the flag and saying why, what of the scenario
// a live run on NATS JetStream cannot do faithfully; nil when it can run
// live.
func (cfg Config) LiveReady() error {
	if cfg.VisibilityTimeout == 0 {
		return errors.New("--visibility-timeout 0 (back when the connection closes, as RabbitMQ) has no " +
			"JetStream equivalent in --live: give an AckWait, such as 500ms")
	}
	return nil
}
