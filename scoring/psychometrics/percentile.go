package psychometrics

import (
	"fmt"
	"math"
	"slices"
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

// PercentileRanks returns PercentileRank(cohort[i], cohort) for every member
// of the cohort, bit for bit, in O(n log n) instead of O(n^2): one sort and
// two binary searches per member. Scoring needs it for 10,000-leader
// cohorts, where n scans of the cohort would be 10^8 comparisons per skill.
// Errors on non-finite input.
func PercentileRanks(cohort []float64) ([]Percentile, error) {
	for i, x := range cohort {
		if !finite(x) {
			return nil, fmt.Errorf("%w: cohort value %d is %v", ErrInvalidInput, i, x)
		}
	}
	sorted := slices.Clone(cohort)
	slices.Sort(sorted)
	n := len(sorted)
	out := make([]Percentile, n)
	for i, v := range cohort {
		// PercentileRank's classes are: tie if |x-v| <= guard, else below if
		// x < v, else above. In sorted order "below" is a prefix and "above"
		// a suffix, so two binary searches find their boundaries.
		below, _ := slices.BinarySearchFunc(sorted, v, func(x, v float64) int {
			if math.Abs(x-v) > guard && x < v {
				return -1
			}
			return 1
		})
		notAbove, _ := slices.BinarySearchFunc(sorted, v, func(x, v float64) int {
			if math.Abs(x-v) > guard && x > v {
				return 1
			}
			return -1
		})
		ties := notAbove - below
		out[i] = Percentile{N: n, Below: below, Ties: ties, Value: 100 * (float64(below) + float64(ties)/2) / float64(n)}
	}
	return out, nil
}
