package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/reports"
)

// Results of released cycles: the admin's index, each leader's report as a
// page and as the PDF, the cycle's CSV, and the release itself. Every page
// reads one stored snapshot through the service (ParticipantReport,
// ExportSource), never computes a figure, and answers "not available yet"
// (409) before release, for admins as well as leaders (TRUST.md rule 3).

// unavailableView is the page shown for results that are not released.
type unavailableView struct {
	page
	Message string
	// Cycle is set on the admin's results index, where a closed cycle
	// offers its release form.
	Cycle      *assessment.Cycle
	CanRelease bool
	// Exclusions are the groups excluded answers push below the
	// threshold, which the release form lists for HR to confirm.
	Exclusions assessment.ReleaseCheck
	Errors     map[string]string
	Back       string
}

// notReleased renders the "not available yet" page when err refuses
// unreleased results, and returns every other error unchanged.
func (s *Server) notReleased(c echo.Context, err error, back string) error {
	if !errors.Is(err, assessment.ErrNotReleased) {
		return err
	}
	_, msg, _ := formProblems(err)
	return s.render.render(c, http.StatusConflict, "results_unavailable", unavailableView{page: s.pageFor(c), Message: msg, Back: back})
}

// audit records what the signed-in user did.
func (s *Server) audit(c echo.Context, action, subjectType, subjectID, detail string) error {
	u, _ := currentUser(c)
	return s.svc.Record(c.Request().Context(), u.OrganizationID, u.ID, action, subjectType, subjectID, detail)
}

// resultsIndex answers GET /cycles/:id/results: the released cycle's
// leaders with links to their reports, and the CSV. Before release it is
// the "not available yet" page, with the release form once closed.
func (s *Server) resultsIndex(c echo.Context) error {
	return s.renderResultsIndex(c, nil)
}

func (s *Server) renderResultsIndex(c echo.Context, problems map[string]string) error {
	u, _ := currentUser(c)
	t, err := s.svc.ResultsTable(c.Request().Context(), u.OrganizationID, c.Param("id"))
	cycle := t.Cycle
	if errors.Is(err, assessment.ErrNotReleased) {
		_, msg, _ := formProblems(err)
		status := http.StatusConflict
		if problems != nil {
			status = http.StatusUnprocessableEntity
		}
		v := unavailableView{page: s.pageFor(c), Message: msg, Cycle: &cycle, CanRelease: cycle.Status == assessment.StatusClosed,
			Errors: problems, Back: "/dashboard"}
		if v.CanRelease {
			if v.Exclusions, err = s.svc.ReleaseCheck(c.Request().Context(), u.OrganizationID, cycle.ID); err != nil {
				return err
			}
		}
		return s.render.render(c, status, "results_unavailable", v)
	}
	if err != nil {
		return err
	}
	return s.render.render(c, http.StatusOK, "results_index", newResultsIndexView(s.pageFor(c), t, c.QueryParams()))
}

type releaseForm struct {
	Confirm bool `form:"confirm"`
	// ConfirmExclusions: HR read what excluded answers change; Exclusions
	// is the digest of the list it read (assessment.ReleaseCheck).
	ConfirmExclusions bool   `form:"confirm_exclusions"`
	Exclusions        string `form:"exclusions" validate:"max=64"`
}

