package psychometrics

import (
	"errors"
	"math"
)

// Reason says why a statistic is not available. The empty Reason means the
// value is available. The strings are stable: reports and JSON use them.
type Reason string

// Reasons a statistic can be undefined.
const (
	// ReasonTooFew: fewer observations (raters, rows, leaders, groups) than
	// the statistic needs, or than the configured minimum.
	ReasonTooFew Reason = "too_few"
	// ReasonTooFewItems: fewer items than the statistic needs (alpha needs 2).
	ReasonTooFewItems Reason = "too_few_items"
	// ReasonZeroVariance: a variance or mean square in a denominator is zero,
	// typically because every rating is identical.
	ReasonZeroVariance Reason = "zero_variance"
	// ReasonZeroDenominator: a denominator other than a variance is zero, for
	// example Spearman-Brown at ICC(1) = -1/(n-1).
	ReasonZeroDenominator Reason = "zero_denominator"
)

// Errors returned for input that cannot be scored at all. They are wrapped
// with the detail; test with errors.Is.
var (
	// ErrInvalidInput: non-finite values, out-of-range ratings, mismatched
	// lengths, ragged matrices or bad configuration values.
	ErrInvalidInput = errors.New("psychometrics: invalid input")
	// ErrUnbalanced: a two-way ICC was asked for on data where some target
	// lacks a rating from some rater. Shrout & Fleiss's two-way forms need
	// every target rated by every rater.
	ErrUnbalanced = errors.New("psychometrics: unbalanced or missing ratings")
)

// Estimate is a single coefficient that may be unavailable.
type Estimate struct {
	Value  float64
	Reason Reason
}

// Available reports whether Value may be shown.
func (e Estimate) Available() bool { return e.Reason == "" }

// Interval is a confidence interval that may be unavailable (for example when
// the F statistic it is built from is undefined).
type Interval struct {
	Lower  float64
	Upper  float64
	Reason Reason
}

// Available reports whether Lower and Upper may be shown.
func (i Interval) Available() bool { return i.Reason == "" }

// FTest is an F test with its degrees of freedom and upper-tail p-value.
// DF2 is an integer for every test in this package; the non-integer df of
// the ICC(2,1) interval is reported separately.
type FTest struct {
	F      float64
	DF1    int
	DF2    int
	P      float64
	Reason Reason
}

// Available reports whether F and P may be shown.
func (t FTest) Available() bool { return t.Reason == "" }

// guard is the tolerance of SCORING.md 3.2/3.3: threshold comparisons and
// ties treat values within 1e-9 as equal, so that 2.2-1.2 and 1.0 compare
// the same way.
const guard = 1e-9

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// meanSS returns the mean and the sum of squared deviations, in two passes
// (SCORING.md 5): one-pass formulas lose digits when the mean is large
// relative to the spread, which is exactly the case for Likert means.
func meanSS(xs []float64) (mean, ss float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		d := x - mean
		ss += d * d
	}
	return mean, ss
}
