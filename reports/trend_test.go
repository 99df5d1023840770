package reports

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lead360/lead360/scoring"
)

// TestLeaderTrendNotes: Maya's second cycle has the same raters answering
// as before plus one new direct report, who marks every delegation item
// "not observed". Delegation compares the same people, so its trend is
// printed; every other skill gained one person, so the PDF says why there
// is no comparison instead of printing a change that is that person's
// answers divided by n.
func TestLeaderTrendNotes(t *testing.T) {
	t.Parallel()
	inst, _ := builtin(t)
	si := scoringInstrument(inst)
	leaders := append([]genLeader{maya}, cohort(rand.New(rand.NewPCG(7, 11)))...)
	prevIn := scoring.Input{Instrument: si, Ratings: genRatings(rand.New(rand.NewPCG(2026, 360)), si, leaders)}
	prevRes, err := scoring.Score(prevIn)
	if err != nil {
		t.Fatal(err)
	}
	panels, err := scoring.Panels(prevIn)
	if err != nil {
		t.Fatal(err)
	}
	curRatings := slices.Clone(prevIn.Ratings)
	for _, s := range si.Skills {
		for _, it := range s.Items {
			v := scoring.Answer(4)
			if s.Key == "delegation" {
				v = scoring.NotObserved
			}
			curRatings = append(curRatings, scoring.Rating{ParticipantID: "maya", RaterID: "maya-new-direct", Relationship: scoring.DirectReport, ItemKey: it.Key, Value: v})
		}
	}
	prev := map[string]scoring.Leader{}
	for _, l := range prevRes.Leaders {
		prev[l.ParticipantID] = l
	}
	res, err := scoring.Score(scoring.Input{Instrument: si, Ratings: curRatings, Previous: prev, PreviousPanels: panels})
	if err != nil {
		t.Fatal(err)
	}
	in := report(t, res, "maya", "Maya Okafor", mayaComments, mayaSelfComments)
	text := pdfText(t, keep(t, "maya-trend.pdf", renderLeader(t, in)))

	withheld := fmt.Sprintf(textTrendPanelChanged, 3)
	if got := strings.Count(text, withheld); got != 4 {
		t.Errorf("the panel note is printed %d times, want 4 (every skill but delegation):\n%s", got, text)
	}
	d := in.Leader.Skills[0]
	if d.Skill != "delegation" || !d.Trend.Change.Available() {
		t.Fatalf("delegation trend = %+v, want it shown", d.Trend)
	}
	shown := fmt.Sprintf("Since your previous cycle, colleagues' score went from %s (n=%d)", f2(d.Trend.Previous.Value), d.Trend.PreviousN)
	if got := strings.Count(text, shown); got != 1 {
		t.Errorf("the delegation trend is printed %d times, want once: %q", got, shown)
	}
	// The leader's own change stays in every note: self answered alike.
	if got := strings.Count(text, "Your own score changed by 0.00."); got != 5 {
		t.Errorf("the self change is printed %d times, want 5", got)
	}
}

// Every reason a skill is not compared has its own plain sentence.
func TestTrendSentences(t *testing.T) {
	t.Parallel()
	v := &leaderView{k: 4}
	withheld := func(r scoring.Reason) *scoring.Trend {
		return &scoring.Trend{Previous: scoring.Number{Reason: r}, Change: scoring.Number{Reason: r}, CI: scoring.Interval{Reason: r}, SelfChange: scoring.Number{Value: -0.5}}
	}
	tests := []struct {
		reason scoring.Reason
		want   string
	}{
		{scoring.ReasonPanelChanged, "fewer than 4 people joined or left the colleagues who rated it"},
		{scoring.ReasonPreviousPanelUnknown, "can no longer be traced to who rated it"},
		{scoring.ReasonLineageChanged, "it asked about other behaviours of this skill"},
		{scoring.ReasonBelowThreshold, "too few colleagues' ratings in one of the two cycles"},
		{scoring.ReasonNoPrevious, "too few colleagues' ratings in one of the two cycles"},
	}
	for _, tc := range tests {
		got := v.trendSentence(withheld(tc.reason))
		if !strings.HasPrefix(got, "No comparison with your previous cycle") || !strings.Contains(got, tc.want) ||
			!strings.HasSuffix(got, "Your own score changed by "+textMinus+"0.50.") {
			t.Errorf("%s: %q, want a note saying %q and the self change", tc.reason, got, tc.want)
		}
	}
}
