// Package trace holds the event contract of msgplay: the Event every
// simulation emits, the sinks that receive events, the summary computed from
// them and the renderers (text and JSON Lines) that show them.
package trace

import (
	"strconv"
	"time"
)

// Kind says what happened in an Event. The names are the contract of
// `--format json`: they may be extended, never renamed.
type Kind uint8

// The kinds of event. Run is always the first event of a trace and Summary the
// last. Each kind has one row in the table of kinds.go, which says how it is
// drawn and counted; the order here is the order of the summary's totals.
const (
	Run        Kind = iota // the run starts: pattern, seed, parameters
	Publish                // an event is put on a topic, to be copied to every matching subscription
	Send                   // a message is put on a queue (by a producer, or by a topic copying an event)
	Deliver                // a queue hands a message to a consumer
	Ack                    // a consumer settles a delivery as done
	Nack                   // a consumer gives a delivery back (or rejects it)
	AckLost                // an ack that settled nothing: it came after the delivery expired, or was lost on the way
	Timeout                // a visibility timeout ran out: the message is visible again
	Handle                 // a handler applied its business effect
	DeadLetter             // a message is moved to a dead-letter queue
	Drop                   // a message is lost, with why
	Skip                   // a handler recognised a duplicate and did not apply it again
	Call                   // a worker calls a service and waits for its response
	Response               // a service answers a call; the message type tells the outcome
	Crash                  // an actor crashes
	Restart                // a crashed actor starts again
	Begin                  // a local transaction begins
	Commit                 // a local transaction commits
	Rollback               // a local transaction rolls back
	Compensate             // a saga step is undone
	Fault                  // an injected fault starts or ends
	Breaker                // a circuit breaker changes state: closed, open or half-open
	Rebalance              // a consumer group hands its partitions out anew, pausing while it does
	Fetch                  // a consumer fetches what a message refers to (a claim check's blob)
	Elect                  // a replica stands for leader, or votes for one
	Leader                 // a replica becomes leader of a term, or steps down
	Replicate              // a leader (or a replica) copies a log entry to another replica
	Note                   // a plain explanation
	Summary                // the run ends: stats and verdicts
	numKinds
)

// String returns the contract name of the kind, such as "dead-letter".
func (k Kind) String() string {
	if k < numKinds {
		return kinds[k].name
	}
	return "unknown"
}

// ParseKind returns the Kind named s, and false when there is none.
func ParseKind(s string) (Kind, bool) {
	for k := range kinds {
		if s != "" && kinds[k].name == s {
			return Kind(k), true
		}
	}
	return 0, false
}

// Class is what a message means to its receiver. A command expects an
// outcome from one receiver; an event announces a fact to whoever listens
// and expects nothing; a reply answers a command.
type Class uint8

// The classes of message.
const (
	NoClass Class = iota
	Command
	EventMsg
	Reply
)

// String returns "command", "event" or "reply", and "" for no class.
func (c Class) String() string { return c.info().name }

// Msg identifies a message in an Event. ID is stable across redeliveries;
// Attempt counts deliveries from 1 (0 before the first delivery).
//
// ReplyTo and CorrelationID carry request/reply correlation, as AMQP's
// reply_to and correlation_id properties do: a request names the queue its
// replies go to, and a reply carries the correlation id of the request it
// answers. Checks read them to judge who got which answer, so a recorded
// trace can be judged without the simulation.
//
// Size, when told, is how many bytes the message puts through the broker,
// envelope included: a broker with a message size limit refuses the ones
// above it, and a check can add up what the broker carried.
type Msg struct {
	ID            string // empty for a numbered message whose text is not made yet: see Text
	Type          string
	Class         Class
	Key           string
	Attempt       int
	ReplyTo       string // on a request: the queue its replies go to
	CorrelationID string // on a request and its replies: the request they belong to
	Size          int64  // the bytes the message carries through the broker; 0 when not told

	// Num, when above 0, numbers the message as its ID does: messages with
	// the same ID have the same Num, and messages with different IDs
	// different ones. The statistics and the checks then find a message in
	// flight by its number, not by hashing its ID. It is not part of the
	// trace contract: a trace without it is judged the same way, by ID.
	Num uint64
	// Names, when set on a message with a Num and no ID, says how its ID
	// and Key are made from the number: they are made only when something
	// reads them. The Recorder fills them in for every sink but the
	// Numeric ones; others call Text.
	Names *Numbering
}

