package psychometrics

import (
	"errors"
	"testing"
)

// shroutFleiss is the worked example of Shrout & Fleiss (1979), Table 2:
// 6 targets (rows) rated by the same 4 judges (columns).
var shroutFleiss = [][]float64{
	{9, 2, 5, 8},
	{6, 1, 3, 2},
	{8, 4, 6, 8},
	{7, 1, 2, 6},
	{10, 5, 6, 9},
	{6, 2, 4, 7},
}

func TestShroutFleissWorkedExample(t *testing.T) {
	t.Parallel()
	got, err := ShroutFleiss(shroutFleiss)
	if err != nil {
		t.Fatal(err)
	}
	if got.Reason != "" || got.N != 6 || got.K != 4 {
		t.Fatalf("got N %d K %d reason %q", got.N, got.K, got.Reason)
	}
	// Mean squares of Shrout & Fleiss's Table 2 (BMS 11.24, WMS 6.26,
	// JMS 32.49, EMS 1.02). By hand: row means 6, 3, 6.5, 4, 7.5, 4.75,
	// grand mean 5.291667; SSB = 4 Σ(row mean - grand)^2 = 56.208333,
	// MSB = 56.208333/5 = 11.241667.
	near(t, "MSB", got.MSB, 56.208333333333/5, 1e-9)
	near(t, "MSW", got.MSW, 6.26, 5e-3)
	near(t, "MSJ", got.MSJ, 32.49, 5e-3)
	near(t, "MSE", got.MSE, 1.02, 5e-3)

	// R psych::ICC(sf) (the example on its help page), rounded to 3
	// decimals, as printed by
	//   psych::ICC(ratings)$results[, c("ICC", "lower bound", "upper bound")]
	//   ICC1  0.166 -0.133 0.723
	//   ICC2  0.290  0.019 0.761
	//   ICC3  0.715  0.342 0.946
	//   ICC1k 0.443 -0.884 0.912
	//   ICC2k 0.620  0.071 0.927
	//   ICC3k 0.909  0.676 0.986
	// F tests from DescTools::ICC on the same data (rdrr.io/cran/DescTools
	// ICC; output reproduced in several R tutorials):
	//   ICC1/ICC1k F 1.79 on (5, 18), p 0.164769
	//   ICC2/3/2k/3k F 11.03 on (5, 15), p 0.000135
	// irr::icc(model="twoway", type="agreement") confirms ICC(A,1) 0.29,
	// 95% CI 0.019 < ICC < 0.761 (the non-integer-v case-2 interval).
	tests := []struct {
		icc          ICC
		form         string
		value        float64
		lower, upper float64
		f            float64
		df1, df2     int
		p            float64
	}{
		{got.ICC11, "ICC(1,1)", 0.166, -0.133, 0.723, 1.79, 5, 18, 0.164769},
		{got.ICC21, "ICC(2,1)", 0.290, 0.019, 0.761, 11.03, 5, 15, 0.000135},
		{got.ICC31, "ICC(3,1)", 0.715, 0.342, 0.946, 11.03, 5, 15, 0.000135},
		{got.ICC1K, "ICC(1,k)", 0.443, -0.884, 0.912, 1.79, 5, 18, 0.164769},
		{got.ICC2K, "ICC(2,k)", 0.620, 0.071, 0.927, 11.03, 5, 15, 0.000135},
		{got.ICC3K, "ICC(3,k)", 0.909, 0.676, 0.986, 11.03, 5, 15, 0.000135},
	}
	for _, tc := range tests {
		t.Run(tc.form, func(t *testing.T) {
			t.Parallel()
			c := tc.icc
			if c.Form != tc.form || !c.Available() || !c.CI.Available() || !c.Test.Available() {
				t.Fatalf("got %+v", c)
			}
			near(t, "icc", c.Value, tc.value, tol3)
			near(t, "lower", c.CI.Lower, tc.lower, tol3)
			near(t, "upper", c.CI.Upper, tc.upper, tol3)
			near(t, "F", c.Test.F, tc.f, 5e-3)
			near(t, "p", c.Test.P, tc.p, 5e-7)
			if c.Test.DF1 != tc.df1 || c.Test.DF2 != tc.df2 {
				t.Errorf("df = (%d, %d), want (%d, %d)", c.Test.DF1, c.Test.DF2, tc.df1, tc.df2)
			}
		})
	}
	if got.V <= 0 || got.V == float64(int(got.V)) {
		t.Errorf("case-2 df v = %v, want a positive non-integer", got.V)
	}
	forms := got.Forms()
	if len(forms) != 6 || forms[0].Form != "ICC(1,1)" || forms[5].Form != "ICC(3,k)" {
		t.Errorf("Forms() order: %+v", forms)
	}
}

