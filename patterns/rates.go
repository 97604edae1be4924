package patterns

import "fmt"

// MaxDuplicateRate caps every --duplicate-rate. A lost ack brings a message
// back 1/(1-P) times on average, and each repeat of a command may answer
// again, so near 1 a run would go on for hours; at 0.9 a thousand-order
// saga still ends in seconds.
const MaxDuplicateRate = 0.9

// MaxLossRate caps the rates at which something is lost and sent again,
// such as --drop-reply-rate: a loss at rate P costs 1/(1-P) tries on
// average, so near 1 a run would barely move.
const MaxLossRate = 0.9

// CheckDuplicateRate reports what is wrong with a --duplicate-rate of p.
func CheckDuplicateRate(p float64) error {
	return CheckRate("--duplicate-rate", p, MaxDuplicateRate,
		"past it lost acks bring messages back so often that the run would not end")
}

// CheckRate reports a probability flag's value p outside 0..most as one
// line that names the flag, the range and why, when why is not empty.
func CheckRate(flag string, p, most float64, why string) error {
	if p >= 0 && p <= most {
		return nil
	}
	if why != "" {
		why = ": " + why
	}
	return fmt.Errorf("%s must be from 0 to %v (got %v)%s", flag, most, p, why)
}

// CheckRange reports a count flag's value n outside lo..hi as one line
// that names the flag and the range.
func CheckRange(flag string, n, lo, hi int) error {
	if n >= lo && n <= hi {
		return nil
	}
	return fmt.Errorf("%s must be from %d to %d (got %d)", flag, lo, hi, n)
}
