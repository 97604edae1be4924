package check

// DensePage is how many values one page of a Dense holds: the numbers
// n/DensePage share a page.
const DensePage = 256

// Dense holds a value per number from 0, in pages of a few hundred made
// on first use: a value per order costs its bytes and no map entry, and a
// number far out costs one page, not everything below it. Pointers to
// values stay valid as it grows. The zero Dense is empty and ready to use.
type Dense[T any] struct {
	pages []*[DensePage]T
}

// At returns the value of number n (n ≥ 0), making its page if needed.
func (d *Dense[T]) At(n int) *T {
	i := n / DensePage
	if i >= len(d.pages) {
		d.pages = append(d.pages, make([]*[DensePage]T, i+1-len(d.pages))...)
	}
	p := d.pages[i]
	if p == nil {
		p = new([DensePage]T)
		d.pages[i] = p
	}
	return &p[n%DensePage]
}

// Get returns the value of number n, or nil when its page was never made.
func (d *Dense[T]) Get(n int) *T {
	if i := n / DensePage; n >= 0 && i < len(d.pages) && d.pages[i] != nil {
		return &d.pages[i][n%DensePage]
	}
	return nil
}

// All calls fn with every number whose page was made, in order, and its
// value.
func (d *Dense[T]) All(fn func(n int, v *T)) {
	for i, p := range d.pages {
		if p == nil {
			continue
		}
		for j := range p {
			fn(i*DensePage+j, &p[j])
		}
	}
}

// Free drops the page holding number n, so a sink can forget numbers that
// are settled for good: Get returns nil for them after, All skips them, and
// At makes their page anew, every value zero.
func (d *Dense[T]) Free(n int) {
	if i := n / DensePage; n >= 0 && i < len(d.pages) {
		d.pages[i] = nil
	}
}

// Pages counts, for each page of numbers (see DensePage), how many are
// done, so that a sink can forget a page of records once all of them are:
// a record that is done reads as a value the sink knows without keeping
// it. The zero Pages is ready to use.
type Pages struct {
	life Dense[pageLife]
}

type pageLife struct {
	done      int32
	forgotten bool
}

// Forgotten reports whether the page of number n was forgotten.
func (p *Pages) Forgotten(n int) bool { return p.life.At(n / DensePage).forgotten }

// Change notes that number n was done (was) and is now done (now) or not,
// and reports whether that made its page all done: the page is forgotten
// from then on, and the caller frees its records.
func (p *Pages) Change(n int, was, now bool) bool {
	if was == now {
		return false
	}
	life := p.life.At(n / DensePage)
	if was {
		life.done--
		return false
	}
	life.done++
	life.forgotten = life.done == DensePage
	return life.forgotten
}

// Fading holds a value per number (n ≥ 0) in the pages of a Dense and
// forgets a page once every value in it equals Done: a value of a
// forgotten page read again reads as Done, and one changed again is kept
// apart, starting from Done. So a sink whose records end alike keeps the
// ones in flight and the ones that ended otherwise. Set Done before use.
type Fading[T comparable] struct {
	Done  T
	vals  Dense[T]
	pages Pages
	back  map[int]*T
}

// Get returns the value of number n, the zero T when it never had one.
func (f *Fading[T]) Get(n int) T {
	if f.pages.Forgotten(n) {
		if p := f.back[n]; p != nil {
			return *p
		}
		return f.Done
	}
	if p := f.vals.Get(n); p != nil {
		return *p
	}
	var zero T
	return zero
}

// Update applies fn to the value of number n, making room for it, and
// forgets its page once every value in it is Done.
func (f *Fading[T]) Update(n int, fn func(*T)) {
	if f.pages.Forgotten(n) {
		p := f.back[n]
		if p == nil {
			if f.back == nil {
				f.back = map[int]*T{}
			}
			p = new(T)
			*p = f.Done
			f.back[n] = p
		}
		fn(p)
		return
	}
	p := f.vals.At(n)
	was := *p == f.Done
	fn(p)
	if f.pages.Change(n, was, *p == f.Done) {
		f.vals.Free(n)
	}
}
