package patterns

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/msgplay/msgplay/internal/sim"
	"github.com/msgplay/msgplay/internal/trace"
)

// Params builds the parameters a run event shows, in the order they are
// added: the seed first, the time cap (when there is one) last.
type Params struct {
	list  []trace.Param
	until time.Duration
}

// NewParams starts the parameters of a run with its seed.
func NewParams(c Common) *Params {
	p := &Params{until: c.Until}
	return p.Str("seed", strconv.FormatUint(c.Seed, 10))
}

// Str adds a parameter shown as it is.
func (p *Params) Str(name, value string) *Params {
	p.list = append(p.list, trace.Param{Name: name, Value: value})
	return p
}

// Add adds a parameter as it is given, such as one with a hint.
func (p *Params) Add(param trace.Param) *Params {
	p.list = append(p.list, param)
	return p
}

// Int adds a whole number.
func (p *Params) Int(name string, n int) *Params { return p.Str(name, strconv.Itoa(n)) }

// Float adds a number, as short as it can be written.
func (p *Params) Float(name string, f float64) *Params {
	return p.Str(name, strconv.FormatFloat(f, 'g', -1, 64))
}

// Dur adds a duration, as trace.FormatDuration writes it.
func (p *Params) Dur(name string, d time.Duration) *Params {
	return p.Str(name, trace.FormatDuration(d))
}

// Dist adds a distribution, as its flag takes it.
func (p *Params) Dist(name string, d sim.Dist) *Params { return p.Str(name, d.String()) }

// List adds values joined by commas, as a repeatable flag shows them;
// nothing when there are none.
func (p *Params) List(name string, values []string) *Params {
	if len(values) == 0 {
		return p
	}
	return p.Str(name, strings.Join(values, ","))
}

// Crashes adds the crash schedule, as --crash shows it; nothing when there
// is none.
func (p *Params) Crashes(crashes []sim.Crash) *Params { return p.List("crash", Strings(crashes)) }

// Strings returns each item as its String method writes it.
func Strings[T fmt.Stringer](items []T) []string {
	out := make([]string, len(items))
	for i, x := range items {
		out[i] = x.String()
	}
	return out
}

// Done adds the time cap, when there is one, and returns the parameters.
func (p *Params) Done() []trace.Param {
	if p.until > 0 {
		p.Dur("until", p.until)
	}
	return p.list
}
