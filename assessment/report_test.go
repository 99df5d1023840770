package assessment

import (
	"testing"

	"github.com/lead360/lead360/scoring"
)

// AgreementOf keeps the leader's row of each skill that has categories,
// folds the good/poor level away, and skips skills without a band.
func TestAgreementOf(t *testing.T) {
	t.Parallel()
	band := func(lo, hi float64, rows ...scoring.SelfOtherRow) scoring.SelfOther {
		return scoring.SelfOther{N: 10, Lower: scoring.Number{Value: lo}, Upper: scoring.Number{Value: hi}, Leaders: rows}
	}
	res := scoring.Result{Cohort: scoring.Cohort{Skills: []scoring.CohortSkill{
		{Skill: "delegation", SelfOther: band(-0.1, 0.8,
			scoring.SelfOtherRow{ParticipantID: "ana", Self: 4.8, Others: 2.3, D: 2.5, FourGroup: "over_estimator"},
			scoring.SelfOtherRow{ParticipantID: "ben", D: 0.2, FourGroup: "in_agreement_poor"})},
		{Skill: "coaching", SelfOther: scoring.SelfOther{Lower: scoring.Number{Reason: scoring.ReasonCohortTooSmall}, Upper: scoring.Number{Reason: scoring.ReasonCohortTooSmall}}},
		{Skill: "feedback", SelfOther: band(0, 0.5, scoring.SelfOtherRow{ParticipantID: "ana", D: 0.3, FourGroup: "in_agreement_good"})},
	}}}
	got := AgreementOf(res, "ana")
	if len(got) != 2 {
		t.Fatalf("got %d rows, want 2: %+v", len(got), got)
	}
	if got[0].Skill != "delegation" || got[0].Category != "over_estimator" || got[0].D != 2.5 || got[0].Lower != -0.1 || got[0].Upper != 0.8 {
		t.Errorf("delegation row = %+v", got[0])
	}
	if got[1].Skill != "feedback" || got[1].Category != "in_agreement" {
		t.Errorf("feedback row = %+v (the level must be folded away)", got[1])
	}
	if rows := AgreementOf(res, "nobody"); len(rows) != 0 {
		t.Errorf("unknown leader has rows: %+v", rows)
	}
}
