package assessment_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/scoring"
)

// mustPanelCycle runs a closed cycle of Maya (self 3) rated by one manager
// and the given peers (by email), each answering 4 on every item.
func mustPanelCycle(t *testing.T, f *assessmenttest.Fixture, name string, peers ...string) (assessment.Cycle, []assessment.Assignment) {
	t.Helper()
	ctx := context.Background()
	c := f.MustCreateCycle(t, name)
	_, self := f.MustAddLeader(t, c.ID, "Maya Okafor", "maya@example.com")
	raters := []assessment.Assignment{f.MustAddRater(t, self.ParticipantID, "Manon Manager", "manager@example.com", assessment.Manager)}
	for _, email := range peers {
		raters = append(raters, f.MustAddRater(t, self.ParticipantID, "Peer "+email, email, assessment.Peer))
	}
	if _, err := f.Service.MoveCycle(ctx, f.Org.ID, c.ID, assessment.StatusOpen); err != nil {
		t.Fatal(err)
	}
	f.Clock.Set(c.OpensAt.Add(24 * time.Hour))
	for _, a := range append([]assessment.Assignment{self}, raters...) {
		v := 4
		if a.ID == self.ID {
			v = 3
		}
		r := assessment.Response{AssignmentID: a.ID, Status: assessment.ResponseSubmitted, Answers: f.FullAnswers(v)}
		if err := f.Service.SaveAnswers(ctx, f.Org.ID, &r); err != nil {
			t.Fatalf("answers of %s: %v", a.ID, err)
		}
	}
	closeCycle(t, f, c.ID)
	return c, raters
}

// Issue #10, item 7, through the real store: autumn has four peers, spring
// the same four answering as before and one new peer, so every change would
// be (new peer's answer - old mean) / 6. Spring's trends are withheld;
// summer adds three more peers, enough to compare. Raters are matched
// across cycles by person (the assignment ids all differ), and who counted
// never reaches the stored result.
func TestScoreCycleWithholdsTrendsWhenOnePeerJoined(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			start := f.Clock.Now()
			four := []string{"p1@example.com", "p2@example.com", "p3@example.com", "p4@example.com"}
			score := func(c assessment.Cycle) assessment.Snapshot {
				t.Helper()
				snap, err := f.Service.ScoreCycle(ctx, f.Org.ID, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				return snap
			}
			release := func(c assessment.Cycle) {
				t.Helper()
				if _, err := f.Service.MoveCycle(ctx, f.Org.ID, c.ID, assessment.StatusReleased); err != nil {
					t.Fatal(err)
				}
			}

			autumn, _ := mustPanelCycle(t, f, "Autumn", four...)
			score(autumn)
			release(autumn)

			f.Clock.Set(start.AddDate(0, 2, 0))
			spring, springRaters := mustPanelCycle(t, f, "Spring", append(four, "p5@example.com")...)
			snap := score(spring)
			l := &snap.Result.Leaders[0]
			if !l.HasPrevious {
				t.Fatal("spring has no previous result")
			}
			for _, s := range l.Skills {
				if tr := s.Trend; tr == nil || tr.Change.Reason != scoring.ReasonPanelChanged || tr.Previous.Available() || tr.SelfChange.Value != 0 {
					t.Errorf("spring %s trend = %+v, want withheld as %s with the self change", s.Skill, tr, scoring.ReasonPanelChanged)
				}
			}
			for _, it := range l.Items {
				if tr := it.Trend; tr == nil || tr.Change.Reason != scoring.ReasonPanelChanged {
					t.Errorf("spring %s trend = %+v, want withheld", it.Item, tr)
				}
			}
			raw, err := json.Marshal(snap.Result)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range springRaters {
				if strings.Contains(string(raw), a.PersonID) || strings.Contains(string(raw), a.ID) {
					t.Errorf("the stored result names rater %s", a.PersonID)
				}
			}
			release(spring)

			f.Clock.Set(start.AddDate(0, 4, 0))
			summer, _ := mustPanelCycle(t, f, "Summer", append(four, "p5@example.com", "p6@example.com", "p7@example.com", "p8@example.com")...)
			l = &score(summer).Result.Leaders[0]
			for _, s := range l.Skills {
				// Everyone answers 4, so O stays 4 (n 6 -> 9).
				if tr := s.Trend; tr == nil || !tr.Change.Available() || tr.Change.Value != 0 || tr.PreviousN != 6 {
					t.Errorf("summer %s trend = %+v, want a change of 0 from n=6", s.Skill, tr)
				}
			}
		})
	}
}
