package store

import "strings"

// table keeps the rows under a prefix whose key names a number and whose
// value is one of a few: one byte a row in a dense array, not a map entry
// with its key and value strings. See Store.Table.
type table struct {
	prefix string
	row    func(key string) (int, bool) // the number a key names, after the prefix
	key    func(n int) string           // the key of row n, after the prefix
	values []string
	rows   []uint8 // by number: 1 + the index of its value; 0 when the row is absent
	n      int     // rows present
}

// Table keeps the committed rows under prefix that row reads as a number
// (the inverse of key) and whose value is one of values in a dense array,
// one byte a row, as a status column indexed by order number: memory per
// order stays a byte when a store has a row for each of hundreds of
// thousands of orders. Other rows under prefix stay in the map. Reads,
// writes and events are the same either way. Declare tables before the
// first commit; at most 255 values.
func (s *Store) Table(prefix string, row func(key string) (int, bool), key func(n int) string, values ...string) {
	s.tables = append(s.tables, &table{prefix: prefix, row: row, key: key, values: values[:min(len(values), 255)]})
}

// tableRow returns the table and row number key falls in, if any.
func (s *Store) tableRow(key string) (*table, int) {
	for _, t := range s.tables {
		if rest, ok := strings.CutPrefix(key, t.prefix); ok {
			if n, ok := t.row(rest); ok && n >= 0 {
				return t, n
			}
		}
	}
	return nil, 0
}

// get returns the value of row n.
func (t *table) get(n int) (string, bool) {
	if n < len(t.rows) && t.rows[n] > 0 {
		return t.values[t.rows[n]-1], true
	}
	return "", false
}

// set stores value as row n, reporting false when it is not one of the
// table's values.
func (t *table) set(n int, value string) bool {
	for i, v := range t.values {
		if v == value {
			if n >= len(t.rows) {
				t.rows = append(t.rows, make([]uint8, n+1-len(t.rows))...)
			}
			if t.rows[n] == 0 {
				t.n++
			}
			t.rows[n] = uint8(i + 1)
			return true
		}
	}
	return false
}

// clear removes row n.
func (t *table) clear(n int) {
	if n < len(t.rows) && t.rows[n] > 0 {
		t.rows[n] = 0
		t.n--
	}
}

// keys appends the keys of the rows present that start with prefix.
func (t *table) keys(prefix string, keys []string) []string {
	if !strings.HasPrefix(t.prefix, prefix) && !strings.HasPrefix(prefix, t.prefix) {
		return keys
	}
	for n, r := range t.rows {
		if r > 0 {
			if k := t.prefix + t.key(n); strings.HasPrefix(k, prefix) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}
