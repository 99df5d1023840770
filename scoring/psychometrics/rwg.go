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
// 1..options scale. NaN marks a missing answer: each item's variance uses
// the raters who answered it, and items with fewer than 2 answers are left
// out of sbar. Unavailable (ReasonTooFew) when no item has 2 answers. Errors
// on a ragged matrix, options < 2, or an answer outside [1, options].
func RWGJ(ratings [][]float64, options int) (ScaleAgreement, error) {
	null, err := uniformNullVariance(options)
	if err != nil {
		return ScaleAgreement{}, err
	}
	k, err := width(ratings)
	if err != nil {
		return ScaleAgreement{}, err
	}
	s := ScaleAgreement{NullVariance: null}
	for _, row := range ratings {
		for _, x := range row {
			if !math.IsNaN(x) {
				s.N++
				break
			}
		}
	}
	answered := make([]float64, 0, len(ratings))
	var sum float64
	for j := range k {
		answered = answered[:0]
		for _, row := range ratings {
			if !math.IsNaN(row[j]) {
				answered = append(answered, row[j])
			}
		}
		if err := checkAnswers(answered, options); err != nil {
			return ScaleAgreement{}, fmt.Errorf("item %d: %w", j, err)
		}
		if len(answered) < 2 {
			s.ItemsSkipped++
			continue
		}
		_, ss := meanSS(answered)
		sum += ss / float64(len(answered)-1)
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

// uniformNullVariance is the variance of a discrete uniform on 1..A.
func uniformNullVariance(options int) (float64, error) {
	if options < 2 {
		return 0, fmt.Errorf("%w: a scale needs at least 2 options, got %d", ErrInvalidInput, options)
	}
	a := float64(options)
	return (a*a - 1) / 12, nil
}

func checkAnswers(answers []float64, options int) error {
	for i, x := range answers {
		if !(x >= 1 && x <= float64(options)) {
			return fmt.Errorf("%w: answer %d is %v, want 1..%d", ErrInvalidInput, i, x, options)
		}
	}
	return nil
}

// width returns the column count of a rectangular matrix whose cells are
// finite or NaN (missing); 0 for an empty matrix. Infinities are errors.
func width(m [][]float64) (int, error) {
	if len(m) == 0 {
		return 0, nil
	}
	k := len(m[0])
	for i, row := range m {
		if len(row) != k {
			return 0, fmt.Errorf("%w: row %d has %d columns, want %d", ErrInvalidInput, i, len(row), k)
		}
		for j, x := range row {
			if math.IsInf(x, 0) {
				return 0, fmt.Errorf("%w: cell [%d][%d] is %v", ErrInvalidInput, i, j, x)
			}
		}
	}
	return k, nil
}
