package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

const importHeader = "leader_email,leader_name,rater_email,rater_name,relationship\n"

// rosterSize counts a cycle's leaders and rater assignments, self included.
func rosterSize(t *testing.T, st *store.Store, c assessment.Cycle) (leaders, raters int) {
	t.Helper()
	roster, err := st.CycleRoster(context.Background(), c.OrganizationID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range roster {
		raters += len(l.Raters)
	}
	return len(roster), raters
}

// A file with problems imports nothing: every problem is listed with its
// line (on stderr, or in the JSON on stdout), the exit status is 1, and the
// roster and the audit log are as they were.
func TestCycleImportWithProblemsImportsNothing(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			vars := engineEnv(t, e)
			vars["LEAD360_SECRET_KEY"], vars["LEAD360_LOG_LEVEL"] = testSecretKey, "error"
			st, draft := draftCycle(t, vars, 1)
			dir := t.TempDir()
			tests := []struct {
				name, csv string
				says      []string // on stderr, each in the listing
				lines     []int    // the lines JSON names
			}{
				{"bad rows and a good one", importHeader + "ana@example.com,,mo@example.com,Mo,boss\n" +
					"ana@example.com,,not-an-address,Pat,peer\n" + "ana@example.com,,pat@example.com,Pat,peer\n",
					[]string{`line 2: Unknown relationship "boss"`, `line 3: The rater's email "not-an-address" is not an email address.`,
						"nothing was imported: 2 of 3 rows have problems"}, []int{2, 3}},
				{"duplicate and already a rater", importHeader + "ana@example.com,,pat@example.com,Pat,peer\n" +
					"ana@example.com,,pat@example.com,Pat,manager\n" + "ana@example.com,,rater0@example.com,Rater 0,peer\n",
					[]string{"line 3: Duplicate: line 2 already asks this person to rate this leader.", "line 4: rater0@example.com already rates this leader"},
					[]int{3, 4}},
				{"new leader without a name", importHeader + "bo@example.com,,pat@example.com,Pat,peer\n",
					[]string{"line 2: bo@example.com is new to lead360: add a leader_name column"}, []int{2}},
				{"no header", "ana@example.com,pat@example.com,Pat,peer\n", []string{"the file: The first line must name the columns"}, nil},
				{"empty", "", []string{"the file: The file is empty."}, nil},
				{"header only", importHeader, []string{"the file: The file has no rows after its first line."}, nil},
			}
			for _, tc := range tests {
				file := writeFile(t, dir, strings.ReplaceAll(tc.name, " ", "-")+".csv", tc.csv)
				out, errOut, code := runCLI(t, vars, "cycle", "import", "--cycle", draft.ID, file)
				if code != exitFailure || out != "" || !strings.Contains(errOut, "Nothing was imported.") {
					t.Errorf("%s: exit %d, stdout %q, stderr:\n%s", tc.name, code, out, errOut)
				}
				for _, want := range tc.says {
					if !strings.Contains(errOut, want) {
						t.Errorf("%s: stderr lacks %q:\n%s", tc.name, want, errOut)
					}
				}
				out, _, code = runCLI(t, vars, "cycle", "import", "--cycle", draft.ID, "--json", file)
				got := decode[importJSON](t, out)
				var lines []int
				for _, l := range got.Lines {
					lines = append(lines, l.Line)
				}
				if code != exitFailure || got.Imported || got.Leaders+got.Raters != 0 || len(got.Problems)+len(lines) == 0 || !slices.Equal(lines, tc.lines) {
					t.Errorf("%s: --json exit %d: %+v, want lines %v", tc.name, code, got, tc.lines)
				}
			}
			if leaders, raters := rosterSize(t, st, draft); leaders != 1 || raters != 2 {
				t.Errorf("after refused imports the roster has %d leaders and %d raters, want 1 and 2 (self and one peer)", leaders, raters)
			}
			if entries := auditOf(t, st, draft.OrganizationID, "cycle.import", draft.ID); len(entries) != 0 {
				t.Errorf("refused imports left audit entries: %+v", entries)
			}
			good := writeFile(t, dir, "good.csv", importHeader+"ana@example.com,,pat@example.com,Pat,peer\n")
			if _, errOut, code := runCLI(t, vars, "cycle", "open", "--cycle", draft.ID); code != exitOK {
				t.Fatalf("cycle open: %s", errOut)
			}
			_, errOut, code := runCLI(t, vars, "cycle", "import", "--cycle", draft.ID, good)
			if code != exitFailure || !strings.Contains(errOut, `the file: Cycle "Spring" is open: raters can only be imported while it is a draft.`) {
				t.Errorf("import into an open cycle: exit %d:\n%s", code, errOut)
			}
			if leaders, raters := rosterSize(t, st, draft); leaders != 1 || raters != 2 {
				t.Errorf("the open cycle's roster has %d leaders and %d raters, want 1 and 2", leaders, raters)
			}
		})
	}
}

// "-" reads the file from standard input. Not parallel: it swaps the
// package's stdin, and parallel tests only start once it has put it back.
func TestCycleImportReadsStandardInput(t *testing.T) {
	old := stdin
	t.Cleanup(func() { stdin = old })
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			vars := engineEnv(t, e)
			vars["LEAD360_SECRET_KEY"], vars["LEAD360_LOG_LEVEL"] = testSecretKey, "error"
			st, draft := draftCycle(t, vars, 0)
			stdin = strings.NewReader(importHeader + "ana@example.com,,mo@example.com,Mo Manager,manager\n" +
				"bo@example.com,Bo Berg,pat@example.com,Pat,direct report\n" + "bo@example.com,,ana@example.com,Ana Lima,peer\n")
			out, errOut, code := runCLI(t, vars, "cycle", "import", "--cycle", draft.ID, "-")
			// Bo's one peer and one direct report are too few to show, even
			// combined, and Ana has only her manager: the import says so (and
			// still imports).
			if code != exitOK || !strings.HasPrefix(out, "Imported into \"Spring\": 1 leader and 3 raters from 3 rows.\n") ||
				!strings.Contains(out, "Warning: A group too small to show, for Ana Lima: fewer than 3 colleagues in all") ||
				!strings.Contains(out, "Warning: A group too small to show, for Bo Berg: peers 1 invited, fewer than 3 and too few to combine") {
				t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, out, errOut)
			}
			if leaders, raters := rosterSize(t, st, draft); leaders != 2 || raters != 5 {
				t.Errorf("the roster has %d leaders and %d raters, want 2 and 5 (two selves and three raters)", leaders, raters)
			}
			checkOperatorEntry(t, auditOf(t, st, draft.OrganizationID, "cycle.import", draft.ID), "cycle import")
		})
	}
}
