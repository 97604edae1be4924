package pubsub

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/broker"
	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// direct is the order service of --mode direct: for each order it sends a
// command to each service in turn and waits for the reply before the next.
type direct struct {
	r          *run
	queues     map[string]*broker.Queue
	replies    *broker.Queue
	open       map[int]*order     // the orders not finished, by number
	awaiting   map[string]*order  // command id → the order waiting for its reply
	replied    check.Dense[uint8] // by command number: replies sent for it (at most MaxDeliveries)
	commands   int
	stallAfter time.Duration

	// What the finished orders leave: counts, the times to complete, and
	// the first few that failed or were held up.
	placed, done, failed, held int64
	took                       trace.Histogram
	bad                        []badOrder // the lowest numbers, at most check.MaxEvidence
	nBad                       int64
}

// badOrder is a finished order that failed or was held up, with why.
type badOrder struct {
	n    int
	line string
}

type orderState uint8

const (
	open orderState = iota
	completed
	failed
)

// order is one order the direct order service is working through.
type order struct {
	n       int
	key     string
	steps   []string // the services to call, in turn
	step    int
	placed  time.Duration
	since   time.Duration // when the command awaited was sent
	done    time.Duration
	state   orderState
	failAt  string
	worst   time.Duration // the longest wait for one service
	worstBy string
}

type replyBody struct {
	from string
	ok   bool
}

// StallFactor sets when a direct-mode order counts as held up: one service
// kept it waiting more than StallFactor times the mean --work.
const StallFactor = 5

func newDirect(r *run) *direct {
	d := &direct{r: r, queues: map[string]*broker.Queue{}, open: map[int]*order{}, awaiting: map[string]*order{},
		stallAfter: max(StallFactor*r.cfg.Work.Mean(), time.Millisecond)}
	d.replies = r.s.Broker.Queue(Replies, broker.QueueOptions{})
	d.replies.Subscribe(r.actor, broker.ConsumerOptions{}, d.onReply)
	return d
}

// place starts order i: the services whose filter takes its subject are
// called in the order of --subscribers.
func (d *direct) place(i int) {
	o := &order{n: i, key: patterns.OrderKey(i), placed: d.r.w.Now()}
	subject := Subject(i)
	for _, name := range d.r.cfg.Subscribers {
		if d.r.cfg.FilterOf(name).Match(subject) {
			o.steps = append(o.steps, name)
		}
	}
	d.placed++
	d.open[i] = o
	d.next(o)
}

// next sends the order's next command, or completes it.
func (d *direct) next(o *order) {
	w := d.r.w
	if o.step == len(o.steps) {
		o.state, o.done = completed, w.Now()
		w.Emit(trace.Event{Kind: trace.Note, Actor: Publisher, Note: fmt.Sprintf("%s complete: %d services replied, in turn, in %s",
			o.key, len(o.steps), trace.ShortDuration(o.done-o.placed))})
		d.finish(o)
		return
	}
	name := o.steps[o.step]
	d.commands++
	id := "c" + strconv.Itoa(d.commands)
	d.awaiting[id] = o
	o.since = w.Now()
	d.queues[name].Send(Publisher, &broker.Message{
		Msg: trace.Msg{ID: id, Type: about(name).command, Class: trace.Command, Key: o.key, ReplyTo: d.replies.Name}})
}

// reply sends a service's answer to the command it was delivered.
func (d *direct) reply(name string, w broker.Work, ok bool) {
	del := w.(*broker.Delivery) // direct mode runs on the simulated broker only
	cmd := del.Msg.ID
	id := "r" + cmd[1:]
	if n := d.repliedTo(cmd); n > 1 {
		id += "." + strconv.Itoa(n)
	}
	typ := about(name).reply
	if !ok {
		typ = about(name).command + "Failed"
	}
	d.r.s.Broker.Reply(del.Consumer().Actor().Name, del.Msg, &broker.Message{
		Msg:  trace.Msg{ID: id, Type: typ, Class: trace.Reply, Key: del.Msg.Key},
		Body: &replyBody{from: name, ok: ok}})
}

// onReply moves an order on when the reply it waits for comes.
func (d *direct) onReply(del *broker.Delivery) {
	w := d.r.w
	rb := del.Msg.Body.(*replyBody)
	cmd := del.Msg.CorrelationID
	o := d.awaiting[cmd]
	if o == nil {
		del.Skip("repeat reply: " + rb.from + " already answered " + cmd)
		del.Ack()
		return
	}
	delete(d.awaiting, cmd)
	wait := w.Now() - o.since
	if wait > o.worst {
		o.worst, o.worstBy = wait, rb.from
	}
	if !rb.ok {
		del.Handle("order failed")
		del.Ack()
		o.state, o.done, o.failAt = failed, w.Now(), rb.from
		note := o.key + " failed: " + rb.from + " could not do it (" + failure(rb.from) + ")"
		if rest := o.steps[o.step+1:]; len(rest) > 0 {
			note += "; " + strings.Join(rest, ", ") + " never asked"
		}
		w.Emit(trace.Event{Kind: trace.Note, Actor: Publisher, Note: note,
			Why: "In direct mode every service must succeed, in turn, for the order to succeed: one failing " +
				"service fails it. With events the order stands and only " + rb.from + "'s copy fails."})
		d.finish(o)
		return
	}
	o.step++
	what := "order complete"
	if o.step < len(o.steps) {
		what = "next: " + o.steps[o.step]
	}
	del.Handle(what)
	del.Ack()
	if wait > d.stallAfter {
		w.Emit(trace.Event{Kind: trace.Note, Actor: Publisher,
			Note: fmt.Sprintf("%s held up %s by %s", o.key, trace.ShortDuration(wait), rb.from),
			Why: "A command waits for its outcome: the order service cannot go on until " + rb.from +
				" replies, so its slowness or absence becomes the order's. An event would not wait."})
	}
	d.next(o)
}

