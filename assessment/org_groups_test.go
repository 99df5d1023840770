package assessment_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
	"github.com/lead360/lead360/scoring"
)

// The organisation view's groups and filters, on generated cohorts whose
// departments and managers range from one leader to many and whose leaders
// have from one to ten colleagues (so some cells are not shown): every
// figure of every query is a function of the leaders' rows the ungrouped
// view shows, and no group or filter of fewer than k leaders shows
// anything. Differencing two queries therefore reveals nothing the
// ungrouped view does not, and it reveals no rater at all.
func TestOrgGroupsShowOnlyWhatTheLeaderRowsShow(t *testing.T) {
	t.Parallel()
	for i, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			// A cohort per engine, each of its own seed: every query runs
			// on both engines, and two cohorts see more shapes than one.
			for _, seed := range []uint64{uint64(i)} {
				f := assessmenttest.NewFixture(t, e)
				rng := rand.New(rand.NewPCG(seed, 360))
				departments := []string{"Platform", "Product", "Data", "Design", "Security"}
				managers := []string{"m1@example.com", "m2@example.com", "m3@example.com", "m4@example.com", ""}
				place := make([]assessment.Placement, 24+rng.IntN(12))
				for i := range place {
					// Skewed, so some departments and managers have one or two leaders.
					place[i] = assessment.Placement{Department: departments[min(rng.IntN(7), 4)], ManagerEmail: managers[rng.IntN(5)]}
				}
				f.ReleasedCohort(t, assessmenttest.Cohort{Leaders: len(place), Seed: seed,
					Place:   func(i int) assessment.Placement { return place[i] },
					Peers:   func(int) int { return rng.IntN(4) },
					Directs: func(int) int { return rng.IntN(6) }})
				checkOrgQueries(t, f, departments, managers)
			}
		})
	}
}

