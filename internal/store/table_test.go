package store

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// A store with a table reads, lists and counts what it committed exactly
// as one without: rows that fit the table, values it does not list and
// keys it does not read as a number (a leading zero, another prefix).
func TestTableReadsLikeTheMap(t *testing.T) {
	w, _ := newWorld(t)
	plain := New(w, w.Actor("a"), "plain", Options{})
	dense := New(w, w.Actor("b"), "dense", Options{})
	row := func(k string) (int, bool) {
		n, err := strconv.Atoi(strings.TrimPrefix(k, "o"))
		return n, err == nil && k == "o"+strconv.Itoa(n)
	}
	dense.Table("st/", row, func(n int) string { return "o" + strconv.Itoa(n) }, "NEW", "DONE")
	steps := []struct {
		key, value string
		del        bool
	}{
		{key: "st/o1", value: "NEW"}, {key: "st/o2", value: "DONE"}, {key: "st/o1", value: "ODD"},
		{key: "st/o01", value: "NEW"}, {key: "st/x", value: "NEW"}, {key: "other/o3", value: "NEW"},
		{key: "st/o2", del: true}, {key: "st/o7", value: "DONE"}, {key: "st/o1", value: "DONE"},
	}
	for i, s := range steps {
		for _, db := range []*Store{plain, dense} {
			tx := db.Begin(order)
			if s.del {
				tx.Delete(s.key)
			} else {
				tx.Put(s.key, s.value)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
		}
		for _, k := range []string{"st/o1", "st/o2", "st/o01", "st/x", "other/o3", "st/o7", "st/o9"} {
			pv, pok := plain.Get(k)
			dv, dok := dense.Get(k)
			if pv != dv || pok != dok {
				t.Fatalf("step %d: Get(%s) = %q %v with a table, %q %v without", i, k, dv, dok, pv, pok)
			}
		}
		for _, p := range []string{"", "st/", "st/o", "other/"} {
			if a, b := plain.Keys(p), dense.Keys(p); !slices.Equal(a, b) {
				t.Fatalf("step %d: Keys(%q) = %v with a table, %v without", i, p, b, a)
			}
		}
		if plain.Len() != dense.Len() {
			t.Fatalf("step %d: Len %d with a table, %d without", i, dense.Len(), plain.Len())
		}
	}
	if tb := dense.tables[0]; tb.n != 2 || len(dense.data) != 3 {
		t.Errorf("%d rows in the table and %v in the map: want o1 and o7 in the table, the rest in the map",
			tb.n, fmt.Sprint(dense.data))
	}
}
