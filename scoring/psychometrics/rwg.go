package psychometrics

import (
	"fmt"
	"math"
)

// ItemAgreement is r_wg for one item (James, Demaree & Wolf, 1984;
// SCORING.md 4.2).
type ItemAgreement struct {
	N            int
	Variance     float64 // s_x^2, n-1 denominator
	NullVariance float64 // sigma_EU^2 = (A^2-1)/12
	// Value is r_wg truncated at 0: when the raters are more spread out than
	// uniform random answering, agreement is reported as none, not negative.
	Value float64
	// Untruncated is 1 - s_x^2/sigma_EU^2 without the truncation. Below 0 it
	// flags polarised raters (two camps), which is worth telling the reader.
	Untruncated float64
	Reason      Reason
}

// RWG returns r_wg for the answers of n raters to one item against the
// uniform null, given as their distribution on a 1..len(counts) scale:
// counts[v-1] raters answered v. The variance comes from exact integer sums
// (as in MeanCICounts). Unavailable (ReasonTooFew) for n < 2. It errors if
// the scale has fewer than 2 options or a count is negative.
func RWG(counts []int32) (ItemAgreement, error) {
	null, err := uniformNullVariance(len(counts))
	if err != nil {
		return ItemAgreement{}, err
	}
	n, sum, sumSq, err := countSums(counts)
	if err != nil {
		return ItemAgreement{}, err
	}
	a := ItemAgreement{N: int(n), NullVariance: null}
	if n < 2 {
		a.Reason = ReasonTooFew
		return a, nil
	}
	a.Variance = float64(n*sumSq-sum*sum) / float64(n) / float64(n-1)
	a.Untruncated = 1 - a.Variance/null
	a.Value = math.Max(a.Untruncated, 0)
	return a, nil
}

// ScaleAgreement is r_wg(J) for a skill of J items (James et al., 1984) and
// Lindell, Brandt & Whitney's (1999) r*_wg(J) (SCORING.md 4.2).
type ScaleAgreement struct {
	// N is the number of raters with at least one answer in the skill.
	N int
	// J is the number of items that entered sbar (answered by >= 2 raters).
	J int
	// ItemsSkipped counts items answered by fewer than 2 raters.
	ItemsSkipped int
	// MeanVariance is sbar, the mean of the item variances, before capping.
	MeanVariance float64
	NullVariance float64 // sigma_EU^2 = (A^2-1)/12
	// Value is r_wg(J), with sbar capped at sigma_EU^2 so it is never below 0
	// (as multilevel's rwg.j does).
	Value float64
	// Lindell is r*_wg(J) = 1 - sbar/sigma_EU^2, uncapped, so it can be
	// negative. Unlike r_wg(J) it does not rise with J, which makes it the
	// fairer number to compare skills with different item counts.
	Lindell float64
	Reason  Reason
}

// RWGJ returns r_wg(J) for a raters × items matrix of answers on a
// 1..options scale, where a cell of 0 or less is a missing answer ("not
// observed" or not asked). Each item's variance uses the raters who answered
// it, from exact integer sums; items with fewer than 2 answers are left out
// of sbar. Unavailable (ReasonTooFew) when no item has 2 answers. Errors on
// a ragged matrix, options < 2, or an answer above options.
func RWGJ(ratings [][]int8, options int) (ScaleAgreement, error) {
	null, err := uniformNullVariance(options)
	if err != nil {
		return ScaleAgreement{}, err
	}
	s := ScaleAgreement{NullVariance: null}
	if len(ratings) == 0 {
		s.Reason = ReasonTooFew
		return s, nil
	}
	k := len(ratings[0])
	// Skills have a handful of items: keep the sums on the stack.
	var small [32]itemSums
	var sums []itemSums
	if k <= len(small) {
		sums = small[:k]
	} else {
		sums = make([]itemSums, k)
	}
	for i, row := range ratings {
		if len(row) != k {
			return ScaleAgreement{}, fmt.Errorf("%w: row %d has %d items, row 0 has %d", ErrInvalidInput, i, len(row), k)
		}
		answered := false
		for j, c := range row {
			if c <= 0 {
				continue
			}
			if int(c) > options {
				return ScaleAgreement{}, fmt.Errorf("%w: item %d: answer %d, want 1..%d", ErrInvalidInput, j, c, options)
			}
			v := int64(c)
			sums[j].n++
			sums[j].sum += v
			sums[j].sumSq += v * v
			answered = true
		}
		if answered {
			s.N++
		}
	}
	var sum float64
	for _, it := range sums {
		if it.n < 2 {
			s.ItemsSkipped++
			continue
		}
		sum += float64(it.n*it.sumSq-it.sum*it.sum) / float64(it.n) / float64(it.n-1)
		s.J++
	}
	if s.J == 0 {
		s.Reason = ReasonTooFew
		return s, nil
	}
	s.MeanVariance = sum / float64(s.J)
	s.Lindell = 1 - s.MeanVariance/null
	ratio := math.Min(s.MeanVariance, null) / null
	j := float64(s.J)
	s.Value = j * (1 - ratio) / (j*(1-ratio) + ratio)
	return s, nil
}

// itemSums are the count, sum and sum of squares of one item's answers.
type itemSums struct{ n, sum, sumSq int64 }

// uniformNullVariance is the variance of a discrete uniform on 1..A.
func uniformNullVariance(options int) (float64, error) {
	if options < 2 {
		return 0, fmt.Errorf("%w: a scale needs at least 2 options, got %d", ErrInvalidInput, options)
	}
	a := float64(options)
	return (a*a - 1) / 12, nil
}
