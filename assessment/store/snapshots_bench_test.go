package store_test

import (
	"context"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// BenchmarkOrganizationView loads the organisation view's data (heatmap,
// agreement categories, focus counts) of a released cycle of 1,000 leaders
// x 12 raters, as GET /org does: the snapshot's head (the cohort, with the
// heatmap), the leaders' names and the focus rows recorded at release, one
// query each, never a query per leader nor a leader's full result. The
// snapshot is scored from generated ratings outside the timer.
//
//	go test -run '^$' -bench OrganizationView ./assessment/store/
//	TEST_DATABASE_URL=postgres://... go test -run '^$' -bench OrganizationView ./assessment/store/
func BenchmarkOrganizationView(b *testing.B) {
	for _, e := range assessmenttest.Engines(b) {
		b.Run(string(e.Name), func(b *testing.B) {
			f := assessmenttest.NewFixture(b, e)
			ctx := context.Background()
			cycle := f.ReleasedCohort(b, assessmenttest.Cohort{Leaders: 1000})
			b.ReportAllocs()
			for b.Loop() {
				v, err := f.Service.OrganizationView(ctx, f.Org.ID, assessment.OrgQuery{})
				if err != nil {
					b.Fatal(err)
				}
				if v.Cycle.ID != cycle.ID || len(v.Rows) != 1000 {
					b.Fatalf("view of %s with %d rows", v.Cycle.ID, len(v.Rows))
				}
			}
		})
	}
}
