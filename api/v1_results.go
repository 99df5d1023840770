package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/api/openapi"
	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/reports"
	"github.com/lead360/lead360/scoring"
)

// Results through the API: only after release (the service refuses before,
// 409), and never a figure of its own. The table is the dashboard's
// (resultsColumns, the same cells as the page and leaders.csv), a leader's
// result the results CSV's rows (reports.CSVRows) of the leader's report
// (ParticipantReport), and the PDF the same renderer's. Every read is
// audited under the token's name, as the dashboard audits exports and
// report views.

// ListResults answers GET /api/v1/cycles/:id/results.
func (a apiV1) ListResults(c echo.Context, id openapi.CycleID, params openapi.ListResultsParams) error {
	svc, orgID := a.s.asToken(c)
	ctx := c.Request().Context()
	t, err := svc.ResultsTable(ctx, orgID, id.String())
	if err != nil {
		return err
	}
	rows, next, err := pageAfter(t.Rows, func(r assessment.LeaderResult) string { return r.ParticipantID }, deref(params.Cursor), pageLimit(params.Limit))
	if err != nil {
		return err
	}
	cols := resultsColumns(&t)
	out := openapi.ResultsTable{CycleId: t.Cycle.ID, Columns: make([]openapi.ResultsColumn, len(cols)), Items: make([]openapi.ResultsRow, len(rows)), NextCursor: next}
	for i, col := range cols {
		out.Columns[i] = openapi.ResultsColumn{Key: col.Key, Label: col.Label}
	}
	for i := range rows {
		cells := make(map[string]string, len(cols))
		for _, col := range cols {
			cells[col.Key] = col.text(&rows[i])
		}
		out.Items[i] = openapi.ResultsRow{ParticipantId: rows[i].ParticipantID, Cells: cells}
	}
	if err := svc.Record(ctx, orgID, "", assessment.ActionResultsExport, "cycle", t.Cycle.ID,
		fmt.Sprintf("results table of %q through the API, %d leaders", t.Cycle.Name, len(rows))); err != nil {
		return err
	}
	return reply(c, http.StatusOK, out)
}

// GetLeaderResult answers GET /api/v1/cycles/:id/results/:pid.
func (a apiV1) GetLeaderResult(c echo.Context, id openapi.CycleID, pid openapi.ParticipantID) error {
	svc, orgID := a.s.asToken(c)
	ctx := c.Request().Context()
	r, err := svc.ParticipantReport(ctx, orgID, id.String(), pid.String())
	if err != nil {
		return err
	}
	out := openapi.LeaderResult{CycleId: id.String(), ParticipantId: pid.String(), Leader: r.LeaderName, Figures: []openapi.ResultFigure{}}
	rows := reports.CSVRows(r.CycleName, map[string]string{pid.String(): r.LeaderName}, scoring.Result{Leaders: []scoring.Leader{r.Leader}})
	for _, row := range rows {
		f := openapi.ResultFigure{Skill: row.Skill, Group: row.Group.String(), Note: row.Note, Mean: number(row.Mean), Sd: number(row.SD),
			Ci95Lower: number(row.Low), Ci95Upper: number(row.High), Gap: number(row.Gap), Flag: optionalString(row.Flag)}
		if row.N > 0 {
			f.Raters = &row.N
		}
		out.Figures = append(out.Figures, f)
	}
	if err := svc.Record(ctx, orgID, "", assessment.ActionReportView, "participant", pid.String(), reportDetail(r)+", through the API"); err != nil {
		return err
	}
	return reply(c, http.StatusOK, out)
}

// GetLeaderReport answers GET /api/v1/cycles/:id/results/:pid/report.pdf.
func (a apiV1) GetLeaderReport(c echo.Context, id openapi.CycleID, pid openapi.ParticipantID) error {
	svc, orgID := a.s.asToken(c)
	ctx := c.Request().Context()
	r, err := svc.ParticipantReport(ctx, orgID, id.String(), pid.String())
	if err != nil {
		return err
	}
	pdf, err := leaderPDF(r, pid.String())
	if err != nil {
		return err
	}
	if err := svc.Record(ctx, orgID, "", assessment.ActionReportDownload, "participant", pid.String(), reportDetail(r)+", through the API"); err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etagOf(pdf))
	if etagMatches(c.Request().Header.Get("If-None-Match"), etagOf(pdf)) {
		return c.NoContent(http.StatusNotModified)
	}
	return sendPDF(c, r, pdf)
}

// number is a figure as the API writes it: absent when not shown.
func number(n reports.Num) *float64 {
	if !n.Valid {
		return nil
	}
	return &n.Value
}
