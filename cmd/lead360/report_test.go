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

	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/assessmenttest/ci"
)

// The "done when", end to end: the demo's promoted lead gets a
// readable PDF from `lead360 report`, the whole cycle comes as a zip of
// identical reports, and the CSV export has her rows.
func TestReportDemo(t *testing.T) {
	t.Parallel()
	e := assessmenttest.Engines(t)[0]
	cfg := assessmenttest.DatabaseURL(t, e)
	vars := map[string]string{"LEAD360_DATABASE_URL": cfg.DatabaseURL, "LEAD360_DATA_DIR": cfg.DataDir, "LEAD360_LOG_LEVEL": "warn"}
	ctx := context.Background()
	var demo bytes.Buffer
	if err := run(ctx, []string{"demo"}, env(vars), &demo, io.Discard); err != nil {
		t.Fatalf("demo: %v", err)
	}
	cycle := regexp.MustCompile(`closed cycle ([0-9a-f-]+)`).FindStringSubmatch(demo.String())[1]
	if err := run(ctx, []string{"cycle", "release", "--cycle", cycle}, env(vars), io.Discard, io.Discard); err != nil {
		t.Fatalf("cycle release: %v", err)
	}
	maya := demoParticipant(t, cfg, "Maya Okafor")
	dir := t.TempDir()

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
