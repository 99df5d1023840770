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
			want: MeanEstimate{N: 3, Mean: 4, SD: 1, SE: 1 / math.Sqrt(3), DF: 2},
		},
		{
			// all agree -> SE 0 is a real answer, not "not available"
			name: "all agree",
			xs:   []float64{4, 4, 4, 4},
			want: MeanEstimate{N: 4, Mean: 4, DF: 3},
		},
		{
			// one manager: the mean exists, the spread does not
			name:   "single rater",
			xs:     []float64{3.5},
			want:   MeanEstimate{N: 1, Mean: 3.5},
			reason: ReasonTooFew,
		},
		{
			name:   "empty",
			xs:     nil,
			want:   MeanEstimate{},
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
			if got.Reason != tc.reason || got.N != tc.want.N || got.DF != tc.want.DF {
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

func TestMeanCIRejectsInvalidInput(t *testing.T) {
	t.Parallel()
	if _, err := MeanCI([]float64{4, nan}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("NaN: err = %v", err)
	}
	if _, err := MeanCI([]float64{math.Inf(1), 3}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Inf: err = %v", err)
	}
}

func TestMeanCIEqualCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		totals  []int64
		answers int
		mean    float64
		sd      float64
		reason  Reason
	}{
		// 8, 10, 6 over 2 answers each: rater means 4, 5, 3 -> mean 24/6 = 4;
		// n·Σt² - (Σt)² = 3·200 - 576 = 24, /(3·2) = 4, sqrt 2, /2 -> SD 1
		// (MeanCI of 4, 5, 3).
		{name: "three raters", totals: []int64{8, 10, 6}, answers: 2, mean: 4, sd: 1},
		// 7, 7, 8, 9 over 3: means 7/3, 7/3, 8/3, 3 -> mean 31/12;
		// 4·243 - 961 = 11, /(4·3) = 11/12, SD sqrt(11/12)/3 = 0.319142.
		{name: "thirds", totals: []int64{7, 7, 8, 9}, answers: 3, mean: 31.0 / 12, sd: math.Sqrt(11.0/12) / 3},
		{name: "agree", totals: []int64{6, 6, 6}, answers: 2, mean: 3},
		{name: "one rater", totals: []int64{7}, answers: 2, mean: 3.5, reason: ReasonTooFew},
		{name: "empty", answers: 1, reason: ReasonTooFew},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := MeanCIEqualCounts(tc.totals, tc.answers)
			if err != nil {
				t.Fatal(err)
			}
			if got.Reason != tc.reason || got.N != len(tc.totals) {
				t.Fatalf("got %+v, want n %d reason %q", got, len(tc.totals), tc.reason)
			}
			near(t, "mean", got.Mean, tc.mean, tolX)
			if tc.reason != "" {
				return
			}
			near(t, "sd", got.SD, tc.sd, tolX)
			xs := make([]float64, len(tc.totals))
			for i, x := range tc.totals {
				xs[i] = float64(x) / float64(tc.answers)
			}
			want, err := MeanCI(xs)
			if err != nil {
				t.Fatal(err)
			}
			if got.DF != want.DF {
				t.Errorf("df = %d, want %d", got.DF, want.DF)
			}
			near(t, "sd vs MeanCI", got.SD, want.SD, tolX)
			near(t, "lower vs MeanCI", got.Lower, want.Lower, tolX)
			near(t, "upper vs MeanCI", got.Upper, want.Upper, tolX)
		})
	}
	// The same multiset in any order gives the same bits.
	a, err := MeanCIEqualCounts([]int64{7, 9, 8, 7, 11, 10}, 3)
	if err != nil {
		t.Fatal(err)
	}
	b, err := MeanCIEqualCounts([]int64{11, 7, 10, 8, 9, 7}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Errorf("order changed the estimate: %+v vs %+v", a, b)
	}
	for name, in := range map[string]struct {
		totals  []int64
		answers int
	}{"no answers": {[]int64{4}, 0}, "total below answers": {[]int64{4, 1}, 2}} {
		if _, err := MeanCIEqualCounts(in.totals, in.answers); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestMeanCIAnswers(t *testing.T) {
	t.Parallel()
	// Peers of issue #10: answers 2, 3, 4, 5 (a1) and 2, 3, 4 (a2) from 4
	// raters, counts [0, 2, 2, 2, 1]: mean 23/7; n·Σx² - (Σx)² =
	// 7·83 - 529 = 52, /(7·6) -> SD sqrt(52/42) = 1.112697; SE over the
	// 4 raters 1.112697/2 = 0.556349; t(0.975, 3) = 3.182446; CI
	// 3.285714 ± 1.770550 = [1.515165, 5.056264].
	got, err := MeanCIAnswers([]int32{0, 2, 2, 2, 1}, 4)
	if err != nil {
		t.Fatal(err)
	}
	if got.N != 4 || got.DF != 3 || got.Reason != "" {
		t.Fatalf("got %+v", got)
	}
	near(t, "mean", got.Mean, 23.0/7, tolX)
	near(t, "sd", got.SD, math.Sqrt(52.0/42), tolX)
	near(t, "se", got.SE, math.Sqrt(52.0/42)/2, tolX)
	near(t, "lower", got.Lower, 1.515165, 1e-6)
	near(t, "upper", got.Upper, 5.056264, 1e-6)

	one, err := MeanCIAnswers([]int32{0, 1, 1}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if one.Reason != ReasonTooFew || one.N != 1 || one.Mean != 2.5 {
		t.Errorf("one rater: %+v", one)
	}
	for name, in := range map[string]struct {
		counts []int32
		raters int
	}{"fewer answers than raters": {[]int32{1, 1}, 3}, "negative count": {[]int32{2, -1}, 1}, "answers without raters": {[]int32{1}, 0}} {
		if _, err := MeanCIAnswers(in.counts, in.raters); !errors.Is(err, ErrInvalidInput) {
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
