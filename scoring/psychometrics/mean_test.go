package psychometrics

import (
	"errors"
	"math"
	"testing"
)

func TestMeanCI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		xs     []float64
		want   MeanEstimate // Lower/Upper/TCrit checked separately
		reason Reason
	}{
		{
			// peers 4,5,3 -> mean 4, ss 2, sd 1, se 1/sqrt(3) = 0.577350
			name: "three raters",
			xs:   []float64{4, 5, 3},
			want: MeanEstimate{N: 3, Mean: 4, SD: 1, SE: 1 / math.Sqrt(3), DF: 2, FPC: 1},
		},
		{
			// all agree -> SE 0 is a real answer, not "not available"
			name: "all agree",
			xs:   []float64{4, 4, 4, 4},
			want: MeanEstimate{N: 4, Mean: 4, DF: 3, FPC: 1},
		},
		{
			// one manager: the mean exists, the spread does not
			name:   "single rater",
			xs:     []float64{3.5},
			want:   MeanEstimate{N: 1, Mean: 3.5, FPC: 1},
			reason: ReasonTooFew,
		},
		{
			name:   "empty",
			xs:     nil,
			want:   MeanEstimate{FPC: 1},
			reason: ReasonTooFew,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := MeanCI(tc.xs)
			if err != nil {
				t.Fatal(err)
			}
			if got.Reason != tc.reason || got.N != tc.want.N || got.DF != tc.want.DF || got.FPC != tc.want.FPC {
				t.Fatalf("got %+v, want %+v reason %q", got, tc.want, tc.reason)
			}
			near(t, "mean", got.Mean, tc.want.Mean, tolX)
			near(t, "sd", got.SD, tc.want.SD, tolX)
			near(t, "se", got.SE, tc.want.SE, tolX)
			if tc.reason != "" {
				return
			}
			near(t, "lower", got.Lower, got.Mean-got.TCrit*got.SE, tolX)
			near(t, "upper", got.Upper, got.Mean+got.TCrit*got.SE, tolX)
		})
	}
}

func TestMeanCIUsesNISTCriticalValue(t *testing.T) {
	t.Parallel()
	// 4,5,3: 4 ± 4.303 × 0.57735 = 4 ± 2.484 -> [1.516, 6.484] (not clipped to 1..5)
	got, err := MeanCI([]float64{4, 5, 3})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "tcrit", got.TCrit, 4.303, tol3)
	near(t, "lower", got.Lower, 1.516, tol3)
	near(t, "upper", got.Upper, 6.484, tol3)
}

func TestMeanCIFinite(t *testing.T) {
	t.Parallel()
	// 5 of 6 direct reports: 4,4,5,3,4 -> mean 4, ss 2, sd sqrt(0.5),
	// se sqrt(0.5)/sqrt(5) = 0.316228; fpc sqrt((6-5)/(6-1)) = 0.447214;
	// se' = 0.141421
	got, err := MeanCIFinite([]float64{4, 4, 5, 3, 4}, 6)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "fpc", got.FPC, math.Sqrt(0.2), tolX)
	near(t, "se", got.SE, math.Sqrt(0.5)/math.Sqrt(5)*math.Sqrt(0.2), tolX)
	if got.Population != 6 {
		t.Errorf("population = %d, want 6", got.Population)
	}
	near(t, "tcrit", got.TCrit, 2.776, tol3)

	// A census has no sampling error left.
	census, err := MeanCIFinite([]float64{4, 5, 3}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if census.SE != 0 || census.Lower != 4 || census.Upper != 4 {
		t.Errorf("census = %+v, want SE 0 and a point interval", census)
	}
}

func TestMeanCIRejectsInvalidInput(t *testing.T) {
	t.Parallel()
	if _, err := MeanCI([]float64{4, nan}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("NaN: err = %v", err)
	}
	if _, err := MeanCI([]float64{math.Inf(1), 3}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Inf: err = %v", err)
	}
	if _, err := MeanCIFinite([]float64{4, 5, 3}, 2); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("population < n: err = %v", err)
	}
}

