package store

import "strings"

// index keeps the committed keys under a prefix in the order they were
// first written. A key is live at position i while pos[key] == i; deleted
// keys are skipped, and dropped once they reach the front.
type index struct {
	prefix string
	keys   []string
	head   int
	pos    map[string]int
}

// Index keeps the committed keys that start with prefix in the order they
// were first written, as a table with an auto-increment key does, so that
// Oldest lists them without scanning the store. A key deleted and written
// again goes to the back. Declare an index before the first commit.
func (s *Store) Index(prefix string) {
	s.indexes = append(s.indexes, &index{prefix: prefix, pos: map[string]int{}})
}

func (s *Store) indexNew(key string) {
	for _, ix := range s.indexes {
		if strings.HasPrefix(key, ix.prefix) {
			ix.pos[key] = len(ix.keys)
			ix.keys = append(ix.keys, key)
		}
	}
}

func (s *Store) unindex(key string) {
	for _, ix := range s.indexes {
		if strings.HasPrefix(key, ix.prefix) {
			delete(ix.pos, key)
		}
	}
}

// Oldest appends to buf up to n committed keys under the indexed prefix,
// oldest first, and returns it. A prefix never declared with Index gives
// nothing.
func (s *Store) Oldest(prefix string, n int, buf []string) []string {
	for _, ix := range s.indexes {
		if ix.prefix == prefix {
			return ix.oldest(n, buf)
		}
	}
	return buf
}

func (ix *index) oldest(n int, buf []string) []string {
	for ix.head < len(ix.keys) {
		if p, ok := ix.pos[ix.keys[ix.head]]; ok && p == ix.head {
			break
		}
		ix.keys[ix.head] = ""
		ix.head++
	}
	if ix.head > 0 && ix.head >= len(ix.keys)/2 {
		live := copy(ix.keys, ix.keys[ix.head:])
		clear(ix.keys[live:])
		ix.keys = ix.keys[:live]
		for i, k := range ix.keys {
			if p, ok := ix.pos[k]; ok && p == i+ix.head {
				ix.pos[k] = i
			}
		}
		ix.head = 0
	}
	for i := ix.head; i < len(ix.keys) && n > 0; i++ {
		k := ix.keys[i]
		if p, ok := ix.pos[k]; ok && p == i {
			buf = append(buf, k)
			n--
		}
	}
	return buf
}
