package psychometrics

import (
	"fmt"
	"math"
)

// GroupICC is the one-way ANOVA of rater scores on leader, with raters
// nested in leaders and unequal group sizes (SCORING.md 4.3, the forms the
// engine reports at cohort level).
type GroupICC struct {
	Groups int     // g, groups with at least one score
	N      int     // total scores over all groups
	KBar   float64 // N/g, the average group size (R multilevel ICC1 convention)
	MSB    float64 // between-groups mean square, df g-1
	MSW    float64 // within-groups mean square, df N-g
	// Test is F = MSB/MSW on (g-1, N-g) df.
	Test FTest
	// ICC1 = (MSB - MSW)/(MSB + (KBar-1)·MSW): the share of rating variance
	// that belongs to the leader rather than to the rater. Can be negative;
	// report it as it is.
	ICC1 Estimate
	// ICC2 = (MSB - MSW)/MSB: reliability of a group mean at the average
	// group size.
	ICC2   Estimate
	Reason Reason
}

// GroupSummary is one group's size, mean and sample SD (n-1
// denominator; ignored for N < 2): what a report shows of it.
type GroupSummary struct {
	N        int
	Mean, SD float64
}

// OneWayICC returns ICC(1) and ICC(2) for groups[i] = the size, mean and
// SD of the scores of the raters of leader i (Bliese, 2000; R multilevel
// ICC1/ICC2). The one-way ANOVA needs nothing else: SSB = sum n_i (mean_i -
// grand)^2 and SSW = sum (n_i - 1) SD_i^2. Taking summaries rather than the
// scores lets the engine build it from the figures the reports already show
// (docs/scoring.md, "Cohort"). Empty groups are skipped: a leader without
// scores carries no information. Unavailable (ReasonTooFew) with fewer than
// 2 non-empty groups or when no group has 2 scores (no within-group df).
// Errors on a negative size or a non-finite mean or SD.
func OneWayICC(groups []GroupSummary) (GroupICC, error) {
	var r GroupICC
	var grand float64
	for i, g := range groups {
		if g.N < 0 || !finite(g.Mean) || !finite(g.SD) {
			return GroupICC{}, fmt.Errorf("%w: group %d has n %d, mean %v, SD %v", ErrInvalidInput, i, g.N, g.Mean, g.SD)
		}
		if g.N > 0 {
			r.Groups++
			r.N += g.N
			grand += float64(g.N) * g.Mean
		}
	}
	dfB, dfW := r.Groups-1, r.N-r.Groups
	if r.Groups < 2 || dfW < 1 {
		r.Reason = ReasonTooFew
		return r, nil
	}
	grand /= float64(r.N)
	var ssB, ssW float64
	for _, g := range groups {
		if g.N == 0 {
			continue
		}
		if g.N > 1 {
			ssW += float64(g.N-1) * g.SD * g.SD
		}
		d := g.Mean - grand
		ssB += float64(g.N) * d * d
	}
	r.KBar = float64(r.N) / float64(r.Groups)
	r.MSB = ssB / float64(dfB)
	r.MSW = ssW / float64(dfW)
	r.Test = fTest(r.MSB, r.MSW, dfB, dfW)
	r.ICC1 = ratio(r.MSB-r.MSW, r.MSB+(r.KBar-1)*r.MSW, ReasonZeroVariance)
	r.ICC2 = ratio(r.MSB-r.MSW, r.MSB, ReasonZeroVariance)
	return r, nil
}

// MeanReliability is the Spearman-Brown reliability of the mean of n raters
// given a single-rater ICC(1): n·icc/(1 + (n-1)·icc) (R multilevel
// gmeanrel). It answers "how far can this leader's all-others mean be
// trusted with its own n", which is why it sits next to O in the report.
// Unavailable (ReasonTooFew) for n < 1 and (ReasonZeroDenominator) when
// icc = -1/(n-1). Errors on a non-finite icc.
func MeanReliability(icc float64, n int) (Estimate, error) {
	if !finite(icc) {
		return Estimate{}, fmt.Errorf("%w: icc is %v", ErrInvalidInput, icc)
	}
	if n < 1 {
		return Estimate{Reason: ReasonTooFew}, nil
	}
	nf := float64(n)
	return ratio(nf*icc, 1+(nf-1)*icc, ReasonZeroDenominator), nil
}

// ICC is one Shrout & Fleiss (1979) form with its F test and 95% interval.
type ICC struct {
	Form   string // "ICC(1,1)", "ICC(2,k)", ...; k stays a letter, as in the paper
	Value  float64
	Reason Reason
	Test   FTest
	CI     Interval
}

