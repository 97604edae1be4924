package check

// densePage is how many values one page of a Dense holds.
const densePage = 256

// Dense holds a value per number from 0, in pages of a few hundred made
// on first use: a value per order costs its bytes and no map entry, and a
// number far out costs one page, not everything below it. Pointers to
// values stay valid as it grows. The zero Dense is empty and ready to use.
type Dense[T any] struct {
	pages []*[densePage]T
}

// At returns the value of number n (n ≥ 0), making its page if needed.
func (d *Dense[T]) At(n int) *T {
	i := n / densePage
	if i >= len(d.pages) {
		d.pages = append(d.pages, make([]*[densePage]T, i+1-len(d.pages))...)
	}
	p := d.pages[i]
	if p == nil {
		p = new([densePage]T)
		d.pages[i] = p
	}
	return &p[n%densePage]
}

// Get returns the value of number n, or nil when its page was never made.
func (d *Dense[T]) Get(n int) *T {
	if i := n / densePage; n >= 0 && i < len(d.pages) && d.pages[i] != nil {
		return &d.pages[i][n%densePage]
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
			fn(i*densePage+j, &p[j])
		}
	}
}
