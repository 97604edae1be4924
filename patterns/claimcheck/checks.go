package claimcheck

import (
	"fmt"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/check"
	"github.com/msgplay/msgplay/internal/trace"
)

// Claims is a sink that follows every order and every blob through the
// events alone. The run event gives the broker's limit (the
// max-message-size parameter). A blob is a store's commit with one write:
// its key and size when put, its key deleted when deleted, with the order's
// message as the message. A claim is the send of an order after a put for
// it: the message refers to the last blob put for it, and any earlier blob
// put for the same order is referred to by nothing. An order is in flight
// from its send until it is acked or dead-lettered.
//
// Its checks: no order refused for its size (a drop at a queue of a
// message above the limit); no blob deleted while the order referring to
// it is in flight and its consumer has not fetched it since the order's
// last delivery (a broken reference; a fetch event says it was fetched). Its figures: the orphaned
// blobs left in the store at the end — never referred to, or left after
// their order was done with them — and the bytes through the broker and
// through the store, against what the broker would carry with every
// attachment inline.
type Claims struct {
	limit int64

	orders map[string]*orderRec // by message id, while in flight or being put
	blobs  map[string]*blobRec  // by key, while stored

	refused, dangling check.Cases

	paths [2]path // inline, claim check

	brokerMsgs, brokerBytes, largest int64
	storePuts, storeBytes            int64
	inlineBytes                      int64 // what the broker would carry with every attachment inline
	deleted, broken                  int64
}

// orderRec is what Claims knows of one order.
type orderRec struct {
	id, key  string
	start    time.Duration // the first put's start, or the send
	put      string        // the last blob put for it, not yet referred to
	ref      *blobRec      // the blob its claim refers to
	inFlight bool
	fetched  bool // its blob fetched since its last delivery
	billed   bool
	broken   bool // a broken reference of it was counted
	path     int
}

// blobRec is what Claims knows of one stored blob.
type blobRec struct {
	key   string
	size  int64
	order *orderRec // the order referring to it; nil until a claim does
	done  bool      // its order was acked or dead-lettered
}

// path counts the orders that went one way: inline, or by claim check.
type path struct {
	orders, billed, refused, dead int64
	latency                       trace.Histogram
}

const (
	inline = iota
	claimed
)

// NewClaims returns an empty Claims sink.
func NewClaims() *Claims {
	return &Claims{orders: map[string]*orderRec{}, blobs: map[string]*blobRec{}}
}

// Event implements trace.Sink.
func (c *Claims) Event(e *trace.Event) {
	switch e.Kind {
	case trace.Run:
		for _, p := range e.Params {
			if p.Name == "max-message-size" {
				c.limit, _ = ParseBytes(p.Value)
			}
		}
		return
	case trace.Commit:
		if len(e.Writes) == 1 && e.HasMsg() {
			c.blob(e, e.Writes[0])
		}
		return
	}
	if !e.HasMsg() || e.Msg.Class != trace.Command {
		return
	}
	o := c.orders[e.Msg.ID]
	switch e.Kind {
	case trace.Send:
		if o == nil {
			o = &orderRec{id: e.Msg.ID, key: e.Msg.Key, start: e.T}
			c.orders[o.id] = o
		}
		o.inFlight = true
		o.path = inline
		if b := c.blobs[o.put]; b != nil && o.put != "" {
			o.path, o.ref, o.put, b.order = claimed, b, "", o
		}
		c.paths[o.path].orders++
		c.brokerMsgs++
		c.brokerBytes += e.Msg.Size
		c.largest = max(c.largest, e.Msg.Size)
		if o.path == claimed {
			c.inlineBytes += o.ref.size + e.Msg.Size
		} else {
			c.inlineBytes += e.Msg.Size
		}
	case trace.Drop:
		if e.To != "" && c.limit > 0 && e.Msg.Size > c.limit {
			c.paths[inline].orders++
			c.paths[inline].refused++
			c.inlineBytes += e.Msg.Size
			c.refused.Add(check.Line(e.Msg.ID, e.Msg.Key, fmt.Sprintf("%s refused at %s at %s (limit %s)",
				trace.FormatBytes(e.Msg.Size), e.To, trace.FormatDuration(e.T), trace.FormatBytes(c.limit))))
			c.forget(o)
		}
	case trace.Deliver:
		if o != nil {
			o.fetched = false
			if o.ref != nil && c.blobs[o.ref.key] != o.ref {
				c.dangle(o, fmt.Sprintf("delivered at %s, %s already deleted", trace.FormatDuration(e.T), o.ref.key))
			}
		}
	case trace.Fetch:
		if o != nil {
			o.fetched = true
		}
	case trace.Handle:
		if o != nil && !o.billed {
			o.billed = true
			c.paths[o.path].billed++
			c.paths[o.path].latency.Record(e.T - o.start)
		}
	case trace.Ack:
		c.settle(o)
	case trace.DeadLetter:
		if o != nil && o.inFlight {
			c.paths[o.path].dead++
		}
		c.settle(o)
	}
}

