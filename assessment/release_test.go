package assessment_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// Two releases of one cycle at once (two servers, two tabs) store one
// snapshot between them: one releases, the other is told the results were
// already released, and the audit log has one release.
func TestConcurrentReleasesStoreOneSnapshot(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			for _, name := range []string{"Spring", "Summer", "Autumn"} {
				sc := mustScoredCycle(t, f, name, "maya@example.com", false)
				closeCycle(t, f, sc.cycle.ID)
				errs := make([]error, 2)
				var ready, done sync.WaitGroup
				start := make(chan struct{})
				for i := range errs {
					ready.Add(1)
					done.Go(func() {
						ready.Done()
						<-start
						_, errs[i] = f.Service.ReleaseCycle(ctx, f.Org.ID, sc.cycle.ID, "")
					})
				}
				ready.Wait()
				close(start)
				done.Wait()
				released := 0
				for _, err := range errs {
					switch {
					case err == nil:
						released++
					case assessment.ErrorCode(err) != assessment.CodeConflict || !strings.Contains(err.Error(), "already been released"):
						t.Errorf("%s: the other release answered %v, want that the results were already released", name, err)
					}
				}
				if released != 1 {
					t.Errorf("%s: %d releases succeeded, want 1 (%v)", name, released, errs)
				}
				if v := snapshotVersions(t, f, sc.cycle.ID); len(v) != 1 || v[0] != 1 {
					t.Errorf("%s: stored versions %v, want [1]", name, v)
				}
				if n := len(auditOf(t, f, assessment.ActionCycleRelease, sc.cycle.ID)); n != 1 {
					t.Errorf("%s: %d release entries in the audit log, want 1", name, n)
				}
			}
		})
	}
}

