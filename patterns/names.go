package patterns

import (
	"strconv"

	"github.com/msgplay/msgplay/internal/trace"
)

// The names most patterns give their orders and workers: the n-th order
// sent (from 1) is message MessageID(n), m1, m2 …, with the business key
// OrderKey(n), order-1001, order-1002 …; the i-th worker is WorkerName(i),
// worker-1, worker-2 ….
const (
	OrderKeyPrefix = "order-"
	OrderKeyFrom   = 1000 // the first order's key is order-1001
)

// OrderKey returns the business key of the n-th order, from 1:
// order-1001, order-1002 …; OrderNumber reads n back.
func OrderKey(n int) string { return OrderKeyPrefix + strconv.Itoa(OrderKeyFrom+n) }

// OrderNumber returns n for the key OrderKey(n), and false for any other.
func OrderNumber(key string) (int, bool) { return KeyNumber(key, OrderKeyPrefix, OrderKeyFrom) }

// MessageID returns the id of the n-th message sent, from 1: m1, m2 ….
func MessageID(n int) string { return "m" + strconv.Itoa(n) }

// OrderNumbering names the n-th order MessageID(n) and OrderKey(n), for a
// message that carries its number (trace.Msg.Num) and has its id and key
// made only when something reads them. Read it, never change it.
var OrderNumbering = &trace.Numbering{ID: "m", Key: OrderKeyPrefix, KeyFrom: OrderKeyFrom}

// WorkerName returns the name of the i-th worker, from 1: worker-1 ….
func WorkerName(i int) string { return "worker-" + strconv.Itoa(i) }
