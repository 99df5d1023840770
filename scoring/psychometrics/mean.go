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
	N      int
	Mean   float64
	SD     float64 // sample SD, n-1 denominator
	SE     float64 // SD/sqrt(N)
	DF     int     // N-1
	TCrit  float64 // t_0.975(DF)
	Lower  float64 // Mean - TCrit*SE, not clipped to the scale
	Upper  float64 // Mean + TCrit*SE, not clipped to the scale
	Reason Reason
}

// MeanCI returns the mean, sample SD, SE and the 95% t interval
// mean ± t_0.975(n-1)·SE of xs (SCORING.md 4.4). It is unavailable
// (ReasonTooFew) for n < 2. Non-finite values are an error: a missing
// rating must be left out by the caller, not passed as NaN.
func MeanCI(xs []float64) (MeanEstimate, error) {
	for i, x := range xs {
		if !finite(x) {
			return MeanEstimate{}, fmt.Errorf("%w: value %d is %v", ErrInvalidInput, i, x)
		}
	}
	n := len(xs)
	m := MeanEstimate{N: n}
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
	return m.withSD(math.Sqrt(ss / float64(n-1)))
}

// withSD sets SD, DF and SE from N, then the interval.
func (m MeanEstimate) withSD(sd float64) (MeanEstimate, error) {
	m.SD = sd
	m.DF = m.N - 1
	m.SE = sd / math.Sqrt(float64(m.N))
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
	m := MeanEstimate{N: int(n)}
	if n == 0 {
		m.Reason = ReasonTooFew
		return m, nil
	}
	m.Mean = float64(sum) / float64(n)
	if n < 2 {
		m.Reason = ReasonTooFew
		return m, nil
	}
	return m.withSD(math.Sqrt(float64(n*sumSq-sum*sum) / float64(n) / float64(n-1)))
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

// MeanCIEqualCounts is MeanCI of the raters' means when each of the n
// raters gave the same number of integer answers, answers, rater i's
// summing to totals[i]: the rater means are totals[i]/answers, so
//
//	Mean = sum(totals)/(n·answers),
//	SD   = sqrt((n·sum(totals²) - sum(totals)²)/(n(n-1))) / answers,
//
// from exact integer sums. That makes it a function of the multiset of
// totals, the same bits in any order, which MeanCI's float sums are not
// (they can differ in the last bit when the order changes); and Mean is
// the same float as sum(answers)/count(answers) computed any other way.
// Errors unless answers >= 1 and every total is at least answers (answers
// start at 1).
func MeanCIEqualCounts(totals []int64, answers int) (MeanEstimate, error) {
	if answers < 1 {
		return MeanEstimate{}, fmt.Errorf("%w: %d answers per rater", ErrInvalidInput, answers)
	}
	var sum, sumSq int64
	for i, t := range totals {
		if t < int64(answers) {
			return MeanEstimate{}, fmt.Errorf("%w: rater %d has total %d over %d answers", ErrInvalidInput, i, t, answers)
		}
		sum += t
		sumSq += t * t
	}
	n := int64(len(totals))
	m := MeanEstimate{N: int(n)}
	if n == 0 {
		m.Reason = ReasonTooFew
		return m, nil
	}
	m.Mean = float64(sum) / float64(n*int64(answers))
	if n < 2 {
		m.Reason = ReasonTooFew
		return m, nil
	}
	return m.withSD(math.Sqrt(float64(n*sumSq-sum*sum)/float64(n)/float64(n-1)) / float64(answers))
}

// MeanCIAnswers is the mean of every answer in a distribution (counts[v-1]
// answers of v), given by raters raters who each gave at least one, with
// the spread of those answers and an interval over the raters:
//
//	Mean = mean of the answers,  SD = their sample SD (answers - 1),
//	CI   = Mean ± t_0.975(raters-1)·SD/sqrt(raters).
//
// Raters, not answers, are the independent units, hence raters-1 df and
// sqrt(raters). By the law of total variance the variance of the answers is
// the mean variance within raters plus the variance of the raters' means,
// so SD is not smaller than the spread of the raters' means (up to the n-1
// corrections) and the interval is not narrower, in expectation, than
// MeanCI of the raters' means would be. It needs nothing but the
// distribution, which is why a group whose raters answered different items
// uses it (docs/scoring.md). Unavailable (ReasonTooFew) for raters < 2.
// Errors on a negative count or fewer answers than raters.
func MeanCIAnswers(counts []int32, raters int) (MeanEstimate, error) {
	answers, err := MeanCICounts(counts)
	if err != nil {
		return MeanEstimate{}, err
	}
	if raters < 0 || answers.N < raters || (answers.N > 0 && raters == 0) {
		return MeanEstimate{}, fmt.Errorf("%w: %d answers from %d raters", ErrInvalidInput, answers.N, raters)
	}
	m := MeanEstimate{N: raters, Mean: answers.Mean}
	if raters < 2 {
		m.Reason = ReasonTooFew
		return m, nil
	}
	return m.withSD(answers.SD) // raters >= 2, so at least 2 answers
}