// repliedTo counts one more reply to command cmd and returns how many
// it has had: by its number when it is c<N>, as every command is.
func (d *direct) repliedTo(cmd string) int {
	n, err := strconv.Atoi(cmd[1:])
	if err != nil || n < 0 {
		panic("pubsub: a direct-mode command id is c<N>, got " + cmd)
	}
	c := d.replied.At(n)
	if *c < 255 {
		*c++
	}
	return int(*c)
}

// finish folds a finished order into the counts, the times and the first
// evidence, and forgets it: memory follows the orders in flight.
func (d *direct) finish(o *order) {
	delete(d.open, o.n)
	if o.state == completed {
		d.done++
		d.took.Record(o.done - o.placed)
	} else {
		d.failed++
	}
	if o.worst > d.stallAfter {
		d.held++
	}
	if why := d.why(o); why != "" {
		d.nBad++
		d.keep(badOrder{o.n, o.key + ": " + why})
	}
}

// why says how order o failed or was held up, or "" when it was not.
func (d *direct) why(o *order) string {
	switch {
	case o.state == failed:
		return "failed at " + o.failAt + " (" + failure(o.failAt) + ")"
	case o.state == open:
		return "never completed: still waiting for " + o.steps[o.step] + " after " +
			trace.ShortDuration(d.r.w.Now()-o.since)
	case o.worst > d.stallAfter:
		return "waited " + trace.ShortDuration(o.worst) + " for " + o.worstBy
	}
	return ""
}

// keep adds b to the evidence kept, which holds the lowest order numbers
// (the first in the order they were placed) and no more than is shown.
func (d *direct) keep(b badOrder) {
	i, _ := slices.BinarySearchFunc(d.bad, b.n, func(x badOrder, n int) int { return cmp.Compare(x.n, n) })
	if i >= check.MaxEvidence {
		return
	}
	d.bad = slices.Insert(d.bad, i, b)
	if len(d.bad) > check.MaxEvidence {
		d.bad = d.bad[:check.MaxEvidence]
	}
}

// unfinished returns the orders still open, in the order they were placed.
func (d *direct) unfinished() []*order {
	out := slices.Collect(maps.Values(d.open))
	slices.SortFunc(out, func(a, b *order) int { return cmp.Compare(a.n, b.n) })
	return out
}

// ordersTable shows what happened to the orders: in events mode each is
// complete the moment it is published; in direct mode only when the last
// service has replied.
func (r *run) ordersTable() trace.Table {
	t := trace.Table{Title: "orders", Columns: []string{"mode", "placed", "complete", "failed", "held up",
		"unfinished", "time to complete p50", "p99"}}
	if r.direct == nil {
		n := itoa(int64(r.placed))
		t.Rows = [][]string{{string(Events), n, n, "0", "0", "0", "0s", "0s"}}
		return t
	}
	d := r.direct
	held := d.held
	for _, o := range d.open {
		if o.worst > d.stallAfter {
			held++
		}
	}
	p50, p99 := "-", "-"
	if h := &d.took; h.Count() > 0 {
		p50, p99 = trace.ShortDuration(h.Percentile(50)), trace.ShortDuration(h.Percentile(99))
	}
	t.Rows = [][]string{{string(Direct), itoa(d.placed), itoa(d.done), itoa(d.failed), itoa(held),
		itoa(int64(len(d.open))), p50, p99}}
	return t
}

// heldUp is the verdict "no-order-held-up": no order failed or stalled
// because of one downstream service.
func (r *run) heldUp() trace.Verdict {
	v := trace.Verdict{Name: "no-order-held-up", Title: "no order failed or held up by one service", OK: true}
	if r.direct == nil {
		v.Detail = fmt.Sprintf("events mode: all %d orders done once published", r.placed)
		return v
	}
	d := r.direct
	bad := slices.Clone(d.bad)
	n := d.nBad
	for _, o := range d.unfinished() {
		n++
		bad = append(bad, badOrder{o.n, o.key + ": " + d.why(o)})
	}
	slices.SortStableFunc(bad, func(a, b badOrder) int { return cmp.Compare(a.n, b.n) })
	var cases check.Cases
	for i := range n {
		line := ""
		if i < int64(len(bad)) {
			line = bad[i].line
		}
		cases.Add(line)
	}
	if cases.Count() == 0 {
		v.Detail = fmt.Sprintf("all %d orders completed, none waited over %s on one service",
			d.placed, trace.FormatDuration(d.stallAfter))
		return v
	}
	v.OK = false
	v.Detail = fmt.Sprintf("%d of %d failed or waited over %s on one service",
		cases.Count(), d.placed, trace.FormatDuration(d.stallAfter))
	v.Evidence = check.Evidence(&cases)
	return v
}
