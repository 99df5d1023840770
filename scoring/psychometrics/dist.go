package psychometrics

import (
	"fmt"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// TQuantile returns the p quantile of Student's t with df degrees of freedom.
// df need not be an integer. It errors (ErrInvalidInput) unless 0 < p < 1 and
// df > 0, because gonum panics or returns NaN outside that range.
func TQuantile(p, df float64) (float64, error) {
	if !(p > 0 && p < 1) || !(df > 0) || !finite(df) {
		return 0, fmt.Errorf("%w: t quantile p=%v df=%v", ErrInvalidInput, p, df)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p), nil
}

// FQuantile returns the p quantile of the F distribution with df1 and df2
// degrees of freedom. Non-integer df are allowed, which the ICC(2,1)
// interval needs (SCORING.md 4.3, case 2). Errors as TQuantile.
func FQuantile(p, df1, df2 float64) (float64, error) {
	if !(p > 0 && p < 1) || !(df1 > 0) || !(df2 > 0) || !finite(df1) || !finite(df2) {
		return 0, fmt.Errorf("%w: F quantile p=%v df1=%v df2=%v", ErrInvalidInput, p, df1, df2)
	}
	return distuv.F{D1: df1, D2: df2}.Quantile(p), nil
}

// fSurvival is P(F > f), the p-value of an F test.
func fSurvival(f float64, df1, df2 int) float64 {
	return distuv.F{D1: float64(df1), D2: float64(df2)}.Survival(f)
}

// fTest builds the F test num/den; it is unavailable when den is zero
// because the ratio is then infinite or undefined.
func fTest(num, den float64, df1, df2 int) FTest {
	t := FTest{DF1: df1, DF2: df2}
	if den <= 0 {
		t.Reason = ReasonZeroVariance
		return t
	}
	t.F = num / den
	t.P = fSurvival(t.F, df1, df2)
	return t
}

// tCritTableSize covers every rater group a 360 can have; larger df fall
// back to computing the quantile.
const tCritTableSize = 512

// tCritTable holds t_0.975(df) for df 1..tCritTableSize-1. Scoring a cohort
// asks for the same few critical values millions of times, and gonum's
// quantile (an incomplete-beta inversion) costs microseconds a call.
var tCritTable = sync.OnceValue(func() []float64 {
	table := make([]float64, tCritTableSize)
	for df := 1; df < tCritTableSize; df++ {
		table[df] = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
	}
	return table
})

// T975 is t_0.975 with df degrees of freedom (the critical value of a 95%
// interval), from a table for df below 512: about 2 ns instead of the
// microseconds of TQuantile, for callers that build millions of intervals.
// It errors (ErrInvalidInput) for df < 1.
func T975(df int) (float64, error) { return tCrit975(df) }

// tCrit975 is t_0.975 with df degrees of freedom, from the table when it
// can be.
func tCrit975(df int) (float64, error) {
	if df > 0 && df < tCritTableSize {
		return tCritTable()[df], nil
	}
	return TQuantile(0.975, float64(df))
}
