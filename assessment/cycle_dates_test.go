package assessment_test

import (
	"context"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// A cycle opened before its planned date and closed early gives the dates
// the survey really ran: it opens when it was opened and closes when it was
// closed (before, the early close kept the planned close date, so the report
// said "results as of 20 December" for a cycle closed on the 3rd).
func TestCycleDatesAreWhenItReallyRan(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			start := f.Clock.Now()
			c, err := f.Service.CreateCycle(ctx, assessment.CycleDraft{OrganizationID: f.Org.ID, InstrumentID: f.Instrument.ID,
				Name: "Early", OpensAt: start.AddDate(0, 0, 7), ClosesAt: start.AddDate(0, 0, 28)})
			if err != nil {
				t.Fatal(err)
			}
			f.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
			if _, err := f.Service.OpenCycle(ctx, f.Org.ID, c.ID, "", nil); err != nil {
				t.Fatal(err)
			}
			f.Clock.Set(start.Add(36 * time.Hour))
			closed, err := f.Service.CloseCycleEarly(ctx, f.Org.ID, c.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			stored, err := f.Store.Cycle(ctx, f.Org.ID, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for what, got := range map[string]assessment.Cycle{"returned": closed, "stored": stored} {
				if !got.OpensAt.Equal(start) || !got.ClosesAt.Equal(start.Add(36*time.Hour)) {
					t.Errorf("%s: open %v to %v, want %v to %v", what, got.OpensAt, got.ClosesAt, start, start.Add(36*time.Hour))
				}
			}
		})
	}
}
