package assessment_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// The import's optional leader_department, leader_manager_email and
// leader_location columns: each checked next to its row, a leader given
// two departments refused with both lines named, and nothing saved while
// any row has a problem.
func TestImportPlacementProblems(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			c := f.MustCreateCycle(t, "Import")
			csv := "leader_email,leader_name,rater_email,rater_name,relationship,leader_department,leader_manager_email,leader_location\n" +
				"ana@example.com,Ana,ben@example.com,Ben,peer,Platform,kim@example.com,Berlin\n" + // 2: fine
				"ana@example.com,Ana,cy@example.com,Cy,peer,Data,,\n" + // 3: a second department
				"bo@example.com,Bo,dee@example.com,Dee,peer,,not an address,\n" + // 4: bad manager address
				"bo@example.com,Bo,eve@example.com,Eve,peer," + strings.Repeat("x", 101) + ",,\n" // 5: too long
			_, imp, err := f.Service.ImportRaters(ctx, f.Org.ID, c.ID, csv, "")
			if !errors.Is(err, assessment.ErrImportNotReady) {
				t.Fatalf("import: %v", err)
			}
			got := rowProblems(imp)
			for line, want := range map[int]string{
				2: "",
				3: `Line 2 gives this leader's department as "Platform"; this row says "Data". Give one.`,
				4: "The leader's manager's email: Enter the manager's email address",
				5: "The leader's department: Use at most 100 characters.",
			} {
				if g := got[line]; (want == "" && g != "") || !strings.Contains(g, want) {
					t.Errorf("line %d: %q, want %q", line, g, want)
				}
			}
			if leaders, err := f.Store.CycleLeaders(ctx, f.Org.ID, c.ID); err != nil || len(leaders) != 0 {
				t.Errorf("a refused import saved leaders: %v, %v", leaders, err)
			}
		})
	}
}

// An import stores where its leaders sit; a later import that leaves a
// column empty keeps what is stored, and one that gives it replaces it.
func TestImportStoresWhereLeadersSit(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			c := f.MustCreateCycle(t, "Import")
			header := "leader_email,leader_name,rater_email,rater_name,relationship,leader_department,leader_manager_email,leader_location\n"
			for _, csv := range []string{
				header + "ana@example.com,Ana,ben@example.com,Ben,peer,Platform, Kim@Example.com ,Berlin\n" +
					"ana@example.com,Ana,cy@example.com,Cy,peer,,,\n",
				header + "ana@example.com,Ana,dee@example.com,Dee,peer,,,Lisbon\n",
			} {
				if _, _, err := f.Service.ImportRaters(ctx, f.Org.ID, c.ID, csv, ""); err != nil {
					t.Fatal(err)
				}
			}
			names, err := f.Store.ParticipantNames(ctx, f.Org.ID, c.ID)
			if err != nil || len(names) != 1 {
				t.Fatalf("leaders %v, %v", names, err)
			}
			want := assessment.Placement{Department: "Platform", ManagerEmail: "kim@example.com", Location: "Lisbon"}
			if names[0].Placement != want {
				t.Errorf("placement %+v, want %+v", names[0].Placement, want)
			}
		})
	}
}