// Numbering makes the ids and keys of numbered messages: message n has
// the id ID+n and the key Key+(KeyFrom+n), or no key when Key is empty.
type Numbering struct {
	ID, Key string
	KeyFrom uint64
}

// Text returns the id and the key of message n, cut from one string: one
// allocation for both.
func (s *Numbering) Text(n uint64) (id, key string) {
	var buf [64]byte
	b := strconv.AppendUint(append(buf[:0], s.ID...), n, 10)
	if s.Key == "" {
		return string(b), ""
	}
	i := len(b)
	b = strconv.AppendUint(append(b, s.Key...), s.KeyFrom+n, 10)
	t := string(b)
	return t[:i], t[i:]
}

// numbered reports whether the message's id and key are still to be made
// from its number: it has Names and no ID.
func (m *Msg) numbered() bool { return m.ID == "" && m.Names != nil }

// Text returns the message's id and key, made from its number when it
// has Names and no ID.
func (m *Msg) Text() (id, key string) {
	if m.numbered() {
		return m.Names.Text(m.Num)
	}
	return m.ID, m.Key
}

// IDText returns the message's id, made from its number when it has Names
// and no ID.
func (m *Msg) IDText() string {
	id, _ := m.Text()
	return id
}

// Param is one named parameter of a run, kept in the order it was given.
// Value is data, in the syntax of the flag that set it, so a check can read
// it; Hint is a remark for people ("one per order"), shown after the value
// by the text renderers and never read by a check.
type Param struct {
	Name, Value string
	Hint        string
}

// Display returns the value as a person reads it: "3 (one per order)".
func (p Param) Display() string {
	if p.Hint == "" {
		return p.Value
	}
	return p.Value + " (" + p.Hint + ")"
}

// Write is one write of a committed transaction: Key set to Value, or Key
// deleted.
type Write struct {
	Key, Value string
	Deleted    bool
}

// Event is one thing that happened in a simulation. Seq and T are set by the
// Recorder; the rest by whoever emits the event. Msg is meaningful when
// HasMsg says so.
type Event struct {
	Seq   int64
	T     time.Duration
	Kind  Kind
	Actor string
	To    string
	Msg   Msg
	Note  string
	Took  time.Duration // how long a handler worked, on Handle and Nack events

	// Why is a teaching sentence for the events that teach something: why
	// a message came back, was dead-lettered, was lost, was compensated.
	// The text trace shows it under the event with --explain.
	Why string

	Writes []Write  // on Commit events: what the transaction wrote, in order
	Params []Param  // on Run events
	Actors []string // on Run events: every actor, queue and topic set up before the run
	Report *Report  // on Summary events
}

// HasMsg reports whether the event is about a message.
func (e *Event) HasMsg() bool { return e.Msg.has() }

// has reports whether m is a message: it has an ID, or Names to make one.
func (m *Msg) has() bool { return m.ID != "" || m.Names != nil }

// MsgEvent is an event as a Follower takes it: the fields an event about
// a message has, with the message pointed at, not copied. Like an Event
// it is only lent for the call, the message with it. Attempt is the
// event's; Msg.Attempt may differ (a broker's message counts on), so
// read Attempt. On the narrow path a numbered message comes without its
// ID and Key text; made by AsMsg it has them when another sink wanted
// them, so read it by its number (Msg.Num, Msg.Names), as a Numeric sink
// does. A MsgEvent has no Why: the events that teach come as Events,
// whose Why a Follower's Event may read before it passes them on.
type MsgEvent struct {
	Seq     int64         // as Event.Seq: the event's place in the trace
	T       time.Duration // as Event.T: the virtual time it happened at
	Kind    Kind
	Attempt int    // the delivery attempt the event is about, from 1; 0 before the first
	Actor   string // who did it, as Event.Actor
	To      string // whom it went to, as Event.To
	Msg     *Msg   // never nil: an event with no message points at an empty one
	Took    time.Duration
	Note    string
}

// HasMsg reports whether the event is about a message.
func (e *MsgEvent) HasMsg() bool { return e.Msg.has() }

// AsMsg returns e as a Follower takes it, pointing at e's message: for
// a Follower's Event to pass to Follow.
func (e *Event) AsMsg() MsgEvent {
	return MsgEvent{Seq: e.Seq, T: e.T, Kind: e.Kind, Attempt: e.Msg.Attempt, Actor: e.Actor, To: e.To,
		Msg: &e.Msg, Took: e.Took, Note: e.Note}
}
