package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/assessmenttest/ci"
)

// The "done when", end to end: the demo's promoted lead gets a
// readable PDF from `lead360 report`, the whole cycle comes as a zip of
// identical reports, and the CSV export has her rows.
func TestReportDemo(t *testing.T) {
	t.Parallel()
	cfg := assessmenttest.DatabaseURL(t, assessmenttest.Engines(t)[0])
	vars := map[string]string{"LEAD360_DATABASE_URL": cfg.DatabaseURL, "LEAD360_DATA_DIR": cfg.DataDir, "LEAD360_LOG_LEVEL": "warn"}
	ctx := context.Background()
	var demo bytes.Buffer
	if err := run(ctx, []string{"demo"}, env(vars), &demo, io.Discard); err != nil {
		t.Fatalf("demo: %v", err)
	}
	cycle := regexp.MustCompile(`closed cycle ([0-9a-f-]+)`).FindStringSubmatch(demo.String())[1]
	releaseCycle(t, vars, cycle) // reports exist only once released, as on the dashboard
	maya, dir := demoParticipant(t, cfg, "Maya Okafor"), t.TempDir()

	one := filepath.Join(dir, "maya.pdf")
	if err := run(ctx, []string{"report", "--cycle", cycle, "--participant", maya, "-o", one}, env(vars), io.Discard, io.Discard); err != nil {
		t.Fatalf("report --participant: %v", err)
	}
	pdf, err := os.ReadFile(one)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command("pdftotext", one, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, want := range []string{"Maya Okafor", "Engineering leads, spring review", "Blind spot", "She hands over tasks but keeps the decisions.", "Your action plan"} {
			if !strings.Contains(text, want) {
				t.Errorf("Maya's report lacks %q", want)
			}
		}
	} else if ci.Enabled() {
		t.Fatal("pdftotext is required in CI (apt-get install -y poppler-utils)")
	}

	zipPath := filepath.Join(dir, "all.zip")
	if err := run(ctx, []string{"report", "--cycle", cycle, "--all", "-o", zipPath}, env(vars), io.Discard, io.Discard); err != nil {
		t.Fatalf("report --all: %v", err)
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != 12 {
		t.Fatalf("zip has %d reports, want 12", len(zr.File))
	}
	found := false
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "maya-okafor-") {
			continue
		}
		found = true
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(b, pdf) {
			t.Errorf("Maya's report in the zip differs from the single report")
		}
	}
	if !found {
		t.Errorf("no maya-okafor-*.pdf in the zip")
	}

	var out bytes.Buffer
	if err := run(ctx, []string{"report", "--cycle", cycle, "--csv", "-o", "-"}, env(vars), &out, io.Discard); err != nil {
		t.Fatalf("report --csv: %v", err)
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + 12*5*7; len(recs) != want {
		t.Errorf("CSV has %d lines, want %d", len(recs), want)
	}
}

func TestReportFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"report", "--participant", "x", "-o", "a.pdf"},
		{"report", "--cycle", "c", "-o", "a.pdf"},
		{"report", "--cycle", "c", "--all", "--participant", "x", "-o", "a.pdf"},
		{"report", "--cycle", "c", "--all"},
	} {
		if err := run(context.Background(), args, env(nil), io.Discard, io.Discard); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

func TestZipName(t *testing.T) {
	t.Parallel()
	used := map[string]bool{}
	for _, tt := range []struct{ name, id, want string }{
		{"Maya Okafor", "p1", "maya-okafor-p1.pdf"},
		{"Zoë Łukasiewicz", "p2", "zoe-lukasiewicz-p2.pdf"},
		{"Ayşe Yılmaz", "p3", "ayse-yilmaz-p3.pdf"},
		{"王小明", "p4", "p4.pdf"},
		{"../../etc/passwd", "../x", "etc-passwd-___x.pdf"},
		{"Maya Okafor", "p1", "maya-okafor-p1-2.pdf"},
	} {
		if got := zipName(tt.name, tt.id, used); got != tt.want {
			t.Errorf("zipName(%q, %q) = %q, want %q", tt.name, tt.id, got, tt.want)
		}
	}
}

// lead360 report respects release like the pages: before it, every mode is
// refused with the command that releases, writes no file and leaves no
// entry; after it, each PDF, zip and CSV written leaves one audit entry
// with the dashboard's action, naming the operator.
func TestReportOnlyAfterReleaseAndAudited(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			vars := engineEnv(t, e)
			vars["LEAD360_SECRET_KEY"], vars["LEAD360_LOG_LEVEL"] = testSecretKey, "error"
			st, _, org := organization(t, vars, "Acme")
			c := closedCycles(t, st, "Acme", 1)[0]
			parts, err := st.Participants(t.Context(), org.ID, c.ID)
			if err != nil || len(parts) != 1 {
				t.Fatalf("participants: %v (%d)", err, len(parts))
			}
			dir := t.TempDir()
			tests := []struct {
				name                           string
				args                           []string
				file, head                     string
				action, subjectType, subjectID string
			}{
				{"one leader's PDF", []string{"--participant", parts[0].ID, "-o", filepath.Join(dir, "ana.pdf")}, "ana.pdf", "%PDF-",
					assessment.ActionReportDownload, "participant", parts[0].ID},
				{"every report", []string{"--all", "-o", filepath.Join(dir, "all.zip")}, "all.zip", "PK", assessment.ActionReportDownload, "cycle", c.ID},
				{"CSV on stdout", []string{"--csv", "-o", "-"}, "", "cycle,", assessment.ActionResultsExport, "cycle", c.ID},
				{"background batch", []string{"--queue"}, "", "Queued batch", "", "", ""},
			}
			report := func(args []string) (string, string, int) {
				t.Helper()
				return runCLI(t, vars, append([]string{"report", "--cycle", c.ID}, args...)...)
			}
			for _, tc := range tests {
				out, errOut, code := report(tc.args)
				if code != exitFailure || out != "" || !strings.Contains(errOut, "are not available yet") ||
					!strings.Contains(errOut, "Release them with: lead360 cycle release --cycle "+c.ID) {
					t.Errorf("%s before release: exit %d, stdout %q:\n%s", tc.name, code, out, errOut)
				}
				if _, err := os.Stat(filepath.Join(dir, tc.file)); tc.file != "" && err == nil {
					t.Errorf("%s before release left %s", tc.name, tc.file)
				}
			}
			if entries, err := st.AuditEntries(t.Context(), org.ID, 0, 100); err != nil || len(entries) != 0 {
				t.Fatalf("refused reports left audit entries: %+v (%v)", entries, err)
			}
			releaseCycle(t, vars, c.ID)
			for _, tc := range tests {
				out, errOut, code := report(tc.args)
				if tc.file != "" {
					b, _ := os.ReadFile(filepath.Join(dir, tc.file)) // a missing file fails the check below
					out = string(b)
				}
				if code != exitOK || !strings.HasPrefix(out, tc.head) {
					t.Errorf("%s: exit %d, output %.40q:\n%s", tc.name, code, out, errOut)
				}
				if tc.action == "" {
					continue
				}
				entries := auditOf(t, st, org.ID, tc.action, tc.subjectID)
				checkOperatorEntry(t, entries, "report")
				if len(entries) == 1 && entries[0].SubjectType != tc.subjectType {
					t.Errorf("%s: the entry is about a %s, want a %s", tc.name, entries[0].SubjectType, tc.subjectType)
				}
			}
		})
	}
}
