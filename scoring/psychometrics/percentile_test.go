package psychometrics

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestPercentileRank(t *testing.T) {
	t.Parallel()
	cohort := []float64{1, 2, 2, 3}
	tests := []struct {
		name        string
		value       float64
		cohort      []float64
		below, ties int
		want        float64
	}{
		{"tied pair", 2, cohort, 1, 2, 50},       // 100 (1 + 2/2)/4
		{"top value", 3, cohort, 3, 1, 87.5},     // 100 (3 + 1/2)/4
		{"bottom value", 1, cohort, 0, 1, 12.5},  // 100 (0 + 1/2)/4
		{"below everyone", 0.5, cohort, 0, 0, 0}, // not a member
		{"above everyone", 5, cohort, 4, 0, 100}, // not a member
		{"between", 2.5, cohort, 3, 0, 75},       // 100 (3 + 0)/4
		{"whole cohort tied", 3, []float64{3, 3, 3}, 0, 3, 50},
		// 0.1+0.2 = 0.30000000000000004 ties with 0.3 within 1e-9
		{"rounding tie", 0.1 + 0.2, []float64{0.3, 0.1, 0.5}, 1, 1, 50},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := PercentileRank(tc.value, tc.cohort)
			if err != nil {
				t.Fatal(err)
			}
			if got.Reason != "" || got.N != len(tc.cohort) || got.Below != tc.below || got.Ties != tc.ties {
				t.Fatalf("got %+v, want below %d ties %d", got, tc.below, tc.ties)
			}
			near(t, "percentile", got.Value, tc.want, tolX)
		})
	}
}

func TestPercentileRankUnavailableAndInvalid(t *testing.T) {
	t.Parallel()
	got, err := PercentileRank(3, nil)
	if err != nil || got.Reason != ReasonTooFew {
		t.Errorf("empty cohort: %+v, %v", got, err)
	}
	if _, err := PercentileRank(nan, []float64{1}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("NaN value: err = %v", err)
	}
	if _, err := PercentileRank(1, []float64{math.Inf(-1)}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Inf in cohort: err = %v", err)
	}
}

// PercentileRanks is PercentileRank of every member, bit for bit, near-ties
// (within 1e-9) included.
func TestPercentileRanksMatchesPercentileRank(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		cohort []float64
	}{
		{"empty", nil},
		{"one", []float64{3}},
		{"hand example", []float64{1, 2, 2, 3}}, // 12.5, 50, 50, 87.5
		{"near ties", []float64{0.3, 0.1 + 0.2, 0.3 + 2e-9, 0.3 - 5e-10, 0.1}},
	}
	rng := rand.New(rand.NewPCG(8, 8))
	for i := range 50 {
		c := make([]float64, 1+rng.IntN(80))
		for j := range c {
			c[j] = float64(rng.IntN(17))/4 + 1
			if rng.IntN(4) == 0 {
				c[j] += 1e-10 * float64(rng.IntN(3)-1)
			}
		}
		tests = append(tests, struct {
			name   string
			cohort []float64
		}{fmt.Sprintf("random %d", i), c})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := PercentileRanks(tc.cohort)
			if err != nil || len(got) != len(tc.cohort) {
				t.Fatalf("PercentileRanks: %d results, %v", len(got), err)
			}
			for i, v := range tc.cohort {
				want, err := PercentileRank(v, tc.cohort)
				if err != nil {
					t.Fatal(err)
				}
				if got[i] != want {
					t.Fatalf("member %d (%v): %+v, PercentileRank %+v", i, v, got[i], want)
				}
			}
		})
	}
	if _, err := PercentileRanks([]float64{1, nan}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("NaN in cohort: err = %v", err)
	}
}

func TestT975(t *testing.T) {
	t.Parallel()
	// NIST/SEMATECH 1.3.6.7.2 (SCORING.md 4.4)
	for df, nist := range map[int]float64{2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 9: 2.262} {
		got, err := T975(df)
		if err != nil || math.Abs(got-nist) > 0.0005 {
			t.Errorf("T975(%d) = %v, %v; NIST %v", df, got, err, nist)
		}
	}
	for _, df := range []int{1, 200, 511, 512, 1000} {
		want, _ := TQuantile(0.975, float64(df))
		if got, err := T975(df); err != nil || got != want {
			t.Errorf("T975(%d) = %v, %v; TQuantile %v", df, got, err, want)
		}
	}
	if _, err := T975(0); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("df 0: err = %v", err)
	}
}
