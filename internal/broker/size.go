package broker

import (
	"errors"

	"github.com/msgplay/msgplay/internal/trace"
)

// ErrTooLarge is what a send returns for a message above the broker's
// message size limit.
var ErrTooLarge = errors.New("message too large")

// SetMaxMessageSize makes the broker refuse any message whose Size is above
// n bytes, as SQS (256 KiB), Service Bus (256 KiB standard, 100 MB premium),
// Kafka (message.max.bytes) and NATS (max_payload) do; 0 means no limit.
// Call it while setting up, before the run starts.
func (b *Broker) SetMaxMessageSize(n int64) { b.maxSize = n }

// MaxMessageSize returns the size limit, 0 for none.
func (b *Broker) MaxMessageSize() int64 { return b.maxSize }

// tooLarge refuses a send of m from from to to when m is above the size
// limit, telling it as a drop by the sender (the broker takes nothing, so
// the message is lost unless the sender does something else with it), and
// returns nil when it fits.
func (b *Broker) tooLarge(from, to string, m *Message) error {
	if b.maxSize == 0 || m.Size <= b.maxSize {
		return nil
	}
	b.w.Emit(trace.Event{Kind: trace.Drop, Actor: from, To: to, Msg: m.Msg,
		Note: "refused: " + trace.FormatBytes(m.Size) + " is over the broker's " +
			trace.FormatBytes(b.maxSize) + " message size limit",
		Why: "A broker caps the size of one message. It refuses a bigger one at the door; the sender gets " +
			"an error and the message goes nowhere. Retrying cannot help: it is just as big the next time."})
	return ErrTooLarge
}
