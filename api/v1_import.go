package api

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/api/openapi"
	"github.com/lead360/lead360/assessment"
)

// ImportRaters answers POST /api/v1/cycles/:id/import: the CSV import's
// rows as JSON (assessment.Service.ImportRaterRows: the same checks, all
// rows or none). With problems nothing is saved, and the 422 problem lists
// every row's, at "rows.N".
func (a apiV1) ImportRaters(c echo.Context, id openapi.CycleID, params openapi.ImportRatersParams) error {
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	var in openapi.RaterImport
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	rows := make([]assessment.ImportRow, len(in.Rows))
	for i, r := range in.Rows {
		rows[i] = assessment.ImportRow{LeaderEmail: r.LeaderEmail, LeaderName: deref(r.LeaderName), RaterEmail: r.RaterEmail,
			RaterName: deref(r.RaterName), RelationshipText: r.Relationship, Placement: assessment.Placement{
				Department: deref(r.LeaderDepartment), ManagerEmail: deref(r.LeaderManagerEmail), Location: deref(r.LeaderLocation)}}
	}
	return a.s.change(c, params.IdempotencyKey, body, func(svc *assessment.Service, orgID string) (int, any, error) {
		done, imp, err := svc.ImportRaterRows(c.Request().Context(), orgID, id.String(), rows, "")
		if errors.Is(err, assessment.ErrImportNotReady) {
			return 0, nil, &assessment.Error{Code: assessment.CodeInvalid, Message: err.Error(), Fields: importProblems(imp, func(r assessment.ImportRow) []string { return r.Problems }, imp.Problems)}
		}
		out := openapi.Imported{LeadersAdded: done.Leaders, RatersAdded: done.Raters, Warnings: []openapi.FieldProblem{}}
		for field, msg := range importProblems(imp, func(r assessment.ImportRow) []string { return r.Warnings }, imp.Warnings) {
			out.Warnings = append(out.Warnings, openapi.FieldProblem{Field: field, Message: msg})
		}
		slices.SortFunc(out.Warnings, func(a, b openapi.FieldProblem) int { return strings.Compare(a.Field, b.Field) })
		return http.StatusOK, out, err
	})
}

// importProblems are an import's messages by field: "rows.N" for row N,
// "rows" for the import as a whole.
func importProblems(imp assessment.RaterImport, of func(assessment.ImportRow) []string, whole []string) map[string]string {
	out := map[string]string{}
	if len(whole) > 0 {
		out["rows"] = strings.Join(whole, " ")
	}
	for _, r := range imp.Rows {
		if msgs := of(r); len(msgs) > 0 {
			out["rows."+strconv.Itoa(r.Line)] = strings.Join(msgs, " ")
		}
	}
	return out
}
