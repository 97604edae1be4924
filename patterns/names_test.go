package patterns

import "testing"

// OrderNumber reads exactly the keys OrderKey writes, so a database's
// dense table (saga's, outbox's) holds the same rows its map would.
func TestOrderNumberReadsOnlyOrderKeys(t *testing.T) {
	for _, n := range []int{1, 9, 999, 1_000_000} {
		if got, ok := OrderNumber(OrderKey(n)); !ok || got != n {
			t.Errorf("OrderNumber(%s) = %d, %v", OrderKey(n), got, ok)
		}
	}
	for _, k := range []string{"order-01001", "order-+1001", "order-1000", "order-", "order-12x", "x-1001"} {
		if n, ok := OrderNumber(k); ok {
			t.Errorf("OrderNumber(%s) = %d: not a key OrderKey writes", k, n)
		}
	}
	if OrderKey(1) != "order-1001" || MessageID(3) != "m3" || WorkerName(2) != "worker-2" {
		t.Errorf("names: %s, %s, %s", OrderKey(1), MessageID(3), WorkerName(2))
	}
}

func TestOrderNumberingIsMessageIDAndOrderKey(t *testing.T) {
	for _, i := range []int{1, 9, 10, 999, 1_000_000, 10_000_000} {
		if id, key := OrderNumbering.Text(uint64(i)); id != MessageID(i) || key != OrderKey(i) {
			t.Errorf("OrderNumbering.Text(%d) = %q, %q; want %q, %q", i, id, key, MessageID(i), OrderKey(i))
		}
	}
}
