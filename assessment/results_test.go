package assessment_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// Release: only from closed, once; results refused before it with
// ErrNotReleased (a conflict); the release is audited; the organisation
// view counts focus skills from the rows recorded at release, and from the
// snapshot itself when they are missing (a snapshot made after release).
func TestReleaseCycle(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			sc := mustScoredCycle(t, f, "Spring", "maya@example.com", false)
			if _, err := f.Service.ReleaseCycle(ctx, f.Org.ID, sc.cycle.ID, ""); assessment.ErrorCode(err) != assessment.CodeConflict {
				t.Fatalf("release an open cycle: %v, want a conflict", err)
			}
			closeCycle(t, f, sc.cycle.ID)
			if _, err := f.Service.ParticipantReport(ctx, f.Org.ID, sc.cycle.ID, sc.leader.ID); !errors.Is(err, assessment.ErrNotReleased) ||
				assessment.ErrorCode(err) != assessment.CodeConflict {
				t.Fatalf("report of a closed cycle: %v, want ErrNotReleased", err)
			}
			if _, err := f.Service.ExportSource(ctx, f.Org.ID, sc.cycle.ID); !errors.Is(err, assessment.ErrNotReleased) {
				t.Fatalf("export of a closed cycle: %v, want ErrNotReleased", err)
			}
			c, err := f.Service.ReleaseCycle(ctx, f.Org.ID, sc.cycle.ID, "")
			if err != nil || c.Status != assessment.StatusReleased {
				t.Fatalf("release: %+v, %v", c, err)
			}
			if _, err := f.Service.ReleaseCycle(ctx, f.Org.ID, sc.cycle.ID, ""); assessment.ErrorCode(err) != assessment.CodeConflict {
				t.Fatalf("release twice: %v, want a conflict", err)
			}
			if _, err := f.Service.ReleaseCycle(ctx, "another-org", sc.cycle.ID, ""); assessment.ErrorCode(err) != assessment.CodeNotFound {
				t.Fatalf("release from another organisation: %v, want not found", err)
			}
			entries, _, _, err := f.Service.AuditPage(ctx, f.Org.ID, 1, 10)
			if err != nil || len(entries) != 1 || entries[0].Action != assessment.ActionCycleRelease || entries[0].SubjectID != sc.cycle.ID {
				t.Fatalf("audit after release: %+v, %v", entries, err)
			}
			r, err := f.Service.ParticipantReport(ctx, f.Org.ID, sc.cycle.ID, sc.leader.ID)
			if err != nil {
				t.Fatal(err)
			}
			full, err := f.Service.LeaderReport(ctx, f.Org.ID, sc.cycle.ID, sc.leader.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.LeaderName != full.LeaderName || len(r.Comments) != len(full.Comments) || len(r.Agreement) != len(full.Agreement) ||
				r.Leader.Focus != full.Leader.Focus || r.CohortLeaders != full.CohortLeaders {
				t.Errorf("ParticipantReport differs from LeaderReport:\n%+v\n%+v", r, full)
			}
			view := func() assessment.OrgView {
				t.Helper()
				v, err := f.Service.OrganizationView(ctx, f.Org.ID, assessment.OrgQuery{})
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			recorded := view()
			// A newer version without focus rows, as versions stored before
			// focus rows existed are.
			snap, err := f.Service.LatestSnapshot(ctx, f.Org.ID, sc.cycle.ID)
			if err != nil {
				t.Fatal(err)
			}
			snap.ID, snap.CreatedAt, snap.Version = "", snap.CreatedAt.Add(time.Hour), snap.Version+1
			if err := f.Store.CreateSnapshot(ctx, &snap); err != nil {
				t.Fatal(err)
			}
			fallback := view()
			if len(recorded.Focus)+recorded.NoFocus != 1 || len(fallback.Focus) != len(recorded.Focus) || fallback.NoFocus != recorded.NoFocus ||
				(len(recorded.Focus) == 1 && recorded.Focus[0] != fallback.Focus[0]) {
				t.Errorf("focus counts: recorded %+v/%d, from the snapshot %+v/%d", recorded.Focus, recorded.NoFocus, fallback.Focus, fallback.NoFocus)
			}
		})
	}
}
