package api

import (
	"archive/zip"
	"bytes"
	"context"
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
	render := func(in assessment.LeaderReport) (assessment.ReportFile, error) {
		var buf bytes.Buffer
		err := reports.Leader(&buf, in)
		return assessment.ReportFile{ParticipantID: in.Leader.ParticipantID, FileName: in.LeaderName + ".pdf", PDF: buf.Bytes()}, err
	}
	if err := svc.RunReportBatch(context.Background(), b.OrganizationID, b.ID, "test", render); err != nil {
		t.Fatalf("render the batch: %v", err)
	}
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
