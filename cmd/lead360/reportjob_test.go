package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// A queued batch survives a restart: the job is stored with the batch, a run
// cut short keeps the reports it rendered, and the next server finishes the
// rest without drawing those again.
func TestReportBatchSurvivesARestart(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			dbCfg := assessmenttest.DatabaseURL(t, e)
			vars := map[string]string{"LEAD360_DATABASE_URL": dbCfg.DatabaseURL, "LEAD360_DATA_DIR": dbCfg.DataDir, "LEAD360_LOG_LEVEL": "error"}
			ctx := context.Background()
			var out bytes.Buffer
			if err := run(ctx, []string{"demo"}, env(vars), &out, io.Discard); err != nil {
				t.Fatalf("demo: %v", err)
			}
			cycle := regexp.MustCompile(`closed cycle ([0-9a-f-]+)`).FindStringSubmatch(out.String())[1]
			releaseCycle(t, vars, cycle)
			out.Reset()
			if err := run(ctx, []string{"report", "--cycle", cycle, "--queue"}, env(vars), &out, io.Discard); err != nil {
				t.Fatalf("report --queue: %v", err)
			}
			batch := regexp.MustCompile(`Queued batch ([0-9a-f-]+): 12 reports`).FindStringSubmatch(out.String())
			if batch == nil {
				t.Fatalf("report --queue said %q", out.String())
			}
			zipPath := filepath.Join(t.TempDir(), "reports.zip")
			err := run(ctx, []string{"report", "--cycle", cycle, "--batch", batch[1], "-o", zipPath}, env(vars), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), "not finished yet: 0 of 12") {
				t.Fatalf("download before rendering: %v", err)
			}

			// First server: stores three reports and goes down while drawing the fourth.
			cfg, err := parseConfig("serve", nil, env(vars), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			log := cfg.logger(io.Discard)
			st, err := openStore(ctx, cfg, log)
			if err != nil {
				t.Fatal(err)
			}
			svc, err := newService(cfg, st, log)
			if err != nil {
				t.Fatal(err)
			}
			orgID := demoOrganization(t, st)
			crash, stop := context.WithCancel(ctx)
			rendered := 0
			err = svc.RunReportBatch(crash, orgID, batch[1], "first server", func(in assessment.LeaderReport) (assessment.ReportFile, error) {
				if rendered++; rendered == 4 {
					stop()
				}
				return renderReportFile(in)
			})
			if err == nil {
				t.Fatal("the interrupted run reported success")
			}
			if b, err := svc.ReportBatch(ctx, orgID, batch[1]); err != nil || b.Status != assessment.BatchQueued || b.Rendered != 3 {
				t.Fatalf("after the crash: %+v, %v", b, err)
			}
			st.Close()

			// Second server: its queue picks the stored job up and finishes.
			st, err = openStore(ctx, cfg, log)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			svc, err = newService(cfg, st, log)
			if err != nil {
				t.Fatal(err)
			}
			q, err := newQueue(cfg, st, svc, newAccounts(cfg, svc), log)
			if err != nil {
				t.Fatal(err)
			}
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer q.Stop(ctx)
			deadline := time.Now().Add(60 * time.Second)
			for {
				b, err := svc.ReportBatch(ctx, orgID, batch[1])
				if err != nil {
					t.Fatal(err)
				}
				if b.Status == assessment.BatchDone && b.Rendered == 12 {
					break
				}
				if b.Status == assessment.BatchFailed || time.Now().After(deadline) {
					t.Fatalf("batch did not finish: %+v", b)
				}
				time.Sleep(100 * time.Millisecond)
			}
			if err := run(ctx, []string{"report", "--cycle", cycle, "--batch", batch[1], "-o", zipPath}, env(vars), io.Discard, io.Discard); err != nil {
				t.Fatalf("download: %v", err)
			}
			zr, err := zip.OpenReader(zipPath)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			if len(zr.File) != 12 {
				t.Fatalf("zip holds %d reports, want 12", len(zr.File))
			}
			for _, f := range zr.File {
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				head := make([]byte, 5)
				_, err = io.ReadFull(rc, head)
				rc.Close()
				if err != nil || string(head) != "%PDF-" {
					t.Errorf("%s is not a PDF: %q %v", f.Name, head, err)
				}
			}
		})
	}
}

// demoOrganization is the id of the demo's organisation.
func demoOrganization(t *testing.T, st assessment.Store) string {
	t.Helper()
	org, err := st.OrganizationByName(context.Background(), assessment.DemoOrganization)
	if err != nil {
		t.Fatal(err)
	}
	return org.ID
}
