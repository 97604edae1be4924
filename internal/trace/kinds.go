package trace

import "github.com/fatih/color"

// This file is the one place that says how each kind and each class of
// message looks and counts. Every renderer (text, lanes, Mermaid, HTML)
// and the statistics read these tables; a new kind is one constant in
// event.go and one row here, and TestEveryKindHasARow fails until the row
// is there.

// kindInfo describes one kind for every renderer and for the statistics.
type kindInfo struct {
	name   string // the contract name, as `--format json` writes it
	symbol string // one column: the mark on the actor's lane, the head of its arrow
	role   role   // the color it is drawn in
	// classMark: on a text line, the message's class mark (▶ ▷ ◀) stands
	// in for the symbol when the event carries a message.
	classMark bool
	// move says how the event is drawn when it goes from one actor to
	// another with a message; noMove kinds are always marks on the lane.
	move move
	// mermaid is the Mermaid arrow of an ack-like or drop-like move; the
	// by-class moves take their message class's arrow.
	mermaid string
	// html is the CSS class of the event in the HTML page; "" takes the
	// message class's (cmd, evt, rep, msg).
	html string
	// total is the summary total that counts the kind ("" for none), shown
	// always, or only when not zero with ifAny. Totals come in kind order.
	total string
	ifAny bool
}

// role is the color a kind is drawn in; style.go maps roles to terminal
// attributes.
type role uint8

// The roles.
const (
	plain role = iota // no color of its own
	info              // a fact worth seeing: an event published, a duplicate skipped
	good              // done: acked, handled, committed, restarted
	warn              // back or undone for now: nacked, timed out, rolled back
	bad               // lost or broken: dropped, dead-lettered, crashed
	alarm             // an injected fault
	undo              // a compensation
	quiet             // background: a transaction begins, a note
)

// move is how an event between two actors is drawn.
type move uint8

// The moves.
const (
	noMove    move = iota // a mark on the actor's own lane
	byClass               // the message moves: line and head by its class
	classLine             // the message moves and ends there: line by class, head by the kind's symbol
	answer                // a settlement going back: a dashed line headed by the kind's symbol
	lose                  // a message lost on the way: a solid line headed by the kind's symbol
)

// kinds is the table of kinds, one row each.
var kinds = [numKinds]kindInfo{
	Run:        {name: "run", symbol: "▶", html: "other"},
	Publish:    {name: "publish", symbol: "▷", role: info, classMark: true, move: byClass, total: "published", ifAny: true},
	Send:       {name: "send", symbol: "→", classMark: true, move: byClass, total: "sent"},
	Deliver:    {name: "deliver", symbol: "↳", move: byClass, total: "delivered"},
	Ack:        {name: "ack", symbol: "✔", role: good, move: answer, mermaid: "-->>", html: "ack", total: "acked"},
	Nack:       {name: "nack", symbol: "↩", role: warn, move: answer, mermaid: "-->>", html: "nack"},
	AckLost:    {name: "ack-lost", symbol: "⊘", role: warn, move: answer, mermaid: "--x", html: "lost"},
	Timeout:    {name: "timeout", symbol: "↺", role: warn, html: "nack"},
	Handle:     {name: "handle", symbol: "●", role: good, html: "good", total: "handled"},
	DeadLetter: {name: "dead-letter", symbol: "☒", role: bad, move: classLine, html: "drop", total: "dead-lettered"},
	Drop:       {name: "drop", symbol: "∅", role: bad, move: lose, mermaid: "-x", html: "drop", total: "dropped"},
	Skip:       {name: "skip", symbol: "○", role: info, html: "other", total: "skipped", ifAny: true},
	Call:       {name: "call", symbol: "⇒", classMark: true, move: byClass, total: "calls", ifAny: true},
	Response:   {name: "response", symbol: "⇐", classMark: true, move: byClass},
	Crash:      {name: "crash", symbol: "✗", role: bad, html: "drop"},
	Restart:    {name: "restart", symbol: "↑", role: good, html: "good"},
	Begin:      {name: "begin", symbol: "┌", role: quiet, html: "other"},
	Commit:     {name: "commit", symbol: "◆", role: good, html: "good"},
	Rollback:   {name: "rollback", symbol: "◇", role: warn, html: "nack"},
	Compensate: {name: "compensate", symbol: "↶", role: undo, html: "comp"},
	Fault:      {name: "fault", symbol: "▲", role: alarm, html: "fault"},
	Breaker:    {name: "breaker", symbol: "◉", role: alarm, html: "fault"},
	Rebalance:  {name: "rebalance", symbol: "⇄", role: warn, html: "nack"},
	Fetch:      {name: "fetch", symbol: "⇣", role: info, html: "other", total: "fetched", ifAny: true},
	Elect:      {name: "elect", symbol: "◎", role: warn, html: "nack"},
	Leader:     {name: "leader", symbol: "★", role: info, html: "other"},
	Replicate:  {name: "replicate", symbol: "⇉", move: byClass, total: "replicated", ifAny: true},
	Note:       {name: "note", symbol: "·", role: quiet, html: "other"},
	Summary:    {name: "summary", symbol: "■", html: "other"},
}

