package patterns

import "fmt"

// MaxDuplicateRate caps every --duplicate-rate. A lost ack brings a message
// back 1/(1-P) times on average, and each repeat of a command may answer
// again, so near 1 a run would go on for hours; at 0.9 a thousand-order
// saga still ends in seconds.
const MaxDuplicateRate = 0.9

// CheckDuplicateRate reports what is wrong with a --duplicate-rate of p.
func CheckDuplicateRate(p float64) error {
	if !(p >= 0 && p <= MaxDuplicateRate) {
		return fmt.Errorf("--duplicate-rate must be from 0 to %v (got %v): past it lost acks bring "+
			"messages back so often that the run would not end", MaxDuplicateRate, p)
	}
	return nil
}
