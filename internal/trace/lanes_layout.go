package trace

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// laneSet is the lanes of the lanes view: who each is, the name shown on
// top (the actor's, or a short one the legend defines), how wide each is
// and the column of its line.
type laneSet struct {
	names  []string
	shown  []string
	widths []int
	mid    []int // the column of each lane's line, from the first lane's left
}

// index returns the lane of name, or -1.
func (s *laneSet) index(name string) int { return slices.Index(s.names, name) }

// width returns the columns all the lanes take.
func (s *laneSet) width() int {
	n := 0
	for _, w := range s.widths {
		n += w
	}
	return n
}

// laneWidth is the narrowest lane that shows name with a space beside it.
func laneWidth(name string) int { return max(utf8.RuneCountInString(name)+1, minLaneWidth) }

// place works out the column of each lane's line.
func (s *laneSet) place() {
	s.mid = s.mid[:0]
	x := 0
	for _, w := range s.widths {
		s.mid = append(s.mid, x+w/2)
		x += w
	}
}

// fit lays out names in room columns shared with the labels, which need
// up to label columns: full names where they fit with a label of
// wantLabel columns (or the label's need, if smaller), else short names
// for the longest first; then the spare width goes to the labels up to
// their need, then to spacing the lanes. It reports false when even the
// short names leave the labels less than minLabel.
func (s *laneSet) fit(names []string, room, label int) bool {
	s.names = names
	s.shown = slices.Clone(names)
	s.widths = make([]int, len(names))
	for i, a := range names {
		s.widths[i] = laneWidth(a)
	}
	short := shortNames(names)
	want := min(wantLabel, max(label, minLabel))
	for s.width()+want > room {
		longest := -1
		for i := range names {
			if s.shown[i] == names[i] && short[i] != names[i] &&
				(longest < 0 || utf8.RuneCountInString(names[i]) > utf8.RuneCountInString(names[longest])) {
				longest = i
			}
		}
		if longest < 0 {
			break
		}
		// Its siblings (worker-1, worker-2 …) go short with it.
		for i, a := range names {
			if stem(a) == stem(names[longest]) {
				s.shown[i] = short[i]
				s.widths[i] = laneWidth(short[i])
			}
		}
	}
	// Shortening the longest first may have gone further than needed:
	// give the shortest names back their full form while that still fits.
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		return utf8.RuneCountInString(names[i]) - utf8.RuneCountInString(names[j])
	})
	for _, i := range order {
		if s.shown[i] == names[i] {
			continue
		}
		grow := 0
		for j, a := range names {
			if stem(a) == stem(names[i]) {
				grow += laneWidth(a) - s.widths[j]
			}
		}
		if s.width()+grow+want <= room {
			for j, a := range names {
				if stem(a) == stem(names[i]) {
					s.shown[j], s.widths[j] = a, laneWidth(a)
				}
			}
		}
	}
	if len(names) == 0 || s.width()+minLabel > room {
		s.place()
		return false
	}
	// Spare width: the labels first, then the lanes, one column at a time
	// to the narrowest, up to maxLaneWidth.
	for spare := room - s.width() - max(label, minLabel); spare > 0; spare-- {
		narrowest := -1
		for i, w := range s.widths {
			if w < maxLaneWidth && (narrowest < 0 || w < s.widths[narrowest]) {
				narrowest = i
			}
		}
		if narrowest < 0 {
			break
		}
		s.widths[narrowest]++
	}
	s.place()
	return true
}

// add makes a lane for a newcomer when it fits within room columns, under
// its name or a short one, and returns the name shown.
func (s *laneSet) add(name string, room int) (string, bool) {
	shown := name
	if s.width()+laneWidth(name) > room {
		shown = shortNames(append(slices.Clone(s.names), name))[len(s.names)]
		if s.width()+laneWidth(shown) > room || slices.Contains(s.shown, shown) {
			return "", false
		}
	}
	s.names = append(s.names, name)
	s.shown = append(s.shown, shown)
	s.widths = append(s.widths, laneWidth(shown))
	s.place()
	return shown, true
}