func TestRatioMeanCI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		totals, counts []float64
		mean, sd       float64
		n              int
		reason         Reason
	}{
		// 4 over 1, 6 over 2, 10 over 2: mean 20/5 = 4, cbar 5/3;
		// residuals (4-4, 6-8, 10-8)/cbar = (0, -1.2, 1.2), ss 2.88,
		// sd sqrt(2.88/2) = 1.2.
		{name: "unequal counts", totals: []float64{4, 6, 10}, counts: []float64{1, 2, 2}, mean: 4, sd: 1.2, n: 3},
		// 5 over 1, 4 over 2, 4 over 2: mean 13/5 = 2.6, while the raters'
		// means 5, 2, 2 average 3: every answer counts once, not every
		// rater. cbar 5/3; residuals (2.4, -1.2, -1.2)/cbar =
		// (1.44, -0.72, -0.72); ss 2.0736 + 0.5184 + 0.5184 = 3.1104;
		// sd sqrt(1.5552).
		{name: "answers weigh alike", totals: []float64{5, 4, 4}, counts: []float64{1, 2, 2}, mean: 2.6, sd: math.Sqrt(1.5552), n: 3},
		// Equal counts: 8, 10, 6 over 2 each is MeanCI of 4, 5, 3
		// (mean 4, sd 1).
		{name: "equal counts", totals: []float64{8, 10, 6}, counts: []float64{2, 2, 2}, mean: 4, sd: 1, n: 3},
		{name: "one rater", totals: []float64{7}, counts: []float64{2}, mean: 3.5, n: 1, reason: ReasonTooFew},
		{name: "empty", reason: ReasonTooFew},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := RatioMeanCI(tc.totals, tc.counts)
			if err != nil {
				t.Fatal(err)
			}
			if got.Reason != tc.reason || got.N != tc.n {
				t.Fatalf("got %+v, want n %d reason %q", got, tc.n, tc.reason)
			}
			near(t, "mean", got.Mean, tc.mean, tolX)
			if tc.reason != "" {
				return
			}
			near(t, "sd", got.SD, tc.sd, tolX)
			near(t, "se", got.SE, tc.sd/math.Sqrt(float64(tc.n)), tolX)
			if got.DF != tc.n-1 {
				t.Errorf("df = %d, want %d", got.DF, tc.n-1)
			}
			near(t, "lower", got.Lower, got.Mean-got.TCrit*got.SE, tolX)
		})
	}
	// With equal counts the interval is MeanCI's.
	want, err := MeanCI([]float64{4, 5, 3})
	if err != nil {
		t.Fatal(err)
	}
	got, err := RatioMeanCI([]float64{8, 10, 6}, []float64{2, 2, 2})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "lower", got.Lower, want.Lower, tolX)
	near(t, "upper", got.Upper, want.Upper, tolX)
}

func TestRatioMeanCIRejectsInvalidInput(t *testing.T) {
	t.Parallel()
	for name, in := range map[string][2][]float64{
		"length":     {{4, 5}, {1}},
		"zero count": {{4, 5}, {1, 0}},
		"NaN total":  {{nan, 5}, {1, 1}},
	} {
		if _, err := RatioMeanCI(in[0], in[1]); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func BenchmarkMeanCI(b *testing.B) {
	xs := []float64{4, 3.5, 5, 4.25, 3.75, 4, 2.5, 4.5}
	for b.Loop() {
		if _, err := MeanCI(xs); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMeanCICountsMatchesMeanCI(t *testing.T) {
	t.Parallel()
	for _, counts := range [][]int32{{0, 0, 0, 0, 0}, {0, 0, 1, 0, 0}, {0, 0, 2, 0, 0}, {1, 0, 3, 4, 2}, {3, 0, 0, 0, 3}, {0, 7}} {
		var xs []float64
		for i, c := range counts {
			for range c {
				xs = append(xs, float64(i+1))
			}
		}
		want, err := MeanCI(xs)
		if err != nil {
			t.Fatal(err)
		}
		got, err := MeanCICounts(counts)
		if err != nil {
			t.Fatal(err)
		}
		if got.N != want.N || got.DF != want.DF || got.Reason != want.Reason {
			t.Fatalf("%v: got %+v, want %+v", counts, got, want)
		}
		near(t, "mean", got.Mean, want.Mean, tolX)
		near(t, "sd", got.SD, want.SD, tolX)
		near(t, "lower", got.Lower, want.Lower, tolX)
		near(t, "upper", got.Upper, want.Upper, tolX)
	}
	if _, err := MeanCICounts([]int32{1, -1}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("negative count: err = %v", err)
	}
}