// ShroutFleissICC holds the six Shrout & Fleiss forms for a balanced
// n targets × k raters design, and the ANOVA they come from.
type ShroutFleissICC struct {
	N   int     // targets
	K   int     // raters per target
	MSB float64 // between targets, df n-1
	MSJ float64 // between raters, df k-1
	MSE float64 // residual, df (n-1)(k-1)
	MSW float64 // pooled within target, df n(k-1)
	// V is the non-integer df of the ICC(2,1) interval (McGraw & Wong's v),
	// 0 when that interval is unavailable.
	V float64

	ICC11 ICC // one-way random, single rater
	ICC21 ICC // two-way random, absolute agreement, single rater
	ICC31 ICC // two-way mixed, consistency, single rater
	ICC1K ICC // one-way random, mean of k raters
	ICC2K ICC // two-way random, absolute agreement, mean of k raters
	ICC3K ICC // two-way mixed, consistency, mean of k raters

	Reason Reason
}

// Forms returns the six forms in Shrout & Fleiss's order, for tables.
func (s ShroutFleissICC) Forms() []ICC {
	return []ICC{s.ICC11, s.ICC21, s.ICC31, s.ICC1K, s.ICC2K, s.ICC3K}
}

// ShroutFleiss computes the six ICC forms with F tests and 95% intervals
// (SCORING.md 4.3) for ratings[i][j] = rating of target i by rater j. The
// two-way forms are only meaningful when the same k raters rate every
// target, so a ragged matrix or a NaN cell is rejected with ErrUnbalanced
// instead of being deleted silently. Unavailable (ReasonTooFew) for fewer
// than 2 targets or 2 raters. A form whose denominator is zero is
// unavailable with ReasonZeroVariance; its interval is unavailable whenever
// the F test is (zero MSW or MSE).
func ShroutFleiss(ratings [][]float64) (ShroutFleissICC, error) {
	n, k, err := balancedSize(ratings)
	if err != nil {
		return ShroutFleissICC{}, err
	}
	s := ShroutFleissICC{N: n, K: k}
	if n < 2 || k < 2 {
		s.Reason = ReasonTooFew
		return s, nil
	}
	dfB, dfJ, dfE, dfW := n-1, k-1, (n-1)*(k-1), n*(k-1)
	ssB, ssJ, ssE, ssW := sumsOfSquares(ratings)
	s.MSB = ssB / float64(dfB)
	s.MSJ = ssJ / float64(dfJ)
	s.MSE = ssE / float64(dfE)
	s.MSW = ssW / float64(dfW)
	s.setForms(fTest(s.MSB, s.MSW, dfB, dfW), fTest(s.MSB, s.MSE, dfB, dfE))
	if err := s.setCase1And3Intervals(); err != nil {
		return ShroutFleissICC{}, err
	}
	if err := s.setCase2Intervals(); err != nil {
		return ShroutFleissICC{}, err
	}
	// An interval around a value that is not shown would mislead.
	for _, c := range []*ICC{&s.ICC11, &s.ICC21, &s.ICC31, &s.ICC1K, &s.ICC2K, &s.ICC3K} {
		if !c.Available() {
			c.CI = Interval{Reason: c.Reason}
		}
	}
	return s, nil
}

// balancedSize returns the number of targets (rows) and raters (columns)
// of ratings: ErrUnbalanced for a ragged matrix or a NaN cell,
// ErrInvalidInput for an infinite one.
func balancedSize(ratings [][]float64) (n, k int, err error) {
	n = len(ratings)
	if n > 0 {
		k = len(ratings[0])
	}
	for i, row := range ratings {
		if len(row) != k {
			return 0, 0, fmt.Errorf("%w: target %d has %d ratings, want %d", ErrUnbalanced, i, len(row), k)
		}
		for j, x := range row {
			if math.IsNaN(x) {
				return 0, 0, fmt.Errorf("%w: target %d rater %d is missing", ErrUnbalanced, i, j)
			}
			if math.IsInf(x, 0) {
				return 0, 0, fmt.Errorf("%w: target %d rater %d is %v", ErrInvalidInput, i, j, x)
			}
		}
	}
	return n, k, nil
}

// sumsOfSquares is the two-way ANOVA of a balanced n targets x k raters
// matrix: between targets, between raters, residual, and pooled within
// target. Each is taken from its own deviations rather than by subtraction
// from the total, so that rounding cannot make SSE negative.
func sumsOfSquares(ratings [][]float64) (ssB, ssJ, ssE, ssW float64) {
	n, k := len(ratings), len(ratings[0])
	nf, kf := float64(n), float64(k)
	rowMeans := make([]float64, n)
	colMeans := make([]float64, k)
	var grand float64
	for i, row := range ratings {
		for j, x := range row {
			rowMeans[i] += x
			colMeans[j] += x
			grand += x
		}
	}
	for i := range rowMeans {
		rowMeans[i] /= kf
	}
	for j := range colMeans {
		colMeans[j] /= nf
	}
	grand /= nf * kf
	for _, m := range rowMeans {
		ssB += kf * (m - grand) * (m - grand)
	}
	for _, m := range colMeans {
		ssJ += nf * (m - grand) * (m - grand)
	}
	for i, row := range ratings {
		for j, x := range row {
			e := x - rowMeans[i] - colMeans[j] + grand
			ssE += e * e
			w := x - rowMeans[i]
			ssW += w * w
		}
	}
	return ssB, ssJ, ssE, ssW
}