func TestShroutFleissUnavailable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		ratings [][]float64
		reason  Reason // whole result
		icc     Reason // each form
	}{
		{"one target", [][]float64{{1, 2, 3}}, ReasonTooFew, ""},
		{"one rater", [][]float64{{1}, {2}}, ReasonTooFew, ""},
		{"empty", nil, ReasonTooFew, ""},
		// every rating identical: every mean square is 0
		{"all identical", [][]float64{{3, 3}, {3, 3}, {3, 3}}, "", ReasonZeroVariance},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ShroutFleiss(tc.ratings)
			if err != nil {
				t.Fatal(err)
			}
			if got.Reason != tc.reason {
				t.Fatalf("reason %q, want %q", got.Reason, tc.reason)
			}
			if tc.reason != "" {
				return
			}
			for _, c := range got.Forms() {
				if c.Reason != tc.icc || c.CI.Reason != tc.icc || c.Value != 0 {
					t.Errorf("%s: %+v, want reason %q everywhere", c.Form, c, tc.icc)
				}
			}
		})
	}
}

func TestShroutFleissRejectsUnbalanced(t *testing.T) {
	t.Parallel()
	if _, err := ShroutFleiss([][]float64{{1, 2, 3}, {1, 2}}); !errors.Is(err, ErrUnbalanced) {
		t.Errorf("ragged: err = %v", err)
	}
	if _, err := ShroutFleiss([][]float64{{1, 2}, {nan, 2}}); !errors.Is(err, ErrUnbalanced) {
		t.Errorf("missing cell: err = %v", err)
	}
}

func TestOneWayICC(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		groups     [][]float64
		g, n       int
		kbar       float64
		msb, msw   float64
		icc1, icc2 float64
	}{
		{
			// means 2 and 5, grand 3.5: SSB = 3(1.5^2)·2 = 13.5 on 1 df;
			// SSW = 2 + 2 = 4 on 4 df -> MSW 1; kbar 3
			// ICC1 = 12.5/(13.5 + 2·1) = 0.806452; ICC2 = 12.5/13.5 = 0.925926
			name:   "equal groups",
			groups: [][]float64{{1, 2, 3}, {4, 5, 6}},
			g:      2, n: 6, kbar: 3, msb: 13.5, msw: 1,
			icc1: 12.5 / 15.5, icc2: 12.5 / 13.5,
		},
		{
			// sizes 3 and 2, grand 16/5 = 3.2: SSB = 3(1.2^2) + 2(1.8^2) = 10.8;
			// SSW = 2 + 2 = 4 on 3 df -> MSW 4/3; kbar = 5/2
			// ICC1 = (10.8 - 4/3)/(10.8 + 1.5·4/3) = 9.466667/12.8 = 0.739583
			// ICC2 = 9.466667/10.8 = 0.876543
			name:   "unequal groups, empty group skipped",
			groups: [][]float64{{1, 2, 3}, {}, {4, 6}},
			g:      2, n: 5, kbar: 2.5, msb: 10.8, msw: 4.0 / 3,
			icc1: (10.8 - 4.0/3) / 12.8, icc2: (10.8 - 4.0/3) / 10.8,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := OneWayICC(summaries(t, tc.groups))
			if err != nil {
				t.Fatal(err)
			}
			if got.Reason != "" || got.Groups != tc.g || got.N != tc.n {
				t.Fatalf("got %+v", got)
			}
			near(t, "kbar", got.KBar, tc.kbar, tolX)
			near(t, "MSB", got.MSB, tc.msb, tolX)
			near(t, "MSW", got.MSW, tc.msw, tolX)
			near(t, "ICC1", got.ICC1.Value, tc.icc1, tolX)
			near(t, "ICC2", got.ICC2.Value, tc.icc2, tolX)
			if got.Test.DF1 != tc.g-1 || got.Test.DF2 != tc.n-tc.g {
				t.Errorf("df = (%d, %d)", got.Test.DF1, got.Test.DF2)
			}
			near(t, "F", got.Test.F, tc.msb/tc.msw, tolX)
		})
	}
}