// classInfo describes how a class of message looks everywhere: a command
// is a firm arrow to one receiver that owes an outcome, an event a light
// dashed one to whoever listens, a reply an arrow coming back.
type classInfo struct {
	name     string            // the contract name; "" for no class
	tag      string            // three letters before the type on a text line; also the HTML CSS class
	mark     string            // one column, on send and publish lines
	legend   string            // two columns, in the header's legend
	attrs    []color.Attribute // its color, on the type and on its arrows
	attrs256 []color.Attribute // the same on a 256-color terminal, where it differs
	stroke   stroke            // the lanes arrow
	mermaid  string            // the Mermaid arrow
}

// classes is the table of classes, one row each.
var classes = [...]classInfo{
	NoClass: {tag: "msg", mark: "▶", stroke: stroke{'─', '▶', '◀'}, mermaid: "->>"},
	Command: {name: "command", tag: "cmd", mark: "▶", legend: "━▶", attrs: []color.Attribute{color.Bold},
		stroke: stroke{'━', '▶', '◀'}, mermaid: "->>"},
	EventMsg: {name: "event", tag: "evt", mark: "▷", legend: "┈▷", attrs: []color.Attribute{color.FgCyan, color.Italic},
		attrs256: append(fg256(30), color.Italic),
		stroke:   stroke{'┈', '▷', '◁'}, mermaid: "-)"},
	Reply: {name: "reply", tag: "rep", mark: "◀", legend: "◀━", attrs: []color.Attribute{color.FgMagenta}, attrs256: fg256(127),
		stroke: stroke{'╌', '▶', '◀'}, mermaid: "-->>"},
}

// known returns k, or Run (drawn plain) for a kind with no row.
func (k Kind) known() Kind {
	if k < numKinds {
		return k
	}
	return Run
}

// info returns the row of a kind; an unknown kind gets an empty row.
func (k Kind) info() *kindInfo {
	if k < numKinds {
		return &kinds[k]
	}
	return &kindInfo{}
}

// known returns c, or NoClass for a class with no row.
func (c Class) known() Class {
	if int(c) < len(classes) {
		return c
	}
	return NoClass
}

// info returns the row of a class; an unknown class is drawn as none.
func (c Class) info() *classInfo { return &classes[c.known()] }

// carries reports whether the kind takes the message itself to the
// receiver (a send, a delivery, a dead letter), rather than settling it.
func (k Kind) carries() bool {
	m := k.info().move
	return m == byClass || m == classLine
}

// moves reports how e is drawn between two actors, and false when it is
// a mark on its actor's own lane: it has no message, no receiver, or is a
// kind that never moves.
func (e *Event) moves() (move, bool) {
	if e.To == "" || e.To == e.Actor || !e.HasMsg() {
		return noMove, false
	}
	m := e.Kind.info().move
	return m, m != noMove
}

// IsArrow reports whether e is drawn as an arrow from one actor to another
// (a message moving), rather than as a mark on its actor's lane. Every
// renderer draws the same events as arrows.
func IsArrow(e *Event) bool {
	_, ok := e.moves()
	return ok
}

// byClassStyle reports whether e takes its message class's color rather
// than its kind's: a message being sent, published or delivered.
func byClassStyle(e *Event) bool {
	return e.HasMsg() && e.Kind.info().move == byClass
}
