package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
	"github.com/lead360/lead360/scoring"
)

// The "done when": `lead360 score --cycle <demo cycle>` prints a
// result in which Maya Okafor (the newly promoted lead) has delegation or
// coaching as a blind spot and as her focus skill, with intervals and
// agreement figures; and Olivia Brennan's focus is her lowest-rated skill,
// emotional intelligence, not her feedback, a blind spot on a skill
// colleagues rate above her average (issue #11).
func TestScoreDemoCycleShowsMayasBlindSpot(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			cfg := assessmenttest.DatabaseURL(t, e)
			vars := map[string]string{"LEAD360_DATABASE_URL": cfg.DatabaseURL, "LEAD360_DATA_DIR": cfg.DataDir, "LEAD360_LOG_LEVEL": "warn"}
			ctx := context.Background()
			var demo bytes.Buffer
			if err := run(ctx, []string{"demo"}, env(vars), &demo, io.Discard); err != nil {
				t.Fatalf("demo: %v", err)
			}
			cycleID := regexp.MustCompile(`closed cycle ([0-9a-f-]+)`).FindStringSubmatch(demo.String())
			if cycleID == nil {
				t.Fatalf("demo said %q", demo.String())
			}
			// Nothing of the results before release, as on the dashboard.
			var out, errOut bytes.Buffer
			err := run(ctx, []string{"score", "--cycle", cycleID[1]}, env(vars), &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), "lead360 cycle release --cycle "+cycleID[1]) || out.Len() > 0 {
				t.Fatalf("score before release: %v, printed %d bytes", err, out.Len())
			}
			if err := run(ctx, []string{"cycle", "release", "--cycle", cycleID[1]}, env(vars), io.Discard, io.Discard); err != nil {
				t.Fatalf("release: %v", err)
			}
			if err := run(ctx, []string{"score", "--cycle", cycleID[1]}, env(vars), &out, &errOut); err != nil {
				t.Fatalf("score --cycle: %v (%s)", err, errOut.String())
			}
			if !strings.Contains(errOut.String(), "snapshot ") {
				t.Errorf("stderr = %q, want the snapshot named", errOut.String())
			}
			st, err := store.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			org, err := st.OrganizationByName(ctx, assessment.DemoOrganization)
			if err != nil {
				t.Fatal(err)
			}
			checkOperatorEntry(t, auditOf(t, st, org.ID, assessment.ActionResultsExport, cycleID[1]), "score")
			st.Close()
			var res scoring.Result
			if err := json.Unmarshal(out.Bytes(), &res); err != nil {
				t.Fatalf("output is not a result: %v", err)
			}
			if res.EngineVersion != scoring.EngineVersion || res.Cohort.Leaders != 12 || len(res.Leaders) != 12 {
				t.Fatalf("result: engine %s, %d leaders", res.EngineVersion, len(res.Leaders))
			}
			leader := func(name string) *scoring.Leader {
				t.Helper()
				id := demoParticipant(t, cfg, name)
				for i := range res.Leaders {
					if res.Leaders[i].ParticipantID == id {
						return &res.Leaders[i]
					}
				}
				t.Fatalf("%s (%s) is not in the result", name, id)
				return nil
			}
			maya := leader("Maya Okafor")
			if f := maya.Focus.Skill; (f != "delegation" && f != "coaching") || maya.Focus.Rule != scoring.FocusBlindSpot {
				t.Fatalf("Maya's focus = %+v, want delegation or coaching as a blind spot", maya.Focus)
			}
			var focus *scoring.SkillResult
			for i := range maya.Skills {
				if maya.Skills[i].Skill == maya.Focus.Skill {
					focus = &maya.Skills[i]
				}
			}
			ao := focus.AllOthers
			if focus.Gap.Flag != scoring.FlagBlindSpot || !focus.Gap.Value.Available() || focus.Gap.Value.Value <= 1 {
				t.Errorf("%s gap = %+v, want a blind spot", focus.Skill, focus.Gap)
			}
			if !ao.CI.Available() || ao.CI.DF != ao.N-1 || !(ao.CI.Lower < ao.Mean.Value && ao.Mean.Value < ao.CI.Upper) {
				t.Errorf("%s all-others CI = %+v around %v", focus.Skill, ao.CI, ao.Mean)
			}
			if ao.RwgJ == nil || !ao.RwgJ.Value.Available() || !focus.Reliability.Available() {
				t.Errorf("%s agreement: rwg_j %+v, reliability %+v", focus.Skill, ao.RwgJ, focus.Reliability)
			}
			olivia := leader("Olivia Brennan")
			if f := olivia.Focus; f.Skill != "emotional_intelligence" || f.Rule != scoring.FocusLowestOthers ||
				!strings.HasPrefix(f.Evidence, "Colleagues rate your emotional intelligence 2.42 (8 colleagues), the lowest of your five skills") {
				t.Errorf("Olivia's focus = %+v, want emotional intelligence, her lowest", f)
			}
			// The cohort figures of SCORING.md are there too.
			for _, cs := range res.Cohort.Skills {
				if !cs.Alpha.Value.Available() || !cs.ICC.ICC1.Available() || !cs.SelfOther.MeanD.Available() {
					t.Errorf("cohort %s: alpha %+v, icc1 %+v, self-other %+v", cs.Skill, cs.Alpha.Value, cs.ICC.ICC1, cs.SelfOther.MeanD)
				}
			}
			// Scoring again prints the same snapshot's result.
			var again bytes.Buffer
			if err := run(ctx, []string{"score", "--cycle", cycleID[1]}, env(vars), &again, io.Discard); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again.Bytes(), out.Bytes()) {
				t.Error("scoring the unchanged demo again printed a different result")
			}
		})
	}
}

