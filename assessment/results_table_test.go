package assessment_test

import (
	"context"
	"database/sql"
	"reflect"
	"testing"

	"github.com/lead360/lead360/assessment/assessmenttest"
)

// The results table reads each leader's row as recorded at release; for a
// release recorded before the rows had their counts (migration 00014) it
// reads the snapshot itself and shows the same table.
func TestResultsTableRowsRecordedOrRead(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			sc := mustScoredCycle(t, f, "Spring", "maya@example.com", false)
			closeCycle(t, f, sc.cycle.ID)
			if _, err := f.Service.ReleaseCycle(ctx, f.Org.ID, sc.cycle.ID, ""); err != nil {
				t.Fatal(err)
			}
			recorded, err := f.Service.ResultsTable(ctx, f.Org.ID, sc.cycle.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(recorded.Rows) == 0 || len(recorded.Rows[0].Raters) == 0 {
				t.Fatalf("no rater counts recorded: %+v", recorded.Rows)
			}
			db := f.Store.(interface{ DB() *sql.DB }).DB()
			if _, err := db.ExecContext(ctx, "UPDATE score_snapshot_focus SET raters = NULL, blind_spots = NULL"); err != nil {
				t.Fatal(err)
			}
			read, err := f.Service.ResultsTable(ctx, f.Org.ID, sc.cycle.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(recorded.Rows, read.Rows) {
				t.Errorf("rows read from the snapshot differ from those recorded:\n%+v\n%+v", read.Rows, recorded.Rows)
			}
		})
	}
}
