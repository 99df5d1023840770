package psychometrics

import (
	"errors"
	"testing"
)

// pingouinWideMissing is pingouin's "cronbach_wide_missing" data set
// (raphaelvallat/pingouin, src/pingouin/datasets/cronbach_wide_missing.csv):
// 12 respondents x 11 binary items, 3 respondents with a missing answer.
var pingouinWideMissing = [][]float64{
	{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
	{1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0},
	{nan, 0, 1, 1, nan, 1, 1, 1, 1, 0, 0},
	{1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0},
	{1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0},
	{0, 1, nan, 0, 1, 1, 1, 1, 0, 0, 0},
	{1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0},
	{1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0},
	{0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0},
	{1, 0, 0, 1, 0, 1, 0, 0, nan, 0, 0},
	{1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0},
	{1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0},
}

func TestCronbachAlphaMatchesPingouinListwise(t *testing.T) {
	t.Parallel()
	// pingouin.cronbach_alpha docstring (src/pingouin/reliability.py):
	//   pg.cronbach_alpha(data=data, nan_policy="listwise")
	//   (0.8016949152542373, array([0.533, 0.947]))
	// and "# In R: psych::alpha(data[complete.cases(data), ])". pingouin's
	// interval uses the 9 complete rows, as SCORING.md 4.1 requires.
	got, err := CronbachAlpha(pingouinWideMissing, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got.Reason != "" || got.N != 9 || got.RowsDropped != 3 || got.K != 11 {
		t.Fatalf("got N %d dropped %d K %d reason %q, want 9, 3, 11, available", got.N, got.RowsDropped, got.K, got.Reason)
	}
	if got.DF1 != 8 || got.DF2 != 80 {
		t.Errorf("df = (%d, %d), want (8, 80)", got.DF1, got.DF2)
	}
	near(t, "alpha", got.Alpha, 0.8016949152542373, 1e-12)
	near(t, "lower", got.CI.Lower, 0.533, tol3)
	near(t, "upper", got.CI.Upper, 0.947, tol3)
	if len(got.IfItemDeleted) != 11 {
		t.Fatalf("IfItemDeleted has %d entries, want 11", len(got.IfItemDeleted))
	}
	// The shortcut through the full covariance matrix must agree with
	// recomputing alpha on the 10 remaining columns.
	for i := range 11 {
		rest := make([][]float64, 0, len(pingouinWideMissing))
		for _, row := range pingouinWideMissing {
			r := append(append([]float64{}, row[:i]...), row[i+1:]...)
			if !hasNaN(row) {
				rest = append(rest, r)
			}
		}
		want, err := CronbachAlpha(rest, 2)
		if err != nil {
			t.Fatal(err)
		}
		if !got.IfItemDeleted[i].Available() {
			t.Fatalf("item %d: %q", i, got.IfItemDeleted[i].Reason)
		}
		near(t, "alpha if deleted", got.IfItemDeleted[i].Value, want.Alpha, 1e-12)
	}
}

func TestAlphaIfDeletedMatchesStatsBase(t *testing.T) {
	t.Parallel()
	// StatsBase.jl cronbachalpha docstring (src/reliability.jl):
	//   cov_X = [10 6 6 6; 6 11 6 6; 6 6 12 6; 6 6 6 13]
	//   alpha 0.8136; dropped 0.7500, 0.7606, 0.7714, 0.7826
	// By hand: trace 46, sum 46+72 = 118 -> 4/3 (1 - 46/118) = 0.813559.
	// Drop item 1: trace 36, sum 118 - 2*28 + 10 = 72 -> 3/2 (1 - 36/72) = 0.75.
	c := [][]float64{{10, 6, 6, 6}, {6, 11, 6, 6}, {6, 6, 12, 6}, {6, 6, 6, 13}}
	trace, sum, rowSums := covSums(c)
	near(t, "alpha", alphaFromCov(4, trace, sum), 0.8136, 5e-5)
	for i, want := range []float64{0.7500, 0.7606, 0.7714, 0.7826} {
		near(t, "alpha if deleted", alphaIfDeleted(c, i, trace, sum, rowSums), want, 5e-5)
	}
}

func TestCronbachAlphaUnavailable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		rows    [][]float64
		minRows int
		reason  Reason
		n       int
	}{
		// 9 complete rows are fewer than the default 30
		{"below default minimum", pingouinWideMissing, DefaultAlphaMinRows, ReasonTooFew, 9},
		{"one item", [][]float64{{1}, {2}, {3}}, 2, ReasonTooFewItems, 3},
		// totals 3,3,3: var(total) = 0 although each item varies
		{"zero total variance", [][]float64{{1, 2}, {2, 1}, {1.5, 1.5}}, 2, ReasonZeroVariance, 3},
		// listwise deletion leaves one row
		{"one complete row", [][]float64{{1, 2}, {nan, 1}, {3, nan}}, 2, ReasonTooFew, 1},
		{"no rows", nil, 2, ReasonTooFewItems, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := CronbachAlpha(tc.rows, tc.minRows)
			if err != nil {
				t.Fatal(err)
			}
			if got.Reason != tc.reason || got.N != tc.n {
				t.Errorf("got reason %q n %d, want %q %d", got.Reason, got.N, tc.reason, tc.n)
			}
			if got.Alpha != 0 || got.CI != (Interval{}) || got.IfItemDeleted != nil {
				t.Errorf("unavailable alpha carries numbers: %+v", got)
			}
		})
	}
}

func TestCronbachAlphaTwoItems(t *testing.T) {
	t.Parallel()
	// items x = 1,2,3,4 and y = 2,2,4,4: var x = 5/3, var y = 4/3,
	// cov = (-1.5·-1 + -0.5·-1 + 0.5·1 + 1.5·1)/3 = 4/3
	// var(total) = 5/3 + 4/3 + 2·4/3 = 17/3
	// alpha = 2 (1 - 3/(17/3)) = 2 (1 - 9/17) = 16/17 = 0.941176
	// Deleting either item leaves one item: not available.
	got, err := CronbachAlpha([][]float64{{1, 2}, {2, 2}, {3, 4}, {4, 4}}, 2)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "alpha", got.Alpha, 16.0/17, tolX)
	for i, e := range got.IfItemDeleted {
		if e.Reason != ReasonTooFewItems {
			t.Errorf("item %d deleted: %+v, want %q", i, e, ReasonTooFewItems)
		}
	}
	if !(got.CI.Lower < got.Alpha && got.Alpha < got.CI.Upper) {
		t.Errorf("alpha %v outside its interval %+v", got.Alpha, got.CI)
	}
}

func TestCronbachAlphaRejectsInvalidInput(t *testing.T) {
	t.Parallel()
	if _, err := CronbachAlpha([][]float64{{1, 2}, {3}}, 2); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("ragged: err = %v", err)
	}
	if _, err := CronbachAlpha([][]float64{{1, 2}, {3, 4}}, 1); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("minRows 1: err = %v", err)
	}
}

func BenchmarkCronbachAlpha(b *testing.B) {
	// 300 response rows x 5 items, a cohort-sized skill
	rows := make([][]float64, 300)
	for i := range rows {
		rows[i] = []float64{float64(1 + i%5), float64(1 + (i+1)%5), float64(1 + (i*7)%5), float64(1 + (i/3)%5), float64(1 + (i+2)%5)}
	}
	for b.Loop() {
		if _, err := CronbachAlpha(rows, DefaultAlphaMinRows); err != nil {
			b.Fatal(err)
		}
	}
}