// setForms computes the six forms from the mean squares, with the one-way
// F test (MSB/MSW) or the two-way one (MSB/MSE). Every interval starts
// unavailable; setCase1And3Intervals and setCase2Intervals fill in the ones
// whose F test and quantiles exist.
func (s *ShroutFleissICC) setForms(oneWay, twoWay FTest) {
	nf, kf := float64(s.N), float64(s.K)
	msb, msj, mse, msw := s.MSB, s.MSJ, s.MSE, s.MSW
	s.ICC11 = newICC("ICC(1,1)", ratio(msb-msw, msb+(kf-1)*msw, ReasonZeroVariance), oneWay)
	s.ICC21 = newICC("ICC(2,1)", ratio(msb-mse, msb+(kf-1)*mse+kf*(msj-mse)/nf, ReasonZeroVariance), twoWay)
	s.ICC31 = newICC("ICC(3,1)", ratio(msb-mse, msb+(kf-1)*mse, ReasonZeroVariance), twoWay)
	s.ICC1K = newICC("ICC(1,k)", ratio(msb-msw, msb, ReasonZeroVariance), oneWay)
	s.ICC2K = newICC("ICC(2,k)", ratio(msb-mse, msb+(msj-mse)/nf, ReasonZeroVariance), twoWay)
	s.ICC3K = newICC("ICC(3,k)", ratio(msb-mse, msb, ReasonZeroVariance), twoWay)
}

// setCase1And3Intervals sets the intervals of cases 1 (one-way random) and
// 3 (two-way mixed): FL = F/F_0.975(df1, df2), FU = F·F_0.975(df2, df1).
func (s *ShroutFleissICC) setCase1And3Intervals() error {
	kf := float64(s.K)
	for _, c := range []struct{ single, mean *ICC }{{&s.ICC11, &s.ICC1K}, {&s.ICC31, &s.ICC3K}} {
		t := c.single.Test
		if !t.Available() {
			continue
		}
		qLo, err := FQuantile(0.975, float64(t.DF1), float64(t.DF2))
		if err != nil {
			return err
		}
		qHi, err := FQuantile(0.975, float64(t.DF2), float64(t.DF1))
		if err != nil {
			return err
		}
		fl, fu := t.F/qLo, t.F*qHi
		c.single.CI = Interval{Lower: (fl - 1) / (fl + kf - 1), Upper: (fu - 1) / (fu + kf - 1)}
		// FL = 0 only when MSB = 0, where ICC(1,k) is unavailable anyway.
		if fl > 0 {
			c.mean.CI = Interval{Lower: 1 - 1/fl, Upper: 1 - 1/fu}
		}
	}
	return nil
}

// setCase2Intervals sets the intervals of case 2 (two-way random; McGraw &
// Wong, 1996), which have the non-integer df v.
func (s *ShroutFleissICC) setCase2Intervals() error {
	if !s.ICC21.Available() || !s.ICC21.Test.Available() {
		return nil
	}
	nf, kf := float64(s.N), float64(s.K)
	msb, msj, mse := s.MSB, s.MSJ, s.MSE
	rho := s.ICC21.Value
	fj := msj / mse
	b := nf*(1+(kf-1)*rho) - kf*rho
	num := kf*rho*fj + b
	v := (kf - 1) * (nf - 1) * num * num / ((nf-1)*kf*kf*rho*rho*fj*fj + b*b)
	if v <= 0 || !finite(v) {
		return nil
	}
	s.V = v
	fStar, err := FQuantile(0.975, nf-1, v)
	if err != nil {
		return err
	}
	fStar2, err := FQuantile(0.975, v, nf-1)
	if err != nil {
		return err
	}
	c := kf*msj + (kf*nf-kf-nf)*mse
	lo := nf * (msb - fStar*mse) / (fStar*c + nf*msb)
	hi := nf * (fStar2*msb - mse) / (c + nf*fStar2*msb)
	s.ICC21.CI = Interval{Lower: lo, Upper: hi}
	s.ICC2K.CI = Interval{Lower: spearmanBrown(lo, kf), Upper: spearmanBrown(hi, kf)}
	return nil
}

// Available reports whether Value may be shown.
func (c ICC) Available() bool { return c.Reason == "" }

func newICC(form string, e Estimate, t FTest) ICC {
	return ICC{Form: form, Value: e.Value, Reason: e.Reason, Test: t, CI: Interval{Reason: ReasonZeroVariance}}
}

func spearmanBrown(r, k float64) float64 { return k * r / (1 + (k-1)*r) }

// ratio is num/den, unavailable with the given reason when den is zero.
func ratio(num, den float64, why Reason) Estimate {
	if den == 0 {
		return Estimate{Reason: why}
	}
	return Estimate{Value: num / den}
}
