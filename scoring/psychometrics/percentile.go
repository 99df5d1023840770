package psychometrics

import (
	"fmt"
	"math"
)

// Percentile is a value's mid-rank percentile within a cohort.
type Percentile struct {
	N     int // cohort size
	Below int // cohort values more than 1e-9 below the value
	Ties  int // cohort values within 1e-9 of the value
	// Value = 100·(Below + Ties/2)/N, in [0, 100].
	Value  float64
	Reason Reason
}

// PercentileRank places value within cohort for internal norms, using the
// mid-rank definition PR = 100·(below + ties/2)/N. Mid-rank is chosen
// because it is symmetric: a leader tied with the whole cohort sits at 50,
// not at 100 ("at or below") or 0 ("strictly below"), and reversing the
// scale maps PR to 100 - PR. Values within 1e-9 count as ties so that
// means computed in different orders (4.2 vs 4.200000000000001) tie. The
// value need not be a member of the cohort; if it is, the caller decides
// whether to include it. Unavailable (ReasonTooFew) for an empty cohort.
// Errors on non-finite input.
func PercentileRank(value float64, cohort []float64) (Percentile, error) {
	if !finite(value) {
		return Percentile{}, fmt.Errorf("%w: value is %v", ErrInvalidInput, value)
	}
	p := Percentile{N: len(cohort)}
	for i, x := range cohort {
		if !finite(x) {
			return Percentile{}, fmt.Errorf("%w: cohort value %d is %v", ErrInvalidInput, i, x)
		}
		switch {
		case math.Abs(x-value) <= guard:
			p.Ties++
		case x < value:
			p.Below++
		}
	}
	if p.N == 0 {
		p.Reason = ReasonTooFew
		return p, nil
	}
	p.Value = 100 * (float64(p.Below) + float64(p.Ties)/2) / float64(p.N)
	return p, nil
}