func TestOneWayICCEqualsShroutFleissCase1(t *testing.T) {
	t.Parallel()
	// With equal group sizes the one-way ICC(1) and ICC(2) are Shrout &
	// Fleiss's ICC(1,1) and ICC(1,k): 0.166 and 0.443 on their example.
	got, err := OneWayICC(summaries(t, shroutFleiss))
	if err != nil {
		t.Fatal(err)
	}
	sf, err := ShroutFleiss(shroutFleiss)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "ICC1", got.ICC1.Value, sf.ICC11.Value, 1e-12)
	near(t, "ICC2", got.ICC2.Value, sf.ICC1K.Value, 1e-12)
	near(t, "ICC1 vs psych", got.ICC1.Value, 0.166, tol3)
	near(t, "p", got.Test.P, 0.164769, 5e-7)

	// Spearman-Brown of ICC(1,1) to 4 raters is ICC(1,k).
	sb, err := MeanReliability(got.ICC1.Value, 4)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "Spearman-Brown", sb.Value, sf.ICC1K.Value, 1e-12)
}

func TestOneWayICCUnavailable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		groups [][]float64
		reason Reason // whole result
		icc    Reason // ICC1 and ICC2
	}{
		{"one group", [][]float64{{1, 2, 3}}, ReasonTooFew, ""},
		{"singletons only", [][]float64{{1}, {2}, {3}}, ReasonTooFew, ""},
		{"none", nil, ReasonTooFew, ""},
		{"all identical", [][]float64{{4, 4}, {4, 4, 4}}, "", ReasonZeroVariance},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := OneWayICC(summaries(t, tc.groups))
			if err != nil {
				t.Fatal(err)
			}
			if got.Reason != tc.reason {
				t.Fatalf("reason %q, want %q", got.Reason, tc.reason)
			}
			if tc.reason == "" && (got.ICC1.Reason != tc.icc || got.ICC2.Reason != tc.icc || got.Test.Available()) {
				t.Errorf("got %+v, want ICC reasons %q and no F test", got, tc.icc)
			}
		})
	}
	for name, g := range map[string]GroupSummary{"NaN mean": {N: 2, Mean: nan}, "NaN SD": {N: 2, Mean: 1, SD: nan}, "negative n": {N: -1}} {
		if _, err := OneWayICC([]GroupSummary{g, {N: 2, Mean: 2.5, SD: 0.5}}); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// summaries turns raw groups into what OneWayICC takes (MeanCI's n, mean
// and SD), so the hand arithmetic below can stay on raw scores.
func summaries(t testing.TB, groups [][]float64) []GroupSummary {
	t.Helper()
	out := make([]GroupSummary, len(groups))
	for i, g := range groups {
		e, err := MeanCI(g)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = GroupSummary{N: e.N, Mean: e.Mean, SD: e.SD}
	}
	return out
}

func TestMeanReliability(t *testing.T) {
	t.Parallel()
	tests := []struct {
		icc    float64
		n      int
		want   float64
		reason Reason
	}{
		{0.2, 4, 0.8 / 1.6, ""},                 // 4(.2)/(1 + 3(.2)) = .8/1.6 = .5
		{0.2, 1, 0.2, ""},                       // one rater: the single-rater ICC
		{0, 7, 0, ""},                           // no signal stays no signal
		{-0.1, 5, -0.5 / 0.6, ""},               // negative ICC is reported as it is
		{-1.0 / 3, 4, 0, ReasonZeroDenominator}, // 1 + 3(-1/3) = 0
		{0.2, 0, 0, ReasonTooFew},
	}
	for _, tc := range tests {
		got, err := MeanReliability(tc.icc, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		if got.Reason != tc.reason {
			t.Errorf("MeanReliability(%v, %d) reason %q, want %q", tc.icc, tc.n, got.Reason, tc.reason)
		}
		near(t, "reliability", got.Value, tc.want, tolX)
	}
	if _, err := MeanReliability(nan, 3); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("NaN: err = %v", err)
	}
}

func BenchmarkShroutFleiss(b *testing.B) {
	for b.Loop() {
		if _, err := ShroutFleiss(shroutFleiss); err != nil {
			b.Fatal(err)
		}
	}
}