// Scoring a released cycle never changes what its leaders read, even when
// the result has changed (here: a previous cycle was released since, which
// adds trends); a re-release makes the new result the next version with an
// audit entry naming it, once, however many ask at the same moment; a
// re-release that would change nothing stores nothing.
func TestReleasedResultsChangeOnlyByAnAuditedReRelease(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			start := f.Clock.Now()
			autumn := mustScoredCycle(t, f, "Autumn", "maya@example.com", false)
			closeCycle(t, f, autumn.cycle.ID)
			f.Clock.Set(start.AddDate(0, 2, 0))
			spring := mustScoredCycle(t, f, "Spring", "maya@example.com", false)
			closeCycle(t, f, spring.cycle.ID)
			if _, err := f.Service.ReReleaseCycle(ctx, f.Org.ID, spring.cycle.ID, "", "a test"); assessment.ErrorCode(err) != assessment.CodeConflict {
				t.Fatalf("re-release of a closed cycle: %v, want a conflict", err)
			}
			if _, err := f.Service.ReleaseCycle(ctx, f.Org.ID, spring.cycle.ID, ""); err != nil {
				t.Fatal(err)
			}
			// Autumn closed earlier and is released later: spring's input
			// now has trends.
			if _, err := f.Service.ReleaseCycle(ctx, f.Org.ID, autumn.cycle.ID, ""); err != nil {
				t.Fatal(err)
			}
			released := mustReport(t, f, spring)
			if released.Leader.HasPrevious {
				t.Fatal("fixture: spring was released with a trend")
			}

			fresh, err := f.Service.ScoreCycle(ctx, f.Org.ID, spring.cycle.ID)
			if err != nil {
				t.Fatal(err)
			}
			if fresh.Stored() || fresh.Version != 2 || !fresh.Result.Leaders[0].HasPrevious {
				t.Fatalf("scoring the released cycle: stored %v, version %d, trend %v; want an unstored version 2 with a trend",
					fresh.Stored(), fresh.Version, fresh.Result.Leaders[0].HasPrevious)
			}
			if v := snapshotVersions(t, f, spring.cycle.ID); len(v) != 1 {
				t.Fatalf("scoring a released cycle stored a version: %v", v)
			}
			if mustReport(t, f, spring).Leader.HasPrevious {
				t.Fatal("scoring a released cycle changed the leader's report")
			}

			outcomes := make([]assessment.ReRelease, 3)
			errs := make([]error, len(outcomes))
			var wg sync.WaitGroup
			for i := range outcomes {
				wg.Go(func() {
					outcomes[i], errs[i] = f.Service.ReReleaseCycle(ctx, f.Org.ID, spring.cycle.ID, "", "operator ana, from a test")
				})
			}
			wg.Wait()
			created := 0
			for i, rr := range outcomes {
				switch {
				case errs[i] != nil && assessment.ErrorCode(errs[i]) != assessment.CodeConflict:
					t.Errorf("re-release %d: %v", i, errs[i])
				case errs[i] == nil && rr.Created:
					created++
					if rr.Snapshot.Version != 2 || rr.Previous != 1 || !rr.Snapshot.Stored() {
						t.Errorf("re-release: %+v, want version 2 replacing 1", rr)
					}
				case errs[i] == nil && rr.Snapshot.Version != 2:
					t.Errorf("a re-release after the first: %+v, want version 2 left as it is", rr)
				}
			}
			if created != 1 {
				t.Fatalf("%d of 3 simultaneous re-releases stored a version, want 1: %v", created, errs)
			}
			if v := snapshotVersions(t, f, spring.cycle.ID); len(v) != 2 || v[1] != 2 {
				t.Fatalf("versions after re-release: %v, want [1 2]", v)
			}
			if !mustReport(t, f, spring).Leader.HasPrevious {
				t.Error("after the re-release, the report does not read version 2")
			}
			entries := auditOf(t, f, assessment.ActionCycleReRelease, spring.cycle.ID)
			if len(entries) != 1 {
				t.Fatalf("%d re-release entries, want 1", len(entries))
			}
			for _, want := range []string{"version 2", "replacing version 1", "operator ana, from a test"} {
				if !strings.Contains(entries[0].Detail, want) {
					t.Errorf("audit entry %q does not say %q", entries[0].Detail, want)
				}
			}

			again, err := f.Service.ReReleaseCycle(ctx, f.Org.ID, spring.cycle.ID, "", "a test")
			if err != nil || again.Created || again.Snapshot.Version != 2 {
				t.Fatalf("re-release with nothing changed: %+v, %v", again, err)
			}
			if n := len(auditOf(t, f, assessment.ActionCycleReRelease, spring.cycle.ID)); n != 1 || len(snapshotVersions(t, f, spring.cycle.ID)) != 2 {
				t.Errorf("a re-release that changed nothing left %d entries and versions %v", n, snapshotVersions(t, f, spring.cycle.ID))
			}
		})
	}
}

// mustReport is the leader's report of a scored cycle, as the leader reads it.
func mustReport(t *testing.T, f *assessmenttest.Fixture, sc scoredCycle) assessment.LeaderReport {
	t.Helper()
	r, err := f.Service.ParticipantReport(context.Background(), f.Org.ID, sc.cycle.ID, sc.leader.ID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// snapshotVersions lists the versions stored for the cycle, in order.
func snapshotVersions(t *testing.T, f *assessmenttest.Fixture, cycleID string) []int {
	t.Helper()
	rows, err := f.Store.(*store.Store).DB().Query("SELECT version FROM score_snapshots WHERE cycle_id = $1 ORDER BY version", cycleID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// auditOf lists the organisation's audit entries of one action on a cycle.
func auditOf(t *testing.T, f *assessmenttest.Fixture, action, cycleID string) []assessment.AuditRecord {
	t.Helper()
	entries, _, _, err := f.Service.AuditPage(context.Background(), f.Org.ID, 1, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []assessment.AuditRecord
	for _, e := range entries {
		if e.Action == action && e.SubjectID == cycleID {
			out = append(out, e)
		}
	}
	return out
}
