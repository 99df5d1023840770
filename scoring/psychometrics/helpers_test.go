package psychometrics

import (
	"math"
	"testing"
)

// near fails unless got is within tol of want. References published to 3
// decimals are checked with tol 5e-4 (half a unit in the last place).
func near(t testing.TB, name string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.10g, want %.10g ± %g", name, got, want, tol)
	}
}

const (
	tol3 = 5e-4  // published to 3 decimals
	tolX = 1e-12 // hand arithmetic that is exact up to rounding
)

var nan = math.NaN()