// blob follows a put or a delete in the store.
func (c *Claims) blob(e *trace.Event, w trace.Write) {
	if w.Deleted {
		b := c.blobs[w.Key]
		if b == nil {
			return
		}
		delete(c.blobs, w.Key)
		c.deleted++
		if o := b.order; o != nil && o.inFlight && !o.fetched {
			c.dangle(o, fmt.Sprintf("%s deleted at %s, before the order's consumer fetched it",
				b.key, trace.FormatDuration(e.T)))
		}
		if b.order != nil && !b.order.inFlight {
			c.forget(b.order)
		}
		return
	}
	size, _ := strconv.ParseInt(w.Value, 10, 64)
	c.storePuts++
	c.storeBytes += size
	o := c.orders[e.Msg.ID]
	if o == nil {
		o = &orderRec{id: e.Msg.ID, key: e.Msg.Key, start: e.T - e.Took}
		c.orders[o.id] = o
	}
	c.blobs[w.Key] = &blobRec{key: w.Key, size: size}
	o.put = w.Key
}

// dangle counts a broken reference of o, once per order.
func (c *Claims) dangle(o *orderRec, why string) {
	if o.broken {
		return
	}
	o.broken = true
	c.broken++
	c.dangling.Add(check.Line(o.id, o.key, why))
}

// settle marks an order acked or dead-lettered: out of flight.
func (c *Claims) settle(o *orderRec) {
	if o == nil || !o.inFlight {
		return
	}
	o.inFlight = false
	if o.ref != nil {
		o.ref.done = true
		if c.blobs[o.ref.key] == o.ref {
			return // kept until its blob goes, or the run ends
		}
	}
	c.forget(o)
}

// forget drops an order nothing more can happen to.
func (c *Claims) forget(o *orderRec) {
	if o != nil && !o.inFlight && c.orders[o.id] == o {
		delete(c.orders, o.id)
	}
}

// orphans counts the blobs still stored that nothing in flight refers to:
// never referred to (the send failed, or the shop crashed between the put
// and the send), or left after their order was done with them.
func (c *Claims) orphans() (never, after, bytes int64) {
	for _, b := range c.blobs {
		switch {
		case b.order == nil:
			never++
		case b.done:
			after++
		default:
			continue
		}
		bytes += b.size
	}
	return never, after, bytes
}

// Tables returns the orders table (by path, with the latency from the
// order placed to billed), the bytes table and the blobs table. Call it
// once the run has ended.
func (c *Claims) Tables() []trace.Table {
	orders := trace.Table{Title: "orders", Columns: []string{"path", "orders", "billed", "refused",
		"dead-lettered", "p50", "p95", "p99"}}
	for i, name := range []string{"inline", "claim check"} {
		p := &c.paths[i]
		if p.orders == 0 {
			continue
		}
		row := []string{name, itoa(p.orders), itoa(p.billed), itoa(p.refused), itoa(p.dead), "-", "-", "-"}
		if h := &p.latency; h.Count() > 0 {
			row[5], row[6], row[7] = trace.ShortDuration(h.Percentile(50)), trace.ShortDuration(h.Percentile(95)),
				trace.ShortDuration(h.Percentile(99))
		}
		orders.Rows = append(orders.Rows, row)
	}
	bytes := trace.Table{Title: "bytes", Columns: []string{"through", "items", "bytes", "note"}}
	bytes.Rows = [][]string{
		{"broker", itoa(c.brokerMsgs), trace.FormatBytes(c.brokerBytes), "largest " + trace.FormatBytes(c.largest)},
		{"store", itoa(c.storePuts), trace.FormatBytes(c.storeBytes), "puts"},
		{"all inline", itoa(c.paths[inline].orders + c.paths[claimed].orders), trace.FormatBytes(c.inlineBytes),
			"what the broker would carry"},
	}
	never, after, orphaned := c.orphans()
	blobs := trace.Table{Title: "blobs", Columns: []string{"put", "deleted", "broken refs", "orphans",
		"never referred to", "left after use", "orphaned bytes"}}
	blobs.Rows = [][]string{{itoa(c.storePuts), itoa(c.deleted), itoa(c.broken), itoa(never + after),
		itoa(never), itoa(after), trace.FormatBytes(orphaned)}}
	if c.storePuts == 0 {
		return []trace.Table{orders, bytes}
	}
	return []trace.Table{orders, bytes, blobs}
}

// Verdicts returns the claim-check checks. stopped says why the run was
// cut short, if it was.
func (c *Claims) Verdicts(stopped string) []trace.Verdict {
	size := check.Judge("no-size-loss", "no order lost to the size limit", &c.refused,
		"every order got onto the broker", "1 order refused for its size and lost",
		"%d orders refused for their size and lost")
	refs := check.Judge("no-dangling-refs", "no claim outlived its blob", &c.dangling,
		"every blob was there when its order needed it",
		"1 order's blob deleted before it was fetched", "%d orders' blobs deleted before they were fetched")
	if stopped != "" {
		size.Detail += " (" + stopped + ")"
	}
	return []trace.Verdict{size, refs}
}

// Orphans returns how many blobs were orphaned at the end, as the blobs
// table counts them.
func (c *Claims) Orphans() int64 {
	never, after, _ := c.orphans()
	return never + after
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
