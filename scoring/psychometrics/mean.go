package psychometrics

import (
	"fmt"
	"math"
)

// MeanEstimate is a group mean with its precision (SCORING.md 4.4).
//
// Mean is set whenever N >= 1, so a single manager's rating still has a
// mean; the spread fields (SD, SE, DF, TCrit, Lower, Upper) are valid only
// when Reason is empty, which needs N >= 2. SE = 0 when every rater gave the
// same score; that is reported as it is, not as unavailable.
type MeanEstimate struct {
	N     int
	Mean  float64
	SD    float64 // sample SD, n-1 denominator
	SE    float64 // SD/sqrt(N), times FPC
	DF    int     // N-1
	TCrit float64 // t_0.975(DF)
	Lower float64 // Mean - TCrit*SE, not clipped to the scale
	Upper float64 // Mean + TCrit*SE, not clipped to the scale
	// Population is the number of eligible raters when the finite-population
	// correction was applied (MeanCIFinite), else 0.
	Population int
	// FPC is the factor SE was multiplied by: sqrt((Population-N)/(Population-1)),
	// or 1 when no correction was applied.
	FPC    float64
	Reason Reason
}

// MeanCI returns the mean, sample SD, SE and the 95% t interval
// mean ± t_0.975(n-1)·SE of xs (SCORING.md 4.4). It is unavailable
// (ReasonTooFew) for n < 2. Non-finite values are an error: a missing
// rating must be left out by the caller, not passed as NaN.
func MeanCI(xs []float64) (MeanEstimate, error) {
	return meanCI(xs, 0)
}

// MeanCIFinite is MeanCI with the optional finite-population correction of
// SCORING.md 4.4: SE is multiplied by sqrt((N-n)/(N-1)) where population N is
// the number of eligible raters in the group (for example 6 direct reports of
// whom 5 responded). A census (n = N) gives SE = 0. It errors if population
// is less than len(xs). The report must label intervals computed this way.
func MeanCIFinite(xs []float64, population int) (MeanEstimate, error) {
	if population < len(xs) || population < 1 {
		return MeanEstimate{}, fmt.Errorf("%w: population %d smaller than sample %d", ErrInvalidInput, population, len(xs))
	}
	return meanCI(xs, population)
}

func meanCI(xs []float64, population int) (MeanEstimate, error) {
	for i, x := range xs {
		if !finite(x) {
			return MeanEstimate{}, fmt.Errorf("%w: value %d is %v", ErrInvalidInput, i, x)
		}
	}
	n := len(xs)
	m := MeanEstimate{N: n, Population: population, FPC: 1}
	if n == 0 {
		m.Reason = ReasonTooFew
		return m, nil
	}
	mean, ss := meanSS(xs)
	m.Mean = mean
	if n < 2 {
		m.Reason = ReasonTooFew
		return m, nil
	}
	m.DF = n - 1
	m.SD = math.Sqrt(ss / float64(n-1))
	if population > 0 {
		m.FPC = math.Sqrt(float64(population-n) / float64(population-1))
	}
	m.SE = m.SD / math.Sqrt(float64(n)) * m.FPC
	return m.interval()
}

// interval fills TCrit, Lower and Upper from Mean, SE and DF.
func (m MeanEstimate) interval() (MeanEstimate, error) {
	t, err := tCrit975(m.DF)
	if err != nil {
		return MeanEstimate{}, err
	}
	m.TCrit = t
	m.Lower = m.Mean - t*m.SE
	m.Upper = m.Mean + t*m.SE
	return m, nil
}

// MeanCICounts is MeanCI of integer answers given as a distribution:
// counts[v-1] raters answered v. The sums are exact integers, so the mean
// and the sum of squares n*SS = n*sum(x^2) - (sum x)^2 carry one rounding
// each instead of one per answer. Counts must not be negative.
func MeanCICounts(counts []int32) (MeanEstimate, error) {
	n, sum, sumSq, err := countSums(counts)
	if err != nil {
		return MeanEstimate{}, err
	}
	m := MeanEstimate{N: int(n), FPC: 1}
	if n == 0 {
		m.Reason = ReasonTooFew
		return m, nil
	}
	m.Mean = float64(sum) / float64(n)
	if n < 2 {
		m.Reason = ReasonTooFew
		return m, nil
	}
	m.DF = int(n) - 1
	m.SD = math.Sqrt(float64(n*sumSq-sum*sum) / float64(n) / float64(n-1))
	m.SE = m.SD / math.Sqrt(float64(n))
	return m.interval()
}

// countSums returns n, sum(x) and sum(x^2) of a distribution of answers
// 1..len(counts).
func countSums(counts []int32) (n, sum, sumSq int64, err error) {
	for i, c := range counts {
		if c < 0 {
			return 0, 0, 0, fmt.Errorf("%w: %d answers of %d", ErrInvalidInput, c, i+1)
		}
		v := int64(i + 1)
		n += int64(c)
		sum += int64(c) * v
		sumSq += int64(c) * v * v
	}
	return n, sum, sumSq, nil
}

// RatioMeanCI estimates the mean answer of a group in which rater i gave
// counts[i] answers summing to totals[i]: Mean = sum(totals)/sum(counts),
// every answer weighted alike, with the 95% t interval of a ratio estimate
// over the N raters (Cochran, Sampling Techniques, 3rd ed., 1977, 6.3-6.4):
//
//	SD = sqrt( sum_i ((totals[i] - Mean*counts[i]) / cbar)^2 / (N-1) ),
//	SE = SD/sqrt(N), df = N-1, cbar = sum(counts)/N.
//
// Raters, not answers, are the independent units, so the interval has N-1
// degrees of freedom. When every rater gave the same number of answers this
// is MeanCI of the raters' own means, to rounding. Counts must be positive
// and totals finite.
func RatioMeanCI(totals, counts []float64) (MeanEstimate, error) {
	if len(totals) != len(counts) {
		return MeanEstimate{}, fmt.Errorf("%w: %d totals, %d counts", ErrInvalidInput, len(totals), len(counts))
	}
	var sumT, sumC float64
	for i, t := range totals {
		if !finite(t) || !finite(counts[i]) || counts[i] <= 0 {
			return MeanEstimate{}, fmt.Errorf("%w: rater %d has total %v over %v answers", ErrInvalidInput, i, t, counts[i])
		}
		sumT += t
		sumC += counts[i]
	}
	n := len(totals)
	m := MeanEstimate{N: n, FPC: 1}
	if n == 0 {
		m.Reason = ReasonTooFew
		return m, nil
	}
	m.Mean = sumT / sumC
	if n < 2 {
		m.Reason = ReasonTooFew
		return m, nil
	}
	cbar := sumC / float64(n)
	ss := 0.0
	for i, t := range totals {
		d := (t - m.Mean*counts[i]) / cbar
		ss += d * d
	}
	m.DF = n - 1
	m.SD = math.Sqrt(ss / float64(n-1))
	m.SE = m.SD / math.Sqrt(float64(n))
	return m.interval()
}
