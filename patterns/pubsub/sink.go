package pubsub

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// Sink computes the per-subscription summary from the events alone: what
// each subscription received, handled, handled twice, skipped as a
// duplicate, missed and dead-lettered, its backlog over time, and the lag
// from an order's publication to its handling.
type Sink struct {
	topic     string // drops by the topic are events a subscription never received
	publisher string
	subs      []*subStats
	byQueue   map[string]*subStats
	// A message's slot in the subscriptions' states: N for an id of one
	// letter and a number N (e12, c7), so that a long run needs no map;
	// any other id gets a slot from extra, counted down from -1.
	prefix    byte
	extra     map[string]int32
	origin    check.Dense[time.Duration] // by slot: 1 + when the event was published, 0 if not
	originKey map[string]time.Duration   // order key → when placed, in direct mode (see keyNum)
	originNum check.Dense[time.Duration] // the same by the number of a key keyPrefix<N>, 1 + when
	keyPrefix string                     // the prefix of numbered keys, from the first key seen
	top       int32                      // the highest numbered slot published
	forgotten check.Dense[int32]         // by page of slots: the subscriptions that forgot it
	nPublish  int64
	end       time.Duration
}

// sparkColumns is how many characters a backlog sparkline has at most.
const sparkColumns = 16

// The bits of a message's state in one subscription; the low bits count
// how many times it was handled.
const (
	sentBit    uint8 = 0x80
	deadBit    uint8 = 0x40
	droppedBit uint8 = 0x20
	countMask  uint8 = 0x1f
)

type subStats struct {
	name, queue, kind, filter string
	durable                   bool

	received, handled, dupHandled, skipped, missed, deadLettered int64
	backlog, maxBacklog                                          int64

	spark     trace.Sparkline
	lag       trace.Histogram
	unsent    int64                 // matching events dropped at publication, never received
	state     check.Dense[uint8]    // by numbered slot
	pages     check.Dense[pageLife] // by page of numbered slots
	settled   uint8                 // what a forgotten slot reads as (see forget)
	extra     map[int32]*uint8      // by other slots
	missedWhy []string              // the first few events missed, with why
}

// pageLife is what a subscription knows of one page of numbered slots:
// how many of its messages are pending (see pending), and whether the
// page was forgotten.
type pageLife struct {
	pending   int32
	forgotten bool
}

// pending reports whether a message in state b may yet change a verdict:
// it was received and not handled, and, on a durable subscription, a dead
// letter or a loss is evidence to keep (a transient one's losses are
// counted, not listed).
func (st *subStats) pending(b uint8) bool {
	return b&sentBit != 0 && b&countMask == 0 && (st.durable || b&(deadBit|droppedBit) == 0)
}

// NewSink returns a Sink that learns the subscriptions from the run event:
// its parameters declare the mode, the subscribers and which of them are
// transient, filtered or a group of instances. So a recorded trace can be
// judged without the Config that made it.
func NewSink() *Sink {
	return &Sink{topic: Topic, publisher: Publisher, byQueue: map[string]*subStats{},
		extra: map[string]int32{}, originKey: map[string]time.Duration{}}
}

// declare makes the subscriptions the run's parameters name. Their values
// are data in the syntax of the flags that set them: "a,b" lists and
// "name=value" pairs.
func (s *Sink) declare(params []trace.Param) {
	var cfg Config
	filters := map[string]string{}
	for _, p := range params {
		switch p.Name {
		case "mode":
			cfg.Mode = Mode(p.Value)
		case "subscribers":
			cfg.Subscribers = paramList(p.Value)
		case "transient":
			cfg.Transient = paramList(p.Value)
		case "instances":
			cfg.Instances = map[string]int{}
			for name, v := range paramPairs(p.Value) {
				cfg.Instances[name], _ = strconv.Atoi(v)
			}
		case "filter":
			for name, v := range paramPairs(p.Value) {
				filters[name] = v
			}
		}
	}
	for _, name := range cfg.Subscribers {
		st := &subStats{name: name, queue: cfg.QueueName(name), durable: !cfg.IsTransient(name), filter: "all"}
		st.kind = "durable"
		if cfg.Mode == Direct {
			st.kind = "commands"
		} else if !st.durable {
			st.kind = "transient"
		}
		if n := cfg.Instances[name]; n > 1 {
			st.kind += " ×" + strconv.Itoa(n)
		}
		if f := filters[name]; f != "" {
			st.filter = f
		}
		s.subs = append(s.subs, st)
		s.byQueue[st.queue] = st
	}
}