// demoParticipant finds a demo leader's participant id by name, the way a
// report would: through the roster, never through the scoring result.
func demoParticipant(t *testing.T, cfg store.Config, name string) string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	org, err := st.OrganizationByName(ctx, assessment.DemoOrganization)
	if err != nil {
		t.Fatal(err)
	}
	svc := assessment.NewService(st, assessmenttest.Tokens(), nil)
	sum, err := svc.LoadDemo(ctx, "admin@demo.example.com")
	if err != nil {
		t.Fatal(err)
	}
	roster, err := svc.Roster(ctx, org.ID, sum.CycleID)
	if err != nil {
		t.Fatal(err)
	}
	for id, l := range roster.Leaders {
		if l.Name == name {
			return id
		}
	}
	t.Fatalf("no demo leader named %q", name)
	return ""
}

// Without --cycle, score reads a document (a file or standard input) and
// writes the engine's result: the worked example of docs/scoring.md.
func TestScoreDocument(t *testing.T) {
	t.Parallel()
	example := filepath.Join("..", "..", "scoring", "testdata", "example_input.json")
	wantRaw, err := os.ReadFile(filepath.Join("..", "..", "scoring", "testdata", "example_output.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want scoring.Result
	if err := json.Unmarshal(wantRaw, &want); err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := json.Marshal(want)
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"instrument": {"scale_points": 5, "skills": [{"key": "s", "items": [{"key": "i"}]}]}, "ratings": [{"participant_id": "a", "rater": "x", "relationship": "peer", "item_key": "i", "value": 4}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(t.TempDir(), "zero.json")
	if err := os.WriteFile(zero, []byte(`{"instrument": {"scale_points": 5, "skills": [{"key": "s", "items": [{"key": "i"}]}]}, "ratings": [{"participant_id": "a", "rater_id": "x", "relationship": "peer", "item_key": "i", "value": 0}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"file", []string{"score", "-f", example}, ""},
		{"indented", []string{"score", "-f", example, "-indent"}, ""},
		{"unknown field", []string{"score", "-f", bad}, `unknown field "rater"`},
		{"zero answer", []string{"score", "-f", zero}, "use null"},
		{"missing file", []string{"score", "-f", filepath.Join(t.TempDir(), "none.json")}, "no such file"},
		{"both sources", []string{"score", "-f", example, "--cycle", "x"}, "not both"},
		{"stray argument", []string{"score", "extra"}, "unexpected argument"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			err := run(context.Background(), tc.args, env(nil), &out, io.Discard)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got scoring.Result
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			gotJSON, _ := json.Marshal(got)
			if !bytes.Equal(gotJSON, wantJSON) {
				t.Errorf("result differs from scoring/testdata/example_output.json")
			}
		})
	}
}

// A cycle that does not exist is a clear error, not an empty result.
func TestScoreUnknownCycle(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"LEAD360_DATA_DIR": t.TempDir(), "LEAD360_LOG_LEVEL": "warn"}
	err := run(context.Background(), []string{"score", "--cycle", "no-such-cycle"}, env(vars), io.Discard, io.Discard)
	if assessment.ErrorCode(err) != assessment.CodeNotFound {
		t.Fatalf("err = %v, want not found", err)
	}
}

// Standard input is the default source. Not parallel: it swaps the
// package's stdin, and parallel tests only start once it has put it back.
func TestScoreReadsStandardInput(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "scoring", "testdata", "example_input.json"))
	if err != nil {
		t.Fatal(err)
	}
	old := stdin
	stdin = bytes.NewReader(append(doc, doc...))
	t.Cleanup(func() { stdin = old })
	err = run(context.Background(), []string{"score"}, env(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "more than one JSON document") {
		t.Fatalf("two documents: %v", err)
	}
	stdin = bytes.NewReader(doc)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"score"}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"participant_id":"ada"`) {
		t.Fatalf("output = %.200s", out.String())
	}
}

// `score --cycle` on a released cycle prints the result and stores nothing,
// even when it differs from the released version (here: the released
// version was made by an older engine); `--re-release` makes it the next
// version with an audit entry naming the operator, once.
func TestScoreReleasedCycleIsOnlyPrintedUntilReReleased(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			vars := engineEnv(t, e)
			vars["LEAD360_LOG_LEVEL"] = "warn"
			var demo bytes.Buffer
			if err := run(ctx, []string{"demo"}, env(vars), &demo, io.Discard); err != nil {
				t.Fatalf("demo: %v", err)
			}
			cycleID := regexp.MustCompile(`closed cycle ([0-9a-f-]+)`).FindStringSubmatch(demo.String())[1]
			score := func(args ...string) (string, string, error) {
				t.Helper()
				var out, errOut bytes.Buffer
				err := run(ctx, append([]string{"score", "--cycle", cycleID}, args...), env(vars), &out, &errOut)
				return out.String(), errOut.String(), err
			}
			if _, _, err := score("--re-release"); assessment.ErrorCode(err) != assessment.CodeConflict || !strings.Contains(err.Error(), "only released results can be re-released") {
				t.Fatalf("re-release of a closed cycle: %v", err)
			}
			if err := run(ctx, []string{"score", "--re-release"}, env(vars), io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "--re-release needs --cycle") {
				t.Fatalf("--re-release alone: %v", err)
			}
			st, err := store.Open(ctx, store.Config{DatabaseURL: vars["LEAD360_DATABASE_URL"], DataDir: vars["LEAD360_DATA_DIR"]})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			org, err := st.OrganizationByName(ctx, assessment.DemoOrganization)
			if err != nil {
				t.Fatal(err)
			}
			svc := assessment.NewService(st, assessmenttest.Tokens(), nil)
			if _, err := svc.ReleaseCycle(ctx, org.ID, cycleID, ""); err != nil {
				t.Fatal(err)
			}
			// The released version, as an older engine would have stored it.
			old, err := svc.LatestSnapshot(ctx, org.ID, cycleID)
			if err != nil {
				t.Fatal(err)
			}
			old.ID, old.Version, old.EngineVersion = "", old.Version+1, "0.9.0"
			if err := st.CreateSnapshot(ctx, &old); err != nil {
				t.Fatal(err)
			}
			versions := func() (n int, entries []string) {
				t.Helper()
				if err := st.DB().QueryRow("SELECT count(*) FROM score_snapshots WHERE cycle_id = $1", cycleID).Scan(&n); err != nil {
					t.Fatal(err)
				}
				rows, err := st.DB().Query("SELECT detail || ' by ' || actor_label FROM audit_log WHERE action = 'cycle.rerelease' AND subject_id = $1", cycleID)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				for rows.Next() {
					var d string
					if err := rows.Scan(&d); err != nil {
						t.Fatal(err)
					}
					entries = append(entries, d)
				}
				return n, entries
			}

			out, says, err := score()
			if err != nil {
				t.Fatal(err)
			}
			var res scoring.Result
			if err := json.Unmarshal([]byte(out), &res); err != nil || res.EngineVersion != scoring.EngineVersion {
				t.Fatalf("output: engine %q, %v", res.EngineVersion, err)
			}
			if !strings.Contains(says, "nothing was stored") || !strings.Contains(says, "--re-release") {
				t.Errorf("stderr = %q, want it to say nothing was stored and how to re-release", says)
			}
			if n, entries := versions(); n != 2 || len(entries) != 0 {
				t.Fatalf("after score --cycle: %d versions, re-release entries %q; want 2 and none", n, entries)
			}

			if _, says, err = score("--re-release"); err != nil || !strings.Contains(says, "version 3 replaces version 2") {
				t.Fatalf("re-release: %v, stderr %q", err, says)
			}
			n, entries := versions()
			if n != 3 || len(entries) != 1 || !strings.Contains(entries[0], "as version 3") || !strings.Contains(entries[0], "replacing version 2") ||
				!strings.Contains(entries[0], "from the command line (lead360 score --re-release)") {
				t.Fatalf("after --re-release: %d versions, entries %q", n, entries)
			}
			if _, says, err = score("--re-release"); err != nil || !strings.Contains(says, "nothing to re-release") {
				t.Fatalf("second re-release: %v, stderr %q", err, says)
			}
			if n, entries := versions(); n != 3 || len(entries) != 1 {
				t.Fatalf("a re-release with nothing new left %d versions and %d entries", n, len(entries))
			}
		})
	}
}
