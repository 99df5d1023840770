package psychometrics

import (
	"errors"
	"math"
	"testing"
)

func TestRWG(t *testing.T) {
	t.Parallel()
	// A = 5 -> sigma_EU^2 = (25-1)/12 = 2; A = 7 -> 48/12 = 4.
	tests := []struct {
		name        string
		answers     []float64
		options     int
		variance    float64
		value       float64
		untruncated float64
		reason      Reason
	}{
		// 4,5,3 -> s^2 = 1 -> 1 - 1/2 = 0.5
		{"moderate", []float64{4, 5, 3}, 5, 1, 0.5, 0.5, ""},
		// 4,4,4 -> s^2 = 0 -> 1
		{"perfect", []float64{4, 4, 4}, 5, 0, 1, 1, ""},
		// 1,5 -> mean 3, s^2 = (4+4)/1 = 8 -> 1 - 8/2 = -3, truncated to 0: two camps
		{"polarised", []float64{1, 5}, 5, 8, 0, -3, ""},
		// 1,1,5,5 -> s^2 = 16/3 = 5.333 -> 1 - 5.333/2 = -1.667 -> 0
		{"two camps of two", []float64{1, 1, 5, 5}, 5, 16.0 / 3, 0, 1 - 8.0/3, ""},
		// 7-point: 6,7,5 -> s^2 = 1 -> 1 - 1/4 = 0.75
		{"seven point", []float64{6, 7, 5}, 7, 1, 0.75, 0.75, ""},
		{"one rater", []float64{4}, 5, 0, 0, 0, ReasonTooFew},
		{"no raters", nil, 5, 0, 0, 0, ReasonTooFew},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := RWG(distribution(tc.answers, tc.options))
			if err != nil {
				t.Fatal(err)
			}
			if got.Reason != tc.reason || got.N != len(tc.answers) {
				t.Fatalf("got %+v, want reason %q n %d", got, tc.reason, len(tc.answers))
			}
			near(t, "variance", got.Variance, tc.variance, tolX)
			near(t, "rwg", got.Value, tc.value, tolX)
			near(t, "untruncated", got.Untruncated, tc.untruncated, tolX)
		})
	}
}

func TestRWGJ(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		ratings [][]float64 // raters x items, NaN = not observed
		n, j    int
		skipped int
		sbar    float64
		value   float64
		lindell float64
		reason  Reason
	}{
		{
			// item vars 1 (4,5,3) and 0 (4,4,4) -> sbar 0.5, ratio 0.25
			// rwg(J) = 2(0.75)/(2(0.75)+0.25) = 1.5/1.75 = 0.857143; r* = 0.75
			name:    "two items",
			ratings: [][]float64{{4, 4}, {5, 4}, {3, 4}},
			n:       3, j: 2,
			sbar: 0.5, value: 1.5 / 1.75, lindell: 0.75,
		},
		{
			// same two items plus a third answered by one rater only: it is
			// left out of sbar, so the result is unchanged.
			name:    "item with one answer skipped",
			ratings: [][]float64{{4, 4, 2}, {5, 4, nan}, {3, 4, nan}},
			n:       3, j: 2, skipped: 1,
			sbar: 0.5, value: 1.5 / 1.75, lindell: 0.75,
		},
		{
			// item 1 answered by raters 1,2 (4,5: var 0.5), item 2 by all
			// (2,3,4: var 1) -> sbar 0.75, ratio 0.375
			// rwg(J) = 2(0.625)/(2(0.625)+0.375) = 1.25/1.625 = 0.769231; r* = 0.625
			name:    "missing answers use the raters who answered",
			ratings: [][]float64{{4, 2}, {5, 3}, {nan, 4}},
			n:       3, j: 2,
			sbar: 0.75, value: 1.25 / 1.625, lindell: 0.625,
		},
		{
			// both items 1,5 -> s^2 8 each -> sbar 8 > 2 is capped: rwg(J) 0;
			// Lindell keeps 1 - 8/2 = -3.
			name:    "capped at the null variance",
			ratings: [][]float64{{1, 1}, {5, 5}},
			n:       2, j: 2,
			sbar: 8, value: 0, lindell: -3,
		},
		{
			// a rater who answered nothing does not count in N
			name:    "no item has two answers",
			ratings: [][]float64{{4, nan}, {nan, 3}, {nan, nan}},
			n:       2, j: 0, skipped: 2,
			reason: ReasonTooFew,
		},
		{
			name:   "no raters",
			reason: ReasonTooFew,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := RWGJ(answerMatrix(tc.ratings), 5)
			if err != nil {
				t.Fatal(err)
			}
			if got.Reason != tc.reason || got.N != tc.n || got.J != tc.j || got.ItemsSkipped != tc.skipped {
				t.Fatalf("got %+v, want reason %q n %d j %d skipped %d", got, tc.reason, tc.n, tc.j, tc.skipped)
			}
			near(t, "sbar", got.MeanVariance, tc.sbar, tolX)
			near(t, "rwg(J)", got.Value, tc.value, tolX)
			near(t, "r*wg(J)", got.Lindell, tc.lindell, tolX)
		})
	}
}

func TestRWGRejectsInvalidInput(t *testing.T) {
	t.Parallel()
	if _, err := RWG([]int32{1, -1, 2}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("negative count: err = %v", err)
	}
	if _, err := RWG([]int32{2}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("A = 1: err = %v", err)
	}
	if _, err := RWGJ([][]int8{{4, 4}, {4}}, 5); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("ragged: err = %v", err)
	}
	if _, err := RWGJ([][]int8{{4, 9}, {4, 4}}, 5); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("out of range in J: err = %v", err)
	}
}

func BenchmarkRWGJ(b *testing.B) {
	// 8 raters x 5 items, one not-observed answer
	ratings := [][]int8{
		{4, 4, 5, 3, 4}, {5, 4, 4, 4, 5}, {3, 3, 4, 3, 3}, {4, 5, 5, 4, 0},
		{4, 4, 4, 4, 4}, {2, 3, 3, 2, 3}, {5, 5, 4, 5, 5}, {4, 4, 3, 4, 4},
	}
	for b.Loop() {
		if _, err := RWGJ(ratings, 5); err != nil {
			b.Fatal(err)
		}
	}
}

// answerMatrix turns a float matrix with NaN for missing into RWGJ's cells
// (0 for missing).
func answerMatrix(m [][]float64) [][]int8 {
	out := make([][]int8, len(m))
	for i, row := range m {
		out[i] = make([]int8, len(row))
		for j, x := range row {
			if !math.IsNaN(x) {
				out[i][j] = int8(x)
			}
		}
	}
	return out
}

// distribution counts integer answers on a 1..options scale.
func distribution(answers []float64, options int) []int32 {
	counts := make([]int32, options)
	for _, x := range answers {
		counts[int(x)-1]++
	}
	return counts
}
