package psychometrics

import (
	"fmt"
	"math"
)

// DefaultAlphaMinRows is the fewest complete response rows for which alpha
// is reported (SCORING.md 4.1, design choice): with fewer rows the Feldt
// interval is too wide to say anything.
const DefaultAlphaMinRows = 30

// AlphaEstimate is Cronbach's alpha for one skill with its Feldt interval
// (SCORING.md 4.1).
type AlphaEstimate struct {
	// N is the number of rows actually used, after listwise deletion. The
	// interval uses this N, not the row count before deletion.
	N           int
	RowsDropped int
	K           int // items
	Alpha       float64
	// DF1 and DF2 are the Feldt F degrees of freedom, N-1 and (N-1)(K-1).
	DF1 int
	DF2 int
	// CI is the Feldt, Woodruff & Salih (1987) 95% interval.
	CI Interval
	// IfItemDeleted[i] is alpha on the K-1 items other than item i. It is
	// unavailable when fewer than 2 items remain or the remaining total has
	// zero variance.
	IfItemDeleted []Estimate
	Reason        Reason
}

// CronbachAlpha returns alpha for a rows × items matrix of one skill's
// answers (one row per rater-leader response, self excluded by the caller).
// NaN marks a missing answer; rows with any NaN are dropped (listwise
// deletion) here, so callers pass rows as they are.
//
// Unavailable with ReasonTooFewItems if K < 2, ReasonTooFew if fewer than
// minRows complete rows remain, and ReasonZeroVariance if every complete row
// has the same total. minRows is normally DefaultAlphaMinRows; it must be at
// least 2. Errors on a ragged matrix, an infinite value or minRows < 2.
func CronbachAlpha(rows [][]float64, minRows int) (AlphaEstimate, error) {
	if minRows < 2 {
		return AlphaEstimate{}, fmt.Errorf("%w: alpha needs minRows >= 2, got %d", ErrInvalidInput, minRows)
	}
	k, err := width(rows)
	if err != nil {
		return AlphaEstimate{}, err
	}
	complete := make([][]float64, 0, len(rows))
	for _, row := range rows {
		if !hasNaN(row) {
			complete = append(complete, row)
		}
	}
	a := AlphaEstimate{N: len(complete), RowsDropped: len(rows) - len(complete), K: k}
	if k < 2 {
		a.Reason = ReasonTooFewItems
		return a, nil
	}
	if a.N < minRows {
		a.Reason = ReasonTooFew
		return a, nil
	}
	if sameTotals(complete, -1) {
		a.Reason = ReasonZeroVariance
		return a, nil
	}

	c := covariance(complete, k)
	trace, sum, rowSums := covSums(c)
	a.Alpha = alphaFromCov(k, trace, sum)

	a.DF1 = a.N - 1
	a.DF2 = (a.N - 1) * (k - 1)
	hi, err := FQuantile(0.975, float64(a.DF1), float64(a.DF2))
	if err != nil {
		return AlphaEstimate{}, err
	}
	lo, err := FQuantile(0.025, float64(a.DF1), float64(a.DF2))
	if err != nil {
		return AlphaEstimate{}, err
	}
	a.CI = Interval{Lower: 1 - (1-a.Alpha)*hi, Upper: 1 - (1-a.Alpha)*lo}

	// Removing item i removes row and column i of C: the trace loses c_ii and
	// the grand sum loses 2*rowsum_i - c_ii. No need to recompute C.
	a.IfItemDeleted = make([]Estimate, k)
	for i := range k {
		switch {
		case k-1 < 2:
			a.IfItemDeleted[i].Reason = ReasonTooFewItems
		case sameTotals(complete, i):
			a.IfItemDeleted[i].Reason = ReasonZeroVariance
		default:
			a.IfItemDeleted[i].Value = alphaIfDeleted(c, i, trace, sum, rowSums)
		}
	}
	return a, nil
}

// covSums returns trace(C), the grand sum of C (= var(total)) and the row
// sums of C, everything alpha and alpha-if-item-deleted need.
func covSums(c [][]float64) (trace, sum float64, rowSums []float64) {
	rowSums = make([]float64, len(c))
	for i, row := range c {
		trace += row[i]
		for _, x := range row {
			rowSums[i] += x
		}
		sum += rowSums[i]
	}
	return trace, sum, rowSums
}

// alphaIfDeleted is alpha without item i, read off the full covariance
// matrix (SCORING.md 4.1; the StatsBase approach).
func alphaIfDeleted(c [][]float64, i int, trace, sum float64, rowSums []float64) float64 {
	return alphaFromCov(len(c)-1, trace-c[i][i], sum-2*rowSums[i]+c[i][i])
}

// alphaFromCov is k/(k-1)·(1 - trace(C)/sum(C)); sum(C) is var(total).
func alphaFromCov(k int, trace, sum float64) float64 {
	kf := float64(k)
	return kf / (kf - 1) * (1 - trace/sum)
}

// covariance is the k × k sample covariance (n-1) of complete rows, with
// column means taken first (two passes).
func covariance(rows [][]float64, k int) [][]float64 {
	n := float64(len(rows))
	means := make([]float64, k)
	for _, row := range rows {
		for j, x := range row {
			means[j] += x
		}
	}
	for j := range means {
		means[j] /= n
	}
	c := make([][]float64, k)
	for i := range c {
		c[i] = make([]float64, k)
	}
	dev := make([]float64, k)
	for _, row := range rows {
		for j, x := range row {
			dev[j] = x - means[j]
		}
		for i := range k {
			for j := i; j < k; j++ {
				c[i][j] += dev[i] * dev[j]
			}
		}
	}
	for i := range k {
		for j := i; j < k; j++ {
			c[i][j] /= n - 1
			c[j][i] = c[i][j]
		}
	}
	return c
}

// sameTotals reports whether every row has the same total, leaving out
// column skip (-1 for none). Checked on the totals themselves rather than on
// a computed variance, because rounding can leave a variance of 1e-17 where
// the true value is exactly zero.
func sameTotals(rows [][]float64, skip int) bool {
	var first float64
	for r, row := range rows {
		var t float64
		for j, x := range row {
			if j != skip {
				t += x
			}
		}
		if r == 0 {
			first = t
		} else if t != first {
			return false
		}
	}
	return true
}

func hasNaN(row []float64) bool {
	for _, x := range row {
		if math.IsNaN(x) {
			return true
		}
	}
	return false
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