// releaseCycle answers POST /cycles/:id/release: with the box ticked (and
// the one about excluded answers, when they push a group below the
// threshold), it scores the closed cycle, releases it and records who did;
// then to the results index.
func (s *Server) releaseCycle(c echo.Context) error {
	var form releaseForm
	if _, err := bindForm(c, &form); err != nil {
		return err
	}
	if !form.Confirm {
		return s.renderResultsIndex(c, map[string]string{"confirm": "Tick the box to confirm that the results may be released."})
	}
	u, _ := currentUser(c)
	ctx := c.Request().Context()
	if form.ConfirmExclusions {
		if err := s.svc.ConfirmExclusions(ctx, u.OrganizationID, c.Param("id"), form.Exclusions, u.ID); err != nil {
			return s.releaseRefused(c, err)
		}
	}
	if _, err := s.svc.ReleaseCycle(ctx, u.OrganizationID, c.Param("id"), u.ID); err != nil {
		if errors.Is(err, assessment.ErrExclusionsNotSeen) {
			return s.releaseRefused(c, err)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/cycles/"+c.Param("id")+"/results")
}

// releaseRefused shows the release form again with the reason next to the
// box about excluded answers.
func (s *Server) releaseRefused(c echo.Context, err error) error {
	fields, _, ok := formProblems(err)
	if !ok {
		return err
	}
	return s.renderResultsIndex(c, fields)
}

// resultsLeader answers GET /cycles/:id/results/:pid: one leader's report
// as a page, for an admin of the leader's organisation. Views are audited.
func (s *Server) resultsLeader(c echo.Context) error {
	u, _ := currentUser(c)
	cycleID, pid := c.Param("id"), c.Param("pid")
	r, err := s.svc.ParticipantReport(c.Request().Context(), u.OrganizationID, cycleID, pid)
	if err != nil {
		return s.notReleased(c, err, "/cycles/"+cycleID+"/results")
	}
	if err := s.audit(c, assessment.ActionReportView, "participant", pid, reportDetail(r)); err != nil {
		return err
	}
	v := newReportView(s.pageFor(c), r, false)
	v.Back, v.PDF = "/cycles/"+cycleID+"/results", "/cycles/"+cycleID+"/results/"+pid+"/report.pdf"
	return s.render.render(c, http.StatusOK, "results_report", v)
}

// resultsPDF answers GET /cycles/:id/results/:pid/report.pdf for an admin.
func (s *Server) resultsPDF(c echo.Context) error {
	u, _ := currentUser(c)
	return s.sendReportPDF(c, u.OrganizationID, c.Param("id"), c.Param("pid"), "/cycles/"+c.Param("id")+"/results")
}

// sendReportPDF renders a leader's PDF (reports.Leader, the same renderer
// as the command line), records the download and sends it.
func (s *Server) sendReportPDF(c echo.Context, orgID, cycleID, pid, back string) error {
	r, err := s.svc.ParticipantReport(c.Request().Context(), orgID, cycleID, pid)
	if err != nil {
		return s.notReleased(c, err, back)
	}
	pdf, err := leaderPDF(r, pid)
	if err != nil {
		return err
	}
	if err := s.audit(c, assessment.ActionReportDownload, "participant", pid, reportDetail(r)); err != nil {
		return err
	}
	return sendPDF(c, r, pdf)
}

// leaderPDF renders a leader's report as every channel sends it
// (reports.Leader, the same renderer as the command line).
func leaderPDF(r assessment.LeaderReport, pid string) ([]byte, error) {
	var buf bytes.Buffer
	if err := reports.Leader(&buf, r); err != nil {
		return nil, fmt.Errorf("report of %s: %w", pid, err)
	}
	return buf.Bytes(), nil
}

// sendPDF answers with a leader's PDF as a download named after the leader
// and the cycle.
func sendPDF(c echo.Context, r assessment.LeaderReport, pdf []byte) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+fileName("lead360-report-"+r.LeaderName+"-"+r.CycleName)+`.pdf"`)
	return c.Blob(http.StatusOK, "application/pdf", pdf)
}

// resultsCSV answers GET /cycles/:id/results.csv: the released cycle's
// export (reports.WriteCSV), one row per leader x skill x group, hidden
// figures empty. Exports are audited.
func (s *Server) resultsCSV(c echo.Context) error {
	u, _ := currentUser(c)
	cycleID := c.Param("id")
	src, err := s.svc.ExportSource(c.Request().Context(), u.OrganizationID, cycleID)
	if err != nil {
		return s.notReleased(c, err, "/cycles/"+cycleID+"/results")
	}
	names := make(map[string]string, len(src.Roster.Leaders))
	for id, p := range src.Roster.Leaders {
		names[id] = p.Name
	}
	var buf bytes.Buffer
	if err := reports.WriteCSV(&buf, reports.CSVRows(src.Cycle.Name, names, src.Snapshot.Result)); err != nil {
		return fmt.Errorf("export cycle %s: %w", cycleID, err)
	}
	if err := s.audit(c, assessment.ActionResultsExport, "cycle", cycleID, fmt.Sprintf("CSV of %q, %d leaders", src.Cycle.Name, len(names))); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+fileName("lead360-results-"+src.Cycle.Name)+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

func reportDetail(r assessment.LeaderReport) string {
	return fmt.Sprintf("%s, %s", r.LeaderName, r.CycleName)
}

// fileName keeps letters, digits and dashes of s, so a name never breaks
// the Content-Disposition header.
func fileName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	return strings.TrimRight(b.String(), "-")
}