// checkOrgQueries runs every grouping with every filter and checks each
// view against the ungrouped one.
func checkOrgQueries(t *testing.T, f *assessmenttest.Fixture, departments, managers []string) {
	t.Helper()
	ctx := context.Background()
	view := func(q assessment.OrgQuery) assessment.OrgView {
		t.Helper()
		v, err := f.Service.OrganizationView(ctx, f.Org.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	base := view(assessment.OrgQuery{})
	k := max(base.Threshold, assessment.MinAnonymityThreshold)
	checkOptions(t, base, k)
	// A department no leader has keeps no one.
	checkOrgView(t, assessment.OrgQuery{Department: "Nowhere"}, base, view(assessment.OrgQuery{Department: "Nowhere"}), k)
	for _, by := range []assessment.OrgGrouping{"", assessment.ByDepartment, assessment.ByManager} {
		for _, d := range append([]string{""}, departments...) {
			for _, m := range managers { // "" among them: no manager filter
				q := assessment.OrgQuery{GroupBy: by, Department: d, Manager: m}
				checkOrgView(t, q, base, view(q), k)
			}
		}
	}
}

// checkOptions: the filter offers exactly the departments and managers of
// at least k leaders.
func checkOptions(t *testing.T, base assessment.OrgView, k int) {
	t.Helper()
	for _, by := range []assessment.OrgGrouping{assessment.ByDepartment, assessment.ByManager} {
		count := map[string]int{}
		for _, r := range base.Rows {
			count[keyOf(by, r.Placement)]++
		}
		opts := base.Departments
		if by == assessment.ByManager {
			opts = base.Managers
		}
		var want, got []string
		for key, n := range count {
			if key != "" && n >= k {
				want = append(want, key)
			}
		}
		for _, o := range opts {
			got = append(got, o.Key)
			if o.Leaders != count[o.Key] {
				t.Errorf("%s option %q says %d leaders, has %d", by, o.Key, o.Leaders, count[o.Key])
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s options %v, want %v", by, got, want)
		}
	}
}

func keyOf(by assessment.OrgGrouping, p assessment.Placement) string {
	if by == assessment.ByManager {
		return p.ManagerEmail
	}
	return p.Department
}

// checkOrgView checks one query's view against the ungrouped view.
func checkOrgView(t *testing.T, q assessment.OrgQuery, base, v assessment.OrgView, k int) {
	t.Helper()
	keep := slices.DeleteFunc(slices.Clone(base.Rows), func(r assessment.HeatmapLeader) bool {
		return (q.Department != "" && r.Department != q.Department) || (q.Manager != "" && r.ManagerEmail != q.Manager)
	})
	if len(keep) < k {
		if len(v.Rows) != 0 || len(v.Groups) != 0 || v.ShownColumns != nil || !v.FilterTooSmall {
			t.Errorf("%+v keeps %d leaders (k %d) but shows %d rows, %d groups", q, len(keep), k, len(v.Rows), len(v.Groups))
		}
		return
	}
	baseRow := map[string]assessment.HeatmapLeader{}
	for _, r := range base.Rows {
		baseRow[r.ParticipantID] = r
	}
	if len(v.Rows) != len(keep) {
		t.Errorf("%+v shows %d rows, want %d", q, len(v.Rows), len(keep))
	}
	for _, r := range v.Rows {
		if b := baseRow[r.ParticipantID]; !slices.Equal(r.Others, b.Others) {
			t.Errorf("%+v: %s's row %v differs from the ungrouped %v", q, r.Name, r.Others, b.Others)
		}
	}
	if q.Filtered() {
		checkColumns(t, fmt.Sprintf("%+v shown", q), v.ShownColumns, keep)
	}
	if q.GroupBy == "" {
		if len(v.Groups) != 0 {
			t.Errorf("%+v has groups without a grouping", q)
		}
		return
	}
	members := map[string][]assessment.HeatmapLeader{}
	for _, r := range keep {
		members[keyOf(q.GroupBy, r.Placement)] = append(members[keyOf(q.GroupBy, r.Placement)], r)
	}
	small := 0
	for _, rows := range members {
		if len(rows) < k {
			small++
		}
	}
	if v.HiddenGroups != small || len(v.Groups) != len(members)-small {
		t.Errorf("%+v: %d groups shown and %d hidden, want %d and %d", q, len(v.Groups), v.HiddenGroups, len(members)-small, small)
	}
	for _, g := range v.Groups {
		if g.Leaders < k || g.Leaders != len(members[g.Key]) {
			t.Errorf("%+v group %q: %d leaders, has %d (k %d)", q, g.Key, g.Leaders, len(members[g.Key]), k)
		}
		checkColumns(t, fmt.Sprintf("%+v group %q", q, g.Key), g.Columns, members[g.Key])
	}
}

// checkColumns: each skill's mean is the plain mean of the rows' shown
// cells, computed here by hand, and "not shown" when none is.
func checkColumns(t *testing.T, what string, cols []scoring.HeatmapColumn, rows []assessment.HeatmapLeader) {
	t.Helper()
	for j, col := range cols {
		sum, n := 0.0, 0
		for _, r := range rows {
			if r.Others[j].Available() {
				sum += r.Others[j].Value
				n++
			}
		}
		switch {
		case n == 0 && col.Mean.Available():
			t.Errorf("%s skill %d: a mean %v from no shown cell", what, j, col.Mean)
		case n > 0 && (!col.Mean.Available() || math.Abs(col.Mean.Value-sum/float64(n)) > 1e-9 || col.Leaders != n):
			t.Errorf("%s skill %d: mean %v of %d leaders, want %.4f of %d", what, j, col.Mean, col.Leaders, sum/float64(n), n)
		}
	}
}

// A cycle released before migration 00014 recorded its focus rows without
// the counts and blind spots; the organisation view and the results table
// then read the snapshot itself. They must show exactly what the recorded
// rows show: the same cohort, read both ways.
func TestViewsWithoutRecordedSummariesReadTheSnapshot(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			departments := []string{"Platform", "Product", "Data"}
			cy := f.ReleasedCohort(t, assessmenttest.Cohort{Leaders: 12, Seed: 7,
				Place: func(i int) assessment.Placement {
					return assessment.Placement{Department: departments[i%3], ManagerEmail: fmt.Sprintf("m%d@example.com", i%2)}
				},
				Peers: func(i int) int { return i % 4 }, Directs: func(i int) int { return i % 6 }})
			ctx := context.Background()
			read := func() (views []assessment.OrgView, table assessment.ResultsTable) {
				t.Helper()
				for _, q := range []assessment.OrgQuery{{}, {GroupBy: assessment.ByDepartment}, {GroupBy: assessment.ByManager},
					{Department: "Platform"}, {GroupBy: assessment.ByDepartment, Manager: "m1@example.com"}} {
					v, err := f.Service.OrganizationView(ctx, f.Org.ID, q)
					if err != nil {
						t.Fatal(err)
					}
					views = append(views, v)
				}
				table, err := f.Service.ResultsTable(ctx, f.Org.ID, cy.ID)
				if err != nil {
					t.Fatal(err)
				}
				return views, table
			}
			recordedViews, recordedTable := read()
			if _, err := f.Store.(*store.Store).DB().ExecContext(ctx, `UPDATE score_snapshot_focus SET raters = NULL, blind_spots = NULL`); err != nil {
				t.Fatal(err)
			}
			fallbackViews, fallbackTable := read()
			if !reflect.DeepEqual(fallbackViews, recordedViews) {
				t.Errorf("the organisation views differ without the recorded summaries")
			}
			if !reflect.DeepEqual(fallbackTable, recordedTable) {
				t.Errorf("the results table differs without the recorded summaries:\n got %+v\nwant %+v", fallbackTable, recordedTable)
			}
			if len(recordedTable.Rows) != 12 {
				t.Fatalf("the results table has %d rows, want 12", len(recordedTable.Rows))
			}
		})
	}
}
