package psychometrics

import (
	"errors"
	"math"
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
