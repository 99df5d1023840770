package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// decode reads one JSON document of a cycle command into v.
func decode[T any](t *testing.T, out string) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("output is not the expected JSON: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("more than one JSON document:\n%s", out)
	}
	return v
}

// The script, step by step through run with --json: create a
// cycle, import its raters, open it, watch the counts, close it, release
// it and export its results. Every step prints the fields a script reads
// and leaves its audit entry, by the operator, from the command line.
func TestCycleCommandsScriptACycle(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			vars := engineEnv(t, e)
			vars["LEAD360_SECRET_KEY"], vars["LEAD360_LOG_LEVEL"] = testSecretKey, "error"
			st, svc, org := organization(t, vars, "Acme")
			today := time.Now().UTC().Truncate(24 * time.Hour)
			raters := writeFile(t, t.TempDir(), "raters.csv", importHeader+"ana@acme.example,Ana Lima,mo@acme.example,Mo Manager,manager\n"+
				"ana@acme.example,,p1@acme.example,Pat One,peer\n"+"ana@acme.example,,p2@acme.example,Pat Two,peer\n"+
				"ana@acme.example,,p3@acme.example,Pat Three,Peer\n"+"ana@acme.example,,dee@acme.example,Dee Report,direct report\n")
			var id string
			cycle := func(action string, more ...string) []string {
				return append([]string{"cycle", action, "--cycle", id, "--json"}, more...)
			}
			steps := []struct {
				command string
				args    func() []string
				check   func(t *testing.T, out string)
			}{
				{"cycle create", func() []string {
					return []string{"cycle", "create", "--org", "Acme", "--name", "Spring 2026", "--json",
						"--opens", today.Format(time.DateOnly), "--closes", today.AddDate(0, 0, 14).Format(time.DateOnly)}
				}, func(t *testing.T, out string) {
					c := decode[createdJSON](t, out)
					id = c.ID
					want := createdJSON{cycleJSON: cycleJSON{ID: c.ID, Name: "Spring 2026", OrganizationID: org.ID, Status: "draft",
						OpensAt: today, ClosesAt: today.AddDate(0, 0, 15)}, Organization: "Acme", Form: "short",
						Instrument: assessment.ShortFormKey, AnonymityThreshold: 3}
					if c.ID == "" || c != want {
						t.Errorf("created %+v, want %+v", c, want)
					}
				}},
				{"cycle import", func() []string { return cycle("import", raters) }, func(t *testing.T, out string) {
					if got := decode[importJSON](t, out); !got.Imported || got.Leaders != 1 || got.Raters != 5 || got.Rows != 5 || len(got.Lines) != 0 {
						t.Errorf("import said %+v", got)
					}
				}},
				{"cycle open", func() []string { return cycle("open") }, func(t *testing.T, out string) {
					if got := decode[openedJSON](t, out); got.Status != "open" || got.Invitations != 6 || got.Emails != 6 {
						t.Errorf("open said %+v", got)
					}
					answerAllBut(t, st, svc, org.ID, id, assessment.DirectReport)
				}},
				{"cycle list", func() []string { return []string{"cycle", "list", "--org", "Acme", "--json"} }, func(t *testing.T, out string) {
					checkListed(t, decode[[]listedJSON](t, out), id)
				}},
				{"cycle close", func() []string { return cycle("close") }, func(t *testing.T, out string) {
					if got := decode[cycleJSON](t, out); got.ID != id || got.Status != "closed" || got.ClosesAt.After(time.Now()) {
						t.Errorf("close said %+v", got)
					}
				}},
				{"cycle release", func() []string { return cycle("release") }, func(t *testing.T, out string) {
					if got := decode[cycleJSON](t, out); got.Status != "released" {
						t.Errorf("release said %+v", got)
					}
				}},
				{"report", func() []string { return []string{"report", "--cycle", id, "--csv", "-o", "-"} }, func(t *testing.T, out string) {
					if recs, err := csv.NewReader(strings.NewReader(out)).ReadAll(); err != nil || len(recs) < 2 {
						t.Errorf("CSV export: %d records, %v", len(recs), err)
					}
				}},
			}
			for _, step := range steps {
				out, errOut, code := runCLI(t, vars, step.args()...)
				if code != 0 {
					t.Fatalf("%s: exit %d\n%s", step.command, code, errOut)
				}
				step.check(t, out)
			}
			for _, x := range []struct{ action, command string }{
				{assessment.ActionCycleCreate, "cycle create"}, {"cycle.import", "cycle import"}, {assessment.ActionCycleOpen, "cycle open"},
				{"cycle.close_early", "cycle close"}, {assessment.ActionCycleRelease, "cycle release"}, {assessment.ActionResultsExport, "report"},
			} {
				checkOperatorEntry(t, auditOf(t, st, org.ID, x.action, id), x.command)
			}
		})
	}
}

// answerAllBut submits every rater's answers in the open cycle but those
// of the relationship left out.
func answerAllBut(t *testing.T, st *store.Store, svc *assessment.Service, orgID, cycleID string, left assessment.Relationship) {
	t.Helper()
	ctx := context.Background()
	c, err := st.Cycle(ctx, orgID, cycleID)
	if err != nil {
		t.Fatal(err)
	}
	in, err := st.Instrument(ctx, c.InstrumentID)
	if err != nil {
		t.Fatal(err)
	}
	var answers []assessment.Answer
	for _, sk := range in.Skills {
		for _, it := range sk.Items {
			answers = append(answers, assessment.Answer{ItemKey: it.Key, Value: 4})
		}
	}
	parts, err := st.Participants(ctx, orgID, cycleID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		as, err := st.Assignments(ctx, orgID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			if a.Relationship == left {
				continue
			}
			r := assessment.Response{AssignmentID: a.ID, Status: assessment.ResponseSubmitted, Answers: answers}
			if err := svc.SaveAnswers(ctx, orgID, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// checkListed checks the list of the open cycle whose raters all answered
// but the direct report: counts per group, and nothing else about them.
func checkListed(t *testing.T, got []listedJSON, id string) {
	t.Helper()
	if len(got) != 1 || got[0].ID != id || got[0].Status != "open" || got[0].Organization != "Acme" || got[0].Leaders != 1 {
		t.Fatalf("list said %+v", got)
	}
	want := []groupJSON{{"self", 1, 1, 1}, {"manager", 1, 1, 1}, {"peer", 3, 3, 3}, {"direct_report", 1, 1, 0}}
	if l := got[0]; l.groupJSON != (groupJSON{Raters: 6, Invited: 6, Submitted: 5}) || len(l.Groups) != len(want) {
		t.Fatalf("list counts %+v, want 5 of 6 in 4 groups", l)
	}
	for i, g := range got[0].Groups {
		if g != want[i] {
			t.Errorf("group %d = %+v, want %+v", i, g, want[i])
		}
	}
}
