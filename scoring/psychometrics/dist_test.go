package psychometrics

import (
	"errors"
	"math"
	"testing"
)

func TestTQuantileMatchesNIST(t *testing.T) {
	t.Parallel()
	// NIST/SEMATECH e-Handbook 1.3.6.7.2, upper critical values of t,
	// column 0.025 (i.e. t_0.975).
	tests := []struct {
		df   float64
		want float64
	}{
		{2, 4.303},
		{3, 3.182},
		{4, 2.776},
		{5, 2.571},
		{9, 2.262},
		{29, 2.045},
		{100, 1.984},
	}
	for _, tc := range tests {
		got, err := TQuantile(0.975, tc.df)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "t_0.975", got, tc.want, tol3)
	}
}

func TestTQuantileSymmetricAndNonIntegerDF(t *testing.T) {
	t.Parallel()
	// t_p(v)^2 = F_{2p-1}(1, v) (SCORING.md 5) must hold for non-integer v,
	// which checks both helpers against each other where no table exists.
	for _, v := range []float64{1.5, 7.25, 18.6} {
		tq, err := TQuantile(0.975, v)
		if err != nil {
			t.Fatal(err)
		}
		tlo, err := TQuantile(0.025, v)
		if err != nil {
			t.Fatal(err)
		}
		fq, err := FQuantile(0.95, 1, v)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "t^2 vs F(1,v)", tq*tq, fq, 1e-9*fq)
		near(t, "t symmetry", tlo, -tq, 1e-12)
	}
}

func TestFQuantileTable(t *testing.T) {
	t.Parallel()
	// NIST e-Handbook 1.3.6.7.3 (upper 5% F table): F_0.95(5,10) = 3.326,
	// F_0.95(1,10) = 4.965, F_0.95(10,10) = 2.978. The reciprocal identity
	// F_p(a,b) = 1/F_{1-p}(b,a) is what the Feldt and ICC limits rely on.
	tests := []struct {
		p, d1, d2, want float64
	}{
		{0.95, 5, 10, 3.326},
		{0.95, 1, 10, 4.965},
		{0.95, 10, 10, 2.978},
	}
	for _, tc := range tests {
		got, err := FQuantile(tc.p, tc.d1, tc.d2)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "F quantile", got, tc.want, tol3)
		rev, err := FQuantile(1-tc.p, tc.d2, tc.d1)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "F reciprocal", got*rev, 1, 1e-9)
	}
}

func TestQuantileRejectsBadArguments(t *testing.T) {
	t.Parallel()
	// gonum panics or returns NaN here; the helpers must return an error.
	badF := []struct{ p, d1, d2 float64 }{
		{0, 5, 5}, {1, 5, 5}, {nan, 5, 5}, {0.5, 0, 5}, {0.5, 5, -1}, {0.5, math.Inf(1), 5},
	}
	for _, b := range badF {
		if _, err := FQuantile(b.p, b.d1, b.d2); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("FQuantile(%v, %v, %v) err = %v, want ErrInvalidInput", b.p, b.d1, b.d2, err)
		}
	}
	badT := []struct{ p, df float64 }{
		{0, 5}, {1, 5}, {nan, 5}, {0.5, 0}, {0.5, nan}, {0.5, math.Inf(1)},
	}
	for _, b := range badT {
		if _, err := TQuantile(b.p, b.df); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("TQuantile(%v, %v) err = %v, want ErrInvalidInput", b.p, b.df, err)
		}
	}
}
