package assessment_test

import (
	"context"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/scoring"
)

// A cycle on the short form runs like any other: its survey refuses the
// behaviours it does not ask, it scores 20 behaviours, its report and
// results table are of the short form, and against a previous full-form
// cycle the shared behaviours are compared one by one while a skill (whose
// behaviours differ) is not.
func TestShortFormCycleComparesTheSharedBehaviours(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			start := f.Clock.Now()
			autumn := mustScoredCycle(t, f, "Autumn", "maya@example.com", false)
			closeCycle(t, f, autumn.cycle.ID)
			if _, err := f.Service.ScoreCycle(ctx, f.Org.ID, autumn.cycle.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := f.Service.MoveCycle(ctx, f.Org.ID, autumn.cycle.ID, assessment.StatusReleased); err != nil {
				t.Fatal(err)
			}

			f.Clock.Set(start.AddDate(0, 2, 0))
			spring, err := f.Service.CreateCycle(ctx, assessment.CycleDraft{OrganizationID: f.Org.ID, InstrumentID: f.ShortForm.ID,
				Name: "Spring", OpensAt: f.Clock.Now(), ClosesAt: f.Clock.Now().AddDate(0, 0, 21)})
			if err != nil {
				t.Fatal(err)
			}
			leader, self := f.MustAddLeader(t, spring.ID, "Maya Okafor", "maya@example.com")
			raters := []assessment.Assignment{self, f.MustAddRater(t, leader.ID, "Manon Manager", "manager@example.com", assessment.Manager)}
			for _, email := range []string{"p1@example.com", "p2@example.com", "p3@example.com"} {
				raters = append(raters, f.MustAddRater(t, leader.ID, email, email, assessment.Peer))
			}
			if _, err := f.Service.MoveCycle(ctx, f.Org.ID, spring.ID, assessment.StatusOpen); err != nil {
				t.Fatal(err)
			}
			answers := func(v int) []assessment.Answer {
				var out []assessment.Answer
				for _, sk := range f.ShortForm.Skills {
					for _, it := range sk.Items {
						out = append(out, assessment.Answer{ItemKey: it.Key, Value: v})
					}
				}
				return out
			}
			// A behaviour of the full form only is not part of this survey.
			fullOnly := assessment.Response{AssignmentID: raters[1].ID, Status: assessment.ResponseDraft,
				Answers: append(answers(3), assessment.Answer{ItemKey: "delegation.takes_back_work", Value: 3})}
			if err := f.Service.SaveAnswers(ctx, f.Org.ID, &fullOnly); assessment.ErrorCode(err) != assessment.CodeInvalid {
				t.Fatalf("a full-form answer in a short-form survey: %v, want refused", err)
			}
			for i, a := range raters {
				r := assessment.Response{AssignmentID: a.ID, Status: assessment.ResponseSubmitted, Answers: answers([]int{5, 3, 4, 4, 2}[i])}
				if err := f.Service.SaveAnswers(ctx, f.Org.ID, &r); err != nil {
					t.Fatalf("answers of rater %d: %v", i, err)
				}
			}
			closeCycle(t, f, spring.ID)
			snap, err := f.Service.ScoreCycle(ctx, f.Org.ID, spring.ID)
			if err != nil {
				t.Fatal(err)
			}
			l := &snap.Result.Leaders[0]
			if len(l.Items) != 20 || !l.HasPrevious {
				t.Fatalf("%d behaviours scored (has previous %v), want 20 compared with autumn", len(l.Items), l.HasPrevious)
			}
			for _, it := range l.Items {
				if it.Trend == nil || !it.Trend.Change.Available() {
					t.Errorf("%s is asked by both forms but not compared: %+v", it.Item, it.Trend)
				}
			}
			if d := skillOf(t, l, "delegation"); d.Trend == nil || d.Trend.Change.Reason != scoring.ReasonLineageChanged {
				t.Errorf("delegation (4 of autumn's 8 behaviours) trend %+v, want not compared: lineage changed", d.Trend)
			}
			if _, err := f.Service.MoveCycle(ctx, f.Org.ID, spring.ID, assessment.StatusReleased); err != nil {
				t.Fatal(err)
			}
			rep, err := f.Service.ParticipantReport(ctx, f.Org.ID, spring.ID, leader.ID)
			if err != nil || rep.Instrument.Key != assessment.ShortFormKey || rep.Instrument.ItemCount() != 20 {
				t.Fatalf("report on %q with %d behaviours (%v)", rep.Instrument.Key, rep.Instrument.ItemCount(), err)
			}
			// The report offers the built-in ideas, each aimed at a
			// behaviour the short form asked. (Every behaviour is rated
			// alike here, so the top-rated ones, which leave out their
			// ideas, are set aside.)
			unranked := rep.Leader
			unranked.TopItems = nil
			for _, sk := range rep.Instrument.Skills {
				sg, ok := rep.Suggestions.For(sk.Key)
				ideas := sg.IdeasFor(&unranked)
				if !ok || len(ideas) != 4 {
					t.Errorf("the short-form report has %d ideas for %s, want 4", len(ideas), sk.Key)
				}
				for _, idea := range ideas {
					for _, target := range idea.Targets {
						if _, _, asked := rep.Instrument.Item(target.Item); !asked {
							t.Errorf("idea %q aims at %s, which the short form did not ask", idea.Title, target.Item)
						}
					}
				}
			}
			table, err := f.Service.ResultsTable(ctx, f.Org.ID, spring.ID)
			if err != nil || len(table.Rows) != 1 {
				t.Fatalf("results table %+v (%v)", table, err)
			}
		})
	}
}
