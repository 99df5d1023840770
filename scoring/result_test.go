package scoring

import (
	"testing"

	"github.com/lead360/lead360/scoring/psychometrics"
)

// TestCodesKeepTheirNames: reasons, groups and SD bases are one-byte codes inside a
// Result, but their names are the JSON contract and what stored snapshots
// hold, so every code must write its name and read back from it.
func TestCodesKeepTheirNames(t *testing.T) {
	t.Parallel()
	for r := ReasonNoRatings; r <= ReasonZeroDenominator; r++ {
		text, err := r.MarshalText()
		if err != nil || len(text) == 0 || string(text) != r.String() {
			t.Fatalf("reason %d: %q, %v", r, text, err)
		}
		var back Reason
		if err := back.UnmarshalText(text); err != nil || back != r {
			t.Errorf("reason %q read back as %d (%v)", text, back, err)
		}
	}
	for g := GroupSelf; g <= GroupAllOthers; g++ {
		text, err := g.MarshalText()
		if err != nil || len(text) == 0 || string(text) != g.String() {
			t.Fatalf("group %d: %q, %v", g, text, err)
		}
		var back Group
		if err := back.UnmarshalText(text); err != nil || back != g {
			t.Errorf("group %q read back as %d (%v)", text, back, err)
		}
	}
	for b := BasisRaters; b <= BasisAnswers; b++ {
		text, err := b.MarshalText()
		if err != nil || len(text) == 0 || string(text) != b.String() {
			t.Fatalf("SD basis %d: %q, %v", b, text, err)
		}
		var back SDBasis
		if err := back.UnmarshalText(text); err != nil || back != b {
			t.Errorf("SD basis %q read back as %d (%v)", text, back, err)
		}
	}
	var basis SDBasis
	if err := basis.UnmarshalText([]byte("no_such_basis")); err == nil {
		t.Error("an unknown SD basis was accepted")
	}
	var r Reason
	if err := r.UnmarshalText([]byte("no_such_reason")); err == nil {
		t.Error("an unknown reason was accepted")
	}
	var g Group
	if err := g.UnmarshalText([]byte("no_such_group")); err == nil {
		t.Error("an unknown group was accepted")
	}
	if _, err := Reason(ReasonZeroDenominator + 1).MarshalText(); err == nil {
		t.Error("a reason without a name was written")
	}
	// The psychometrics reasons come through under their own names.
	for _, pr := range []psychometrics.Reason{psychometrics.ReasonTooFew, psychometrics.ReasonTooFewItems, psychometrics.ReasonZeroVariance, psychometrics.ReasonZeroDenominator} {
		if got := reason(pr).String(); got != string(pr) {
			t.Errorf("psychometrics reason %q became %q", pr, got)
		}
	}
}
