package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// All of a cycle's reports in one download: HR asks for them on the
// results page, the servers render them in the background (a report batch,
// one durable job per leader, shared by every server process and resumed
// after a restart), and this page follows it, reports done and failed of
// the total, until the zip can be downloaded. Only after release, as every
// report.

// reportBatchView is the page of one batch.
type reportBatchView struct {
	page
	Cycle  assessment.Cycle
	Batch  assessment.ReportBatch
	Queued bool
	Done   bool
	Failed bool
	// Settled is how many leaders' reports were rendered or failed: the
	// progress bar's value.
	Settled int
	// Path is this page's address, ZipPath the download's.
	Path, ZipPath string
}

// queueReports answers POST /cycles/:id/reports: it queues the rendering of
// every leader's report and goes to the batch's page.
func (s *Server) queueReports(c echo.Context) error {
	u, _ := currentUser(c)
	b, err := s.svc.QueueReportBatch(c.Request().Context(), u.OrganizationID, c.Param("id"))
	if err != nil {
		return s.notReleased(c, err, "/cycles/"+c.Param("id")+"/results")
	}
	return c.Redirect(http.StatusSeeOther, batchPath(b))
}

// reportBatchPage answers GET /cycles/:id/reports/:bid: how far the batch
// is, refreshing itself until it is done, then the download.
func (s *Server) reportBatchPage(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	b, cy, err := s.cycleBatch(c)
	if err != nil {
		return err
	}
	return s.render.render(c, http.StatusOK, "report_batch", reportBatchView{page: s.pageFor(c), Cycle: cy, Batch: b,
		Queued: b.Status == assessment.BatchQueued, Done: b.Status == assessment.BatchDone, Failed: b.Status == assessment.BatchFailed,
		Settled: b.Rendered + b.Failed,
		Path:    batchPath(b), ZipPath: batchPath(b) + "/reports.zip"})
}

// reportBatchZip answers GET /cycles/:id/reports/:bid/reports.zip: the
// finished batch's reports in one zip, recorded in the audit log.
func (s *Server) reportBatchZip(c echo.Context) error {
	b, cy, err := s.cycleBatch(c)
	if err != nil {
		return err
	}
	if b.Status != assessment.BatchDone {
		return c.Redirect(http.StatusSeeOther, batchPath(b))
	}
	detail := fmt.Sprintf("the reports of %q in one zip file (batch %s)", cy.Name, b.ID)
	if err := s.audit(c, assessment.ActionReportDownload, "cycle", cy.ID, detail); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/zip")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="reports.zip"`)
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	return s.svc.WriteReportBatchZip(c.Request().Context(), c.Response(), cy.OrganizationID, b.ID)
}

// cycleBatch loads the batch of the path, which must be one of the path's
// cycle, and that released cycle; anything else is not found.
func (s *Server) cycleBatch(c echo.Context) (assessment.ReportBatch, assessment.Cycle, error) {
	u, _ := currentUser(c)
	ctx := c.Request().Context()
	b, err := s.svc.ReportBatch(ctx, u.OrganizationID, c.Param("bid"))
	if err != nil {
		return b, assessment.Cycle{}, err
	}
	if b.CycleID != c.Param("id") {
		return b, assessment.Cycle{}, echo.ErrNotFound
	}
	cy, err := s.svc.ReleasedCycle(ctx, u.OrganizationID, b.CycleID)
	if err != nil {
		return b, cy, s.notReleased(c, err, "/cycles/"+b.CycleID+"/results")
	}
	return b, cy, nil
}

func batchPath(b assessment.ReportBatch) string {
	return "/cycles/" + b.CycleID + "/reports/" + b.ID
}
