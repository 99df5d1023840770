package api

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/reports"
)

// renderedBatch queues a report batch of the released cycle and renders it
// at once, as the server's background worker would.
func renderedBatch(t testing.TB, svc *assessment.Service, orgID, cycleID string) assessment.ReportBatch {
	t.Helper()
	b, err := svc.QueueReportBatch(context.Background(), orgID, cycleID)
	if err != nil {
		t.Fatalf("queue a report batch: %v", err)
	}
	runBatch(t, svc, b)
	return b
}

// runBatch renders the batch's reports, one PDF per leader.
func runBatch(t testing.TB, svc *assessment.Service, b assessment.ReportBatch) {
	t.Helper()
	if err := svc.RunReportBatch(context.Background(), b.OrganizationID, b.ID, "test", renderPDF); err != nil {
		t.Fatalf("render the batch: %v", err)
	}
}

// renderPDF draws a leader's PDF as the server's report worker does.
func renderPDF(in assessment.LeaderReport) (assessment.ReportFile, error) {
	var buf bytes.Buffer
	err := reports.Leader(&buf, in)
	return assessment.ReportFile{ParticipantID: in.Leader.ParticipantID, FileName: in.LeaderName + ".pdf", PDF: buf.Bytes()}, err
}

// HR asks for every report of a released cycle on its results page, follows
// the batch while the server renders it, then downloads one zip of PDFs;
// the download is audited. Before release there is nothing to prepare, and
// a batch is reached only through its own cycle.
func TestAllReportsInOneZipFromTheDashboard(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		a := newCycleAdmin(t, h)
		spring := newResultsCycle(t, h, h.fx.Org.ID, "Spring", assessment.StatusReleased, leaderSpec{email: "ana@example.com"}, leaderSpec{email: "bo@example.com"})
		closed := newResultsCycle(t, h, h.fx.Org.ID, "Autumn", assessment.StatusClosed, leaderSpec{email: "cy@example.com"})
		results := "/cycles/" + spring.cycle.ID + "/results"
		wantBody(t, "results", a.c.get(results), "Prepare all reports (PDF, zip)")

		rec := a.post("/cycles/"+spring.cycle.ID+"/reports", nil)
		wantStatus(t, "prepare", rec, http.StatusSeeOther)
		page := rec.Header().Get("Location")
		if !strings.HasPrefix(page, "/cycles/"+spring.cycle.ID+"/reports/") {
			t.Fatalf("prepare went to %q", page)
		}
		wantBody(t, "batch queued", a.c.get(page), "Preparing the reports: 0 of 2 done", `<script src="/static/batch.js" defer>`)
		wantStatus(t, "zip before it is ready", a.c.get(page+"/reports.zip"), http.StatusSeeOther)

		b, err := h.fx.Service.ReportBatch(context.Background(), h.fx.Org.ID, strings.TrimPrefix(page, "/cycles/"+spring.cycle.ID+"/reports/"))
		if err != nil {
			t.Fatal(err)
		}
		runBatch(t, h.fx.Service, b)
		done := a.c.get(page)
		wantBody(t, "batch done", done, "All 2 reports are ready", "Download all reports (zip)")
		if strings.Contains(done.Body.String(), "batch.js") {
			t.Error("a finished batch's page still follows the work")
		}
		rec = a.c.get(page + "/reports.zip")
		wantStatus(t, "zip", rec, http.StatusOK)
		zr, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
		if err != nil || len(zr.File) != 2 {
			t.Fatalf("zip: %v, %d files", err, len(zr.File))
		}
		for _, f := range zr.File {
			r, _ := f.Open()
			head, _ := io.ReadAll(io.LimitReader(r, 5))
			r.Close()
			if string(head) != "%PDF-" {
				t.Errorf("%s is not a PDF", f.Name)
			}
		}
		wantBody(t, "audit", a.c.get("/audit"), "Downloaded a report (PDF)", "the reports of &#34;Spring&#34; in one zip file")

		// Another cycle's address for the batch, and an unreleased cycle.
		wantStatus(t, "batch under another cycle", a.c.get(strings.Replace(page, spring.cycle.ID, closed.cycle.ID, 1)), http.StatusNotFound)
		wantStatus(t, "prepare before release", a.post("/cycles/"+closed.cycle.ID+"/reports", nil), http.StatusConflict)
	})
}

// While the servers work a batch's leader jobs, its page counts the reports
// done and failed of the total; once every leader's job ended with one
// failure, it says the batch failed and why, offers to try again, and
// keeps the zip out of reach.
func TestReportBatchPageShowsProgress(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		a := newCycleAdmin(t, h)
		ctx := context.Background()
		spring := newResultsCycle(t, h, h.fx.Org.ID, "Spring", assessment.StatusReleased, leaderSpec{email: "ana@example.com"}, leaderSpec{email: "bo@example.com"})
		h.jobs.Take(t) // the jobs of the set-up
		rec := a.post("/cycles/"+spring.cycle.ID+"/reports", nil)
		wantStatus(t, "prepare", rec, http.StatusSeeOther)
		page := rec.Header().Get("Location")
		var jobs []assessment.ReportJob
		for _, j := range h.jobs.Take(t) {
			if rj, ok := j.Args.(assessment.ReportJob); ok {
				jobs = append(jobs, rj)
			}
		}
		if len(jobs) != 2 {
			t.Fatalf("%d report jobs for two leaders", len(jobs))
		}
		noFont := func(assessment.LeaderReport) (assessment.ReportFile, error) {
			return assessment.ReportFile{}, errors.New("the font is missing")
		}
		if err := h.fx.Service.RenderBatchReport(ctx, jobs[0], "test", noFont); err != nil {
			t.Fatal(err)
		}
		wantBody(t, "one failed", a.c.get(page), "Preparing the reports: 0 of 2 done, 1 could not be prepared.",
			`<progress max="2" value="1" aria-label="Reports prepared">`, "batch.js")
		if err := h.fx.Service.RenderBatchReport(ctx, jobs[1], "test", renderPDF); err != nil {
			t.Fatal(err)
		}
		wantBody(t, "batch failed", a.c.get(page), "The reports could not be prepared",
			"1 of 2 reports could not be prepared: ", "the font is missing", "Try again")
		wantStatus(t, "zip of a failed batch", a.c.get(page+"/reports.zip"), http.StatusSeeOther)
	})
}
