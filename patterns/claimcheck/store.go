package claimcheck

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// blobStore is a simulated object store (S3, Azure Blob Storage) on the
// kernel: each put, get and delete takes a latency drawn from the store's
// stream, and a retention policy may delete a blob a fixed time after it
// was put. A put and a delete are told as commit events by the store, with
// the blob's key and size (or deletion) as the write and the order's
// message as the message, so a check can follow each blob; the time the
// operation took is the event's took. The store never crashes: a client
// that crashes mid-put leaves the blob written and nobody knowing of it.
type blobStore struct {
	w       *sim.World
	a       *sim.Actor
	latency sim.Dist
	r       *rand.Rand
	ttl     time.Duration

	blobs map[string]*blob // what is stored now, by key
	busy  int              // puts and deletes under way, and retention deletes due

	// deleted remembers why the last few blobs went, for the reason a
	// broken reference is dead-lettered with; gone is their keys, oldest
	// first, so memory stays bounded.
	deleted map[string]string
	gone    [remembered]string
	next    int // where the next key goes in gone
}

// remembered bounds how many deletions the store remembers the reason of.
const remembered = 1024

func (s *blobStore) remember(key, why string) {
	delete(s.deleted, s.gone[s.next])
	s.gone[s.next] = key
	s.next = (s.next + 1) % remembered
	s.deleted[key] = why
}

// blob is one stored attachment.
type blob struct {
	key  string
	size int64
	msg  trace.Msg // the order it belongs to
}

func newStore(w *sim.World, latency sim.Dist, ttl time.Duration) *blobStore {
	return &blobStore{w: w, a: w.Actor(Store), latency: latency, r: w.Rand("store"), ttl: ttl,
		blobs: map[string]*blob{}, deleted: map[string]string{}}
}

// put stores size bytes under key for the order m and then calls done on
// behalf of client, which is skipped when the client crashed meanwhile.
func (s *blobStore) put(client *sim.Actor, key string, size int64, m trace.Msg, done func()) {
	lat := s.latency.Sample(s.r)
	s.busy++
	s.w.After(lat, s.a, func() {
		s.busy--
		b := &blob{key: key, size: size, msg: m}
		s.blobs[key] = b
		s.w.Emit(trace.Event{Kind: trace.Commit, Actor: Store, Msg: m, Took: lat,
			Writes: []trace.Write{{Key: key, Value: strconv.FormatInt(size, 10)}},
			Note:   "put " + key + " (" + trace.FormatBytes(size) + ")" + s.keeps()})
		if s.ttl > 0 {
			s.busy++
			s.w.After(s.ttl, s.a, func() { s.busy--; s.expire(b) })
		}
		s.w.After(0, client, done)
	})
}

func (s *blobStore) keeps() string {
	if s.ttl == 0 {
		return ""
	}
	return "; kept " + trace.ShortDuration(s.ttl)
}

// get fetches key on behalf of client and calls done with the blob, or nil
// when it is not there, after the latency; done is skipped when the client
// crashed meanwhile.
func (s *blobStore) get(client *sim.Actor, key string, done func(b *blob, gone string, took time.Duration)) {
	lat := s.latency.Sample(s.r)
	s.w.After(lat, client, func() {
		b := s.blobs[key]
		done(b, s.goneWhy(key), lat)
	})
}

// goneWhy remembers, for a short while, why a key was deleted.
func (s *blobStore) goneWhy(key string) string {
	if why, ok := s.deleted[key]; ok {
		return why
	}
	return "never written"
}

// remove deletes the blob key on behalf of who (a client, or the retention),
// after the latency, saying why.
func (s *blobStore) remove(key, why string) {
	lat := s.latency.Sample(s.r)
	s.busy++
	s.w.After(lat, s.a, func() {
		s.busy--
		if b := s.blobs[key]; b != nil {
			s.drop(b, lat, why)
		}
	})
}

// expire deletes b for the retention policy, if it is still there.
func (s *blobStore) expire(b *blob) {
	if s.blobs[b.key] == b {
		s.drop(b, 0, "expired: the "+trace.ShortDuration(s.ttl)+" retention ran out")
	}
}

func (s *blobStore) drop(b *blob, took time.Duration, why string) {
	delete(s.blobs, b.key)
	s.remember(b.key, why+" at "+trace.FormatDuration(s.w.Now()))
	s.w.Emit(trace.Event{Kind: trace.Commit, Actor: Store, Msg: b.msg, Took: took,
		Writes: []trace.Write{{Key: b.key, Deleted: true}}, Note: "deleted " + b.key + ": " + why})
}
