package scoring

import (
	"math"

	"github.com/lead360/lead360/scoring/psychometrics"
)

// tCrit is t(0.975, df). psychometrics.TQuantile costs about 7 µs a call
// and a cycle of 10,000 leaders needs over two million intervals over a few
// dozen df, so df up to 200 come from t975, a table generated from
// TQuantile and checked against it entry by entry in the tests.
func tCrit(df int) float64 {
	if df < len(t975) {
		return t975[df]
	}
	v, err := psychometrics.TQuantile(0.975, float64(df))
	if err != nil {
		// df >= 1 here, so TQuantile cannot fail.
		panic(err)
	}
	return v
}

// meanCI is psychometrics.MeanCI with the t quantile taken from tCrit:
// the same two-pass mean and SD, SE = SD/sqrt(n) and mean +/- t x SE, and
// the same result field for field (TestMeanCIMatchesPsychometrics checks it
// bit for bit). It exists only because MeanCI recomputes the quantile on
// every call; see docs/scoring.md, "Deviations".
func meanCI(xs []float64) psychometrics.MeanEstimate {
	n := len(xs)
	m := psychometrics.MeanEstimate{N: n, FPC: 1}
	if n == 0 {
		m.Reason = psychometrics.ReasonTooFew
		return m
	}
	m.Mean = mean(xs)
	if n < 2 {
		m.Reason = psychometrics.ReasonTooFew
		return m
	}
	var ss float64
	for _, x := range xs {
		d := x - m.Mean
		ss += d * d
	}
	m.DF = n - 1
	m.SD = math.Sqrt(ss / float64(n-1))
	m.SE = m.SD / math.Sqrt(float64(n)) * m.FPC
	m.TCrit = tCrit(m.DF)
	m.Lower = m.Mean - m.TCrit*m.SE
	m.Upper = m.Mean + m.TCrit*m.SE
	return m
}

// mean is the plain mean, summed in order: the one definition of every
// group mean, so the same raters always give the same bits.
func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func reason(r psychometrics.Reason) Reason { return Reason(r) }

func estimate(e psychometrics.Estimate) Number {
	if !e.Available() {
		return notAvailable(reason(e.Reason))
	}
	return num(e.Value)
}

func interval(i psychometrics.Interval, df int) Interval {
	if !i.Available() {
		return Interval{Reason: reason(i.Reason)}
	}
	return Interval{Lower: i.Lower, Upper: i.Upper, DF: df}
}
