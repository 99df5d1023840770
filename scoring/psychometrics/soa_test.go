package psychometrics

import (
	"errors"
	"testing"
)

// soaCohort has D = S - O = 1,-1,3,-3,2,-2,2,-2,0,0 (7-point scale):
// m_D = 0, Σ D^2 = 36, s_D = sqrt(36/9) = 2 exactly, so the cut points are
// exactly +1 and -1, and leaders 0 and 1 sit on them. Mean O = 35/10 = 3.5.
func soaCohort() (self, others []float64) {
	others = []float64{3, 4, 3, 4, 3, 4, 3, 4, 3.5, 3.5}
	d := []float64{1, -1, 3, -3, 2, -2, 2, -2, 0, 0}
	self = make([]float64, len(d))
	for i := range d {
		self[i] = others[i] + d[i]
	}
	return self, others
}

func TestSelfOtherAgreementCategories(t *testing.T) {
	t.Parallel()
	self, others := soaCohort()
	got, err := SelfOtherAgreementCategories(self, others, DefaultSOAMinCohort)
	if err != nil {
		t.Fatal(err)
	}
	if got.Reason != "" || got.N != 10 {
		t.Fatalf("got %+v", got)
	}
	near(t, "m_D", got.MeanD, 0, tolX)
	near(t, "s_D", got.SDD, 2, tolX)
	near(t, "upper", got.Upper, 1, tolX)
	near(t, "lower", got.Lower, -1, tolX)
	near(t, "mean O", got.MeanOthers, 3.5, tolX)

	want := []struct{ four, six string }{
		{"in_agreement_poor", "in_agreement_poor"},  // D = +1 on the upper cut, O 3 < 3.5
		{"in_agreement_good", "in_agreement_good"},  // D = -1 on the lower cut, O 4
		{"over_estimator", "over_estimator_poor"},   // D = 3
		{"under_estimator", "under_estimator_good"}, // D = -3
		{"over_estimator", "over_estimator_poor"},   // D = 2
		{"under_estimator", "under_estimator_good"}, // D = -2
		{"over_estimator", "over_estimator_poor"},   // D = 2
		{"under_estimator", "under_estimator_good"}, // D = -2
		{"in_agreement_good", "in_agreement_good"},  // O = mean O counts as good
		{"in_agreement_good", "in_agreement_good"},  // same
	}
	for i, w := range want {
		l := got.Leaders[i]
		if l.FourGroup() != w.four || l.SixGroup() != w.six {
			t.Errorf("leader %d (D %v, O %v): %s / %s, want %s / %s", i, l.D, l.Others, l.FourGroup(), l.SixGroup(), w.four, w.six)
		}
	}
}

func TestSelfOtherAgreementGuard(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		bump   float64 // added to leader 0's self score (D = 1 on the cut)
		oBump  float64 // moved from leader 9's O to leader 8's, mean O unchanged
		four0  string
		level9 SOALevel
	}{
		// D0 - upper ≈ 4.5e-10: inside the 1e-9 guard, still in agreement
		{"just above the cut, within guard", 5e-10, 0, "in_agreement_poor", Good},
		// D0 - upper ≈ 2.7e-9: beyond the guard
		{"clearly above the cut", 3e-9, 0, "over_estimator", Good},
		// O9 = 3.5 - 5e-10 is within 1e-9 of mean O: still good
		{"O just below mean O, within guard", 0, 5e-10, "in_agreement_poor", Good},
		// O9 = 3.5 - 3e-9: poor
		{"O clearly below mean O", 0, 3e-9, "in_agreement_poor", Poor},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			self, others := soaCohort()
			self[0] += tc.bump
			others[8] += tc.oBump
			self[8] += tc.oBump
			others[9] -= tc.oBump
			self[9] -= tc.oBump
			got, err := SelfOtherAgreementCategories(self, others, DefaultSOAMinCohort)
			if err != nil {
				t.Fatal(err)
			}
			if g := got.Leaders[0].FourGroup(); g != tc.four0 {
				t.Errorf("leader 0: %s, want %s (D %v, upper %v)", g, tc.four0, got.Leaders[0].D, got.Upper)
			}
			if l := got.Leaders[9].Level; l != tc.level9 {
				t.Errorf("leader 9: %s, want %s (O %v, mean O %v)", l, tc.level9, got.Leaders[9].Others, got.MeanOthers)
			}
		})
	}
}

func TestSelfOtherAgreementFloatingPointGap(t *testing.T) {
	t.Parallel()
	// SCORING.md 3.2's example: 2.2 - 1.2 = 1.0000000000000002 in binary
	// floating point. In a cohort whose cut is exactly 1, that leader must
	// count as on the cut (in agreement), not above it.
	self, others := soaCohort()
	self[0], others[0] = 2.2, 1.2 // D = 1 + 2e-16, O moves from 3 to 1.2
	got, err := SelfOtherAgreementCategories(self, others, DefaultSOAMinCohort)
	if err != nil {
		t.Fatal(err)
	}
	if c := got.Leaders[0].Category; c != InAgreement {
		t.Errorf("D = %v with upper %v: %s, want %s", got.Leaders[0].D, got.Upper, c, InAgreement)
	}
}

func TestSelfOtherAgreementUnavailableAndInvalid(t *testing.T) {
	t.Parallel()
	self, others := soaCohort()
	got, err := SelfOtherAgreementCategories(self[:9], others[:9], DefaultSOAMinCohort)
	if err != nil {
		t.Fatal(err)
	}
	if got.Reason != ReasonTooFew || got.N != 9 || got.Leaders != nil {
		t.Errorf("9 leaders: %+v, want too_few without labels", got)
	}
	// a smaller configured minimum is honoured
	got, err = SelfOtherAgreementCategories(self[:9], others[:9], 5)
	if err != nil || got.Reason != "" {
		t.Errorf("minCohort 5: reason %q err %v", got.Reason, err)
	}
	if _, err := SelfOtherAgreementCategories(self, others[:9], 2); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("length mismatch: err = %v", err)
	}
	if _, err := SelfOtherAgreementCategories(self, others, 1); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("minCohort 1: err = %v", err)
	}
	self[3] = nan
	if _, err := SelfOtherAgreementCategories(self, others, 2); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("NaN: err = %v", err)
	}
}