// paramList splits a list parameter, "a,b,c".
func paramList(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// paramPairs yields the name and value of each "name=value" in a list
// parameter.
func paramPairs(v string) func(yield func(string, string) bool) {
	return func(yield func(string, string) bool) {
		for _, item := range paramList(v) {
			if name, val, ok := strings.Cut(item, "="); ok && !yield(name, val) {
				return
			}
		}
	}
}

// slotOf returns the slot of message id.
func (s *Sink) slotOf(id string) int32 {
	if n, ok := s.numbered(id); ok {
		return n
	}
	i, ok := s.extra[id]
	if !ok {
		i = -int32(len(s.extra)) - 1
		s.extra[id] = i
	}
	return i
}

// numbered parses an id of one letter and a number, the letter the same
// for every such id of the run.
func (s *Sink) numbered(id string) (int32, bool) {
	if len(id) < 2 || len(id) > 10 || id[0] < 'a' || id[0] > 'z' || id[1] == '0' {
		return 0, false
	}
	if s.prefix == 0 {
		s.prefix = id[0]
	}
	if id[0] != s.prefix {
		return 0, false
	}
	n, ok := patterns.KeyNumber(id, id[:1], 0)
	return int32(n), ok && n <= 1<<30
}

// slot returns the state of message id in st, making room for it, and
// the page of a numbered slot (-1 for others).
func (s *Sink) slot(st *subStats, id string) (*uint8, int) {
	i := s.slotOf(id)
	if i < 0 {
		if st.extra == nil {
			st.extra = map[int32]*uint8{}
		}
		p := st.extra[i]
		if p == nil {
			p = new(uint8)
			st.extra[i] = p
		}
		return p, -1
	}
	page := int(i) / check.DensePage
	if st.pages.At(page).forgotten {
		st.settled = sentBit | 1
		return &st.settled, -1
	}
	return st.state.At(int(i)), page
}

// change applies fn to the state of message id in st, keeps its page's
// count of pending messages, and forgets the page once it can. It returns
// the state before.
func (s *Sink) change(st *subStats, id string, fn func(*uint8)) uint8 {
	p, page := s.slot(st, id)
	was := *p
	fn(p)
	if page < 0 || st.pending(was) == st.pending(*p) {
		return was
	}
	life := st.pages.At(page)
	if st.pending(*p) {
		life.pending++
	} else {
		life.pending--
		s.forget(st, page)
	}
	return was
}

// forget drops st's page of numbered slots once no message in it can change
// a verdict: every one published a page ago or more (a topic copies an
// event as it is published), and none pending. Each of its messages then
// reads as handled: those never received here are never listed, and one
// received again is a duplicate, as it would be. Once every subscription
// forgot a page, so does the publication time of its events. So a long run
// keeps what is in flight, not a byte per message.
func (s *Sink) forget(st *subStats, page int) {
	life := st.pages.At(page)
	if life.forgotten || life.pending > 0 || int(s.top) < (page+2)*check.DensePage {
		return
	}
	life.forgotten = true
	st.state.Free(page * check.DensePage)
	n := s.forgotten.At(page)
	if *n++; int(*n) == len(s.subs) {
		s.origin.Free(page * check.DensePage)
	}
}

// published moves the highest numbered slot published to i, forgetting
// the pages that passes.
func (s *Sink) published(i int32) {
	if i <= s.top {
		return
	}
	from := max(int(s.top)/check.DensePage-1, 0)
	s.top = i
	for page := from; (page+2)*check.DensePage <= int(i); page++ {
		for _, st := range s.subs {
			s.forget(st, page)
		}
	}
}

// keyNum returns N for a key keyPrefix<N>; the first key that ends in a
// number sets the prefix.
func (s *Sink) keyNum(key string) (int, bool) {
	if s.keyPrefix == "" {
		if p, ok := patterns.NumberPrefix(key); ok && p != "" {
			s.keyPrefix = p
		}
	}
	n, ok := patterns.KeyNumber(key, s.keyPrefix, 0)
	return n, ok && s.keyPrefix != "" && n <= patterns.MaxDense
}

// placed notes when the order with key was placed, if it is the first
// time: a byte or eight an order, by its number, not a map entry.
func (s *Sink) placed(key string, t time.Duration) {
	if n, ok := s.keyNum(key); ok {
		if p := s.originNum.At(n); *p == 0 {
			*p = t + 1
		}
	} else if _, ok := s.originKey[key]; !ok {
		s.originKey[key] = t
	}
}

// originOf returns when the order behind a message was placed.
func (s *Sink) originOf(e *trace.Event) (time.Duration, bool) {
	if i, ok := s.numbered(e.Msg.ID); ok {
		if t := s.origin.Get(int(i)); t != nil && *t > 0 {
			return *t - 1, true
		}
	}
	if n, ok := s.keyNum(e.Msg.Key); ok {
		if t := s.originNum.Get(n); t != nil && *t > 0 {
			return *t - 1, true
		}
		return 0, false
	}
	t, ok := s.originKey[e.Msg.Key]
	return t, ok
}

func (st *subStats) move(t time.Duration, n int64) {
	st.backlog += n
	st.maxBacklog = max(st.maxBacklog, st.backlog)
	st.spark.Record(t, st.backlog)
}

// Event implements trace.Sink.
func (s *Sink) Event(e *trace.Event) {
	s.end = e.T
	if e.Kind == trace.Run {
		s.declare(e.Params)
		return
	}
	if !e.HasMsg() {
		return
	}
	switch e.Kind {
	case trace.Publish:
		s.nPublish++
		if i, ok := s.numbered(e.Msg.ID); ok {
			*s.origin.At(int(i)) = e.T + 1
			s.published(i)
		} else {
			s.placed(e.Msg.Key, e.T)
		}
	case trace.Send:
		if e.Actor == s.publisher && e.Msg.Class == trace.Command {
			s.placed(e.Msg.Key, e.T)
			if i, ok := s.numbered(e.Msg.ID); ok {
				s.published(i) // direct mode: commands are sent as they are numbered
			}
		}
		if st := s.byQueue[e.To]; st != nil {
			s.change(st, e.Msg.ID, func(b *uint8) { *b |= sentBit })
			st.received++
			st.move(e.T, 1)
		}
	case trace.Handle:
		if st := s.byQueue[e.To]; st != nil {
			// The publication time first: handling the last message of a
			// page may let the page, and its times, be forgotten.
			t0, published := s.originOf(e)
			n := s.change(st, e.Msg.ID, func(b *uint8) {
				if *b&countMask < countMask {
					*b++
				}
			}) & countMask
			if n == 0 {
				st.handled++
				if published {
					st.lag.Record(e.T - t0)
				}
			} else {
				st.dupHandled++
			}
		}
	case trace.Skip:
		if st := s.byQueue[e.To]; st != nil {
			st.skipped++
		}
	case trace.Ack:
		if st := s.byQueue[e.To]; st != nil {
			st.move(e.T, -1)
		}
	case trace.DeadLetter:
		if st := s.byQueue[e.Actor]; st != nil {
			s.change(st, e.Msg.ID, func(b *uint8) { *b |= deadBit })
			st.deadLettered++
			st.move(e.T, -1)
		}
	case trace.Drop:
		if st := s.byQueue[e.To]; st != nil {
			s.change(st, e.Msg.ID, func(b *uint8) { *b |= droppedBit })
			st.missed++
			why := "lost from its queue when " + st.name + " disconnected"
			if e.Actor == s.topic {
				why = "published while " + st.name + " was not connected"
				st.unsent++
			} else {
				st.move(e.T, -1)
			}
			if len(st.missedWhy) < check.MaxEvidence {
				st.missedWhy = append(st.missedWhy, check.Line(e.Msg.ID, e.Msg.Key, why))
			}
		}
	}
}

// Tables returns the subscription table and the backlog-and-lag table.
// title names the rows: "subscription" or "service".
func (s *Sink) Tables(row string) []trace.Table {
	counts := trace.Table{Title: row + "s",
		Columns: []string{row, "type", "filter", "received", "handled", "dups", "skipped", "missed", "dlq"}}
	flow := trace.Table{Title: "backlog and lag",
		Columns: []string{row, "max backlog", "backlog over time", "lag p50", "lag p99"}}
	var top int64
	for _, st := range s.subs {
		top = max(top, st.maxBacklog)
	}
	for _, st := range s.subs {
		counts.Rows = append(counts.Rows, []string{st.name, st.kind, st.filter, itoa(st.received), itoa(st.handled),
			itoa(st.dupHandled), itoa(st.skipped), itoa(st.missed), itoa(st.deadLettered)})
		p50, p99 := "-", "-"
		if st.lag.Count() > 0 {
			p50, p99 = trace.ShortDuration(st.lag.Percentile(50)), trace.ShortDuration(st.lag.Percentile(99))
		}
		flow.Rows = append(flow.Rows, []string{st.name, itoa(st.maxBacklog), st.spark.Render(s.end, sparkColumns, top), p50, p99})
	}
	return []trace.Table{counts, flow}
}

// Delivered is the verdict "every-event-delivered": every durable
// subscription (every service, in direct mode) handled every message it
// received, at least once.
func (s *Sink) Delivered(direct bool) trace.Verdict {
	v := trace.Verdict{Name: "every-event-delivered", Title: "every durable subscription handled every matching event"}
	if direct {
		v.Title = "every service handled every command it was sent"
	}
	var copies int64
	var missing check.Cases
	for _, st := range s.subs {
		if !st.durable {
			continue
		}
		copies += st.received
		if st.handled == st.received {
			continue
		}
		for id, b := range s.states(st) {
			if b&sentBit == 0 || b&countMask > 0 {
				continue
			}
			why := "still waiting in " + st.queue
			switch {
			case b&deadBit != 0:
				why = "dead-lettered to " + st.queue + ".dlq"
			case b&droppedBit != 0:
				why = "lost"
			}
			missing.Add(check.Line(id, "for "+st.name, why))
		}
	}
	v.OK = missing.Count() == 0
	if v.OK {
		v.Detail = fmt.Sprintf("all %d copies handled", copies)
		if direct {
			v.Detail = fmt.Sprintf("all %d commands handled", copies)
		}
		return v
	}
	v.Detail = fmt.Sprintf("%d of %d copies never handled", missing.Count(), copies)
	if direct {
		v.Detail = fmt.Sprintf("%d of %d commands never handled", missing.Count(), copies)
	}
	v.Evidence = check.Evidence(&missing)
	return v
}

// states yields each message's id and state in st: the numbered ones in
// order, then the others in the order they were first seen.
func (s *Sink) states(st *subStats) func(yield func(string, uint8) bool) {
	return func(yield func(string, uint8) bool) {
		stop := false
		st.state.All(func(i int, b *uint8) {
			if !stop && *b != 0 && !yield(string(s.prefix)+strconv.Itoa(i), *b) {
				stop = true
			}
		})
		if stop {
			return
		}
		ids := make([]string, len(s.extra))
		for id, i := range s.extra {
			ids[-i-1] = id
		}
		for k, id := range ids {
			if p := st.extra[-int32(k)-1]; p != nil && !yield(id, *p) {
				return
			}
		}
	}
}

// Missed is the verdict "transient-missed": which events the transient
// subscriptions never saw; ok is false when there are none to judge.
func (s *Sink) Missed() (v trace.Verdict, ok bool) {
	v = trace.Verdict{Name: "transient-missed", Title: "no event missed by a transient subscription", OK: true}
	var parts, evidence []string
	var total int64
	for _, st := range s.subs {
		if st.durable {
			continue
		}
		ok = true
		if st.missed == 0 {
			continue
		}
		total += st.missed
		parts = append(parts, fmt.Sprintf("%s missed %d of %d events (%s)", st.name, st.missed,
			st.received+st.unsent, droppedHow(st.unsent, st.missed-st.unsent)))
		evidence = append(evidence, st.missedWhy...)
		if more := st.missed - int64(len(st.missedWhy)); more > 0 {
			evidence = append(evidence, fmt.Sprintf("and %d more for %s", more, st.name))
		}
	}
	if total == 0 {
		v.Detail = "every transient subscriber was connected whenever an event came"
		return v, ok
	}
	v.OK = false
	v.Detail = strings.Join(parts, "; ")
	v.Evidence = evidence
	return v, ok
}

// droppedHow says how a transient subscription's missed events were
// dropped, in the words of the summary's "dropped" total: before the topic
// copied them, or from the subscription's queue.
func droppedHow(uncopied, fromQueue int64) string {
	var how []string
	if uncopied > 0 {
		how = append(how, fmt.Sprintf("%d dropped uncopied while it was away", uncopied))
	}
	if fromQueue > 0 {
		how = append(how, fmt.Sprintf("%d dropped from its queue", fromQueue))
	}
	return strings.Join(how, ", ")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
