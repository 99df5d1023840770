package psychometrics

import (
	"fmt"
	"math"
)

// DefaultSOAMinCohort is the smallest cohort for which self-other agreement
// categories are assigned (SCORING.md 3.3, design choice): below it the mean
// and SD of the differences move too much from one leader to the next.
const DefaultSOAMinCohort = 10

// SOACategory is the Atwater & Yammarino (1992) agreement category.
type SOACategory string

// Agreement categories.
const (
	OverEstimator  SOACategory = "over_estimator"
	UnderEstimator SOACategory = "under_estimator"
	InAgreement    SOACategory = "in_agreement"
)

// SOALevel splits leaders by whether others rate them at or above the
// cohort's mean O.
type SOALevel string

// Levels.
const (
	Good SOALevel = "good"
	Poor SOALevel = "poor"
)

// SOALeader is one leader's place in the typology.
type SOALeader struct {
	Self     float64 // S_i
	Others   float64 // O_i
	D        float64 // S_i - O_i
	Category SOACategory
	Level    SOALevel
}

// FourGroup is the four-group label (Atwater & Yammarino, 1997):
// over_estimator, under_estimator, in_agreement_good or in_agreement_poor.
func (l SOALeader) FourGroup() string {
	if l.Category == InAgreement {
		return string(l.Category) + "_" + string(l.Level)
	}
	return string(l.Category)
}

// SixGroup is the six-group label (Brutus, Fleenor & Taylor, 1996), which
// also splits over- and under-estimators by level; Fleenor et al. (1996)
// show the four-group model flatters under-estimators without it.
func (l SOALeader) SixGroup() string {
	return string(l.Category) + "_" + string(l.Level)
}

// SelfOtherAgreement is the cohort-level typology for one skill
// (SCORING.md 3.3).
type SelfOtherAgreement struct {
	N          int
	MeanD      float64 // m_D
	SDD        float64 // s_D, n-1 denominator
	Upper      float64 // m_D + 0.5·s_D
	Lower      float64 // m_D - 0.5·s_D
	MeanOthers float64 // cohort mean of O, the good/poor cut
	// Leaders is in input order. Nil when Reason is set.
	Leaders []SOALeader
	Reason  Reason
}

// SelfOtherAgreementCategories assigns each leader i, with self score
// self[i] and all-others score others[i], to over-estimator (D above
// m_D + 0.5·s_D by more than 1e-9), under-estimator (below m_D - 0.5·s_D by
// more than 1e-9) or in-agreement, and to good (O at or above the cohort's
// mean O, within 1e-9) or poor. A D exactly on a cut point is in agreement.
// The band is centred on the cohort's mean difference, not on zero; see
// SCORING.md 3.3 for why and for the caveat on its provenance.
//
// The caller passes only leaders whose O is reportable. Unavailable
// (ReasonTooFew) for fewer than minCohort leaders; minCohort is normally
// DefaultSOAMinCohort and must be at least 2. Errors on mismatched lengths
// or non-finite scores.
func SelfOtherAgreementCategories(self, others []float64, minCohort int) (SelfOtherAgreement, error) {
	if minCohort < 2 {
		return SelfOtherAgreement{}, fmt.Errorf("%w: self-other agreement needs minCohort >= 2, got %d", ErrInvalidInput, minCohort)
	}
	if len(self) != len(others) {
		return SelfOtherAgreement{}, fmt.Errorf("%w: %d self scores but %d others scores", ErrInvalidInput, len(self), len(others))
	}
	n := len(self)
	for i := range n {
		if !finite(self[i]) || !finite(others[i]) {
			return SelfOtherAgreement{}, fmt.Errorf("%w: leader %d has self %v, others %v", ErrInvalidInput, i, self[i], others[i])
		}
	}
	r := SelfOtherAgreement{N: n}
	if n < minCohort {
		r.Reason = ReasonTooFew
		return r, nil
	}
	d := make([]float64, n)
	for i := range n {
		d[i] = self[i] - others[i]
	}
	meanD, ss := meanSS(d)
	meanO, _ := meanSS(others)
	r.MeanD = meanD
	r.SDD = math.Sqrt(ss / float64(n-1))
	r.Upper = meanD + 0.5*r.SDD
	r.Lower = meanD - 0.5*r.SDD
	r.MeanOthers = meanO
	r.Leaders = make([]SOALeader, n)
	for i := range n {
		l := SOALeader{Self: self[i], Others: others[i], D: d[i], Category: InAgreement, Level: Poor}
		switch {
		case d[i]-r.Upper > guard:
			l.Category = OverEstimator
		case r.Lower-d[i] > guard:
			l.Category = UnderEstimator
		}
		if others[i] >= meanO-guard {
			l.Level = Good
		}
		r.Leaders[i] = l
	}
	return r, nil
}
