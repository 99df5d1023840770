package main

import (
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// cycle create applies the dashboard form's rules, says which flag each
// problem is about, and creates nothing when refused; --form full picks
// the full questionnaire.
func TestCycleCreateChecksLikeTheForm(t *testing.T) {
	t.Parallel()
	full, err := assessment.BuiltinInstrument()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			vars := engineEnv(t, e)
			vars["LEAD360_SECRET_KEY"], vars["LEAD360_LOG_LEVEL"] = testSecretKey, "error"
			st, _, org := organization(t, vars, "Acme")
			create := func(org string, more ...string) []string {
				return append([]string{"cycle", "create", "--org", org, "--name", "Autumn", "--json"}, more...)
			}
			dates := []string{"--opens", "2030-09-01", "--closes", "2030-09-21"}
			tests := []struct {
				name string
				args []string
				code int
				says string
			}{
				{"unknown organisation", create("Acme Corp", dates...), exitFailure, `cycle create: there is no organisation named "Acme Corp"`},
				{"closes before it opens", create("Acme", "--opens", "2030-09-21", "--closes", "2030-09-01"), exitUsage, "--closes: The cycle must close after it opens."},
				{"threshold below three", create("Acme", append(dates, "--threshold", "2")...), exitUsage, "--threshold: The anonymity threshold must be at least 3."},
				{"unknown form", create("Acme", append(dates, "--form", "long")...), exitUsage, `--form "long": use short or full.`},
				{"name too long", append(create("Acme", dates...), "--name", strings.Repeat("n", 300)), exitUsage, "--name: "},
			}
			for _, tc := range tests {
				out, errOut, code := runCLI(t, vars, tc.args...)
				if code != tc.code || out != "" || !strings.Contains(errOut, tc.says) {
					t.Errorf("%s: exit %d, stdout %q, want %d saying %q:\n%s", tc.name, code, out, tc.code, tc.says, errOut)
				}
			}
			out, errOut, code := runCLI(t, vars, create("Acme", append(dates, "--form", "full", "--threshold", "5")...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			c := decode[createdJSON](t, out)
			if c.Form != "full" || c.Instrument != full.Key || c.AnonymityThreshold != 5 || c.Status != "draft" {
				t.Errorf("created %+v, want the full form with threshold 5", c)
			}
			if cycles, err := st.Cycles(t.Context(), org.ID); err != nil || len(cycles) != 1 {
				t.Errorf("the organisation has %d cycles (%v), want only the one created", len(cycles), err)
			}
			checkOperatorEntry(t, auditOf(t, st, org.ID, assessment.ActionCycleCreate, c.ID), "cycle create")
		})
	}
}