// shortNames returns a short name for each of names, unique among them
// and their full names: the initials of a name's words with its numbers
// whole (worker-1 → w1, orders-service → os, payment.in → pi), or three
// letters of a one-word name (inventory → inv, shipping → shp). A name
// no longer than its short one keeps itself.
func shortNames(names []string) []string {
	taken := map[string]bool{}
	for _, a := range names {
		taken[a] = true
	}
	out := make([]string, len(names))
	for i, a := range names {
		s := abbreviate(a)
		if laneWidth(s) >= laneWidth(a) {
			out[i] = a
			continue
		}
		for n := 2; taken[s]; n++ {
			s = abbreviate(a) + strconv.Itoa(n)
		}
		if laneWidth(s) >= laneWidth(a) { // no narrower lane: not worth a legend entry
			s = a
		}
		taken[s] = true
		out[i] = s
	}
	return out
}

// stem returns name without its digits: the name of its family.
func stem(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return -1
		}
		return r
	}, name)
}

// abbreviate returns the short form of one name, before making it unique.
func abbreviate(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) > 1 {
		var b strings.Builder
		for _, w := range words {
			if r, _ := utf8.DecodeRuneInString(w); unicode.IsDigit(r) {
				b.WriteString(w)
			} else {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	// One word: its first letter, then the consonants not yet used.
	var b []rune
	for _, r := range name {
		if len(b) == 3 {
			break
		}
		if len(b) == 0 || (!strings.ContainsRune("aeiouAEIOU", r) && !slices.Contains(b, r)) {
			b = append(b, r)
		}
	}
	return string(b)
}

// foldQueues returns the queues that are drawn in their consumer's lane,
// each with its consumer: a queue that delivered, in events, to one
// consumer only and lost nothing — a queue that drops or dead-letters
// keeps a lane of its own, since that is where the story is; so does a
// queue whose consumer is itself a queue.
func foldQueues(events []Event) map[string]string {
	consumer := map[string]string{}
	keep := map[string]bool{}
	for i := range events {
		e := &events[i]
		switch e.Kind {
		case Deliver:
			if e.To == "" || e.To == e.Actor {
				continue
			}
			if c, ok := consumer[e.Actor]; ok && c != e.To {
				keep[e.Actor] = true
			}
			consumer[e.Actor] = e.To
		case Drop, DeadLetter:
			keep[e.Actor] = true
			keep[e.To] = true
		}
	}
	home := map[string]string{}
	for q, c := range consumer {
		if _, isQueue := consumer[c]; !keep[q] && !isQueue {
			home[q] = c
		}
	}
	return home
}

// sortedQueues returns the queues folded into consumer's lane, sorted.
func sortedQueues(home map[string]string, consumer string) []string {
	var qs []string
	for q, c := range home {
		if c == consumer {
			qs = append(qs, q)
		}
	}
	slices.Sort(qs)
	return qs
}

// notable reports whether an event is one a story turns on.
func notable(k Kind) bool {
	switch k {
	case Drop, DeadLetter, Crash, Timeout, Nack, AckLost, Compensate, Fault, Skip, Rollback:
		return true
	}
	return false
}

// onlyHint suggests --only flags for a few actors that tell a story: those
// of the first event where something goes wrong, with the queue that
// feeds a consumer among them; or, when nothing goes wrong early, those
// the first message passes through.
func onlyHint(events []Event, names []string) string {
	var pick []string
	add := func(a string) {
		if a != "" && a != "msgplay" && len(pick) < 3 && !slices.Contains(pick, a) {
			pick = append(pick, a)
		}
	}
	queueOf := map[string]string{} // a consumer → the first queue that delivered to it
	for i := range events {
		if e := &events[i]; e.Kind == Deliver && e.To != "" && queueOf[e.To] == "" {
			queueOf[e.To] = e.Actor
		}
	}
	for i := range events {
		e := &events[i]
		if !notable(e.Kind) {
			continue
		}
		add(e.Actor)
		if e.To != e.Actor {
			add(e.To)
		}
		for _, a := range slices.Clone(pick) {
			add(queueOf[a])
		}
		break
	}
	if len(pick) == 0 {
		first := ""
		for i := range events {
			e := &events[i]
			if e.HasMsg() && (first == "" || e.Msg.ID == first) {
				first = e.Msg.ID
				add(e.Actor)
				add(e.To)
			}
		}
	}
	for _, a := range names {
		if len(pick) >= 2 {
			break
		}
		add(a)
	}
	var b strings.Builder
	for i, a := range pick {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("--only " + a)
	}
	return b.String()
}
