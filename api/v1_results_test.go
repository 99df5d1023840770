package api

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"testing"

	"github.com/lead360/lead360/api/openapi"
	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// Results through the API are the dashboard's, made by the same functions:
// the table has the cells of leaders.csv, a leader's figures are the rows
// of results.csv (a group the report hides, like two peers under k = 3, has
// no figure in either), the PDF is the dashboard's bytes; nothing before
// release.
func TestAPIResultsAreTheDashboards(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		x := h.fx.Org.ID
		tok := mustToken(t, h, x, "BI", assessment.ScopeRead).secret
		draft := h.fx.MustCreateCycle(t, "Draft")
		p := problemOf(t, "results of a draft", h.api(t, apiCall{method: http.MethodGet, path: "/api/v1/cycles/" + draft.ID + "/results", token: tok}), http.StatusConflict)
		if p.Detail == "" {
			t.Error("the refusal does not say why")
		}
		cy := h.fx.ReleasedCohort(t, assessmenttest.Cohort{Leaders: 3, Peers: func(i int) int { return 2 + i }})
		h.user(x, "ana@example.com", assessment.RoleAdmin)
		admin := h.signedIn("ana@example.com")

		web := readCSV(t, resultsStatus(t, "leaders.csv", admin.get("/cycles/"+cy.ID+"/leaders.csv"), http.StatusOK))
		table := apiJSON[openapi.ResultsTable](t, "results", h.api(t, apiCall{method: http.MethodGet, path: "/api/v1/cycles/" + cy.ID + "/results", token: tok}), http.StatusOK)
		if len(table.Items) != len(web)-1 || len(table.Columns) != len(web[0]) {
			t.Fatalf("the API's table is %d x %d, leaders.csv %d x %d", len(table.Items), len(table.Columns), len(web)-1, len(web[0]))
		}
		for i, row := range table.Items {
			for j, col := range table.Columns {
				if col.Label != web[0][j] || row.Cells[col.Key] != web[i+1][j] {
					t.Errorf("row %d, %s: API %q, leaders.csv %q (%s)", i, col.Key, row.Cells[col.Key], web[i+1][j], web[0][j])
				}
			}
		}

		export := readCSV(t, resultsStatus(t, "results.csv", admin.get("/cycles/"+cy.ID+"/results.csv"), http.StatusOK))
		hidden := 0
		for _, item := range table.Items {
			pid := item.ParticipantId
			res := apiJSON[openapi.LeaderResult](t, "a leader's result", h.api(t, apiCall{method: http.MethodGet, path: "/api/v1/cycles/" + cy.ID + "/results/" + pid, token: tok}), http.StatusOK)
			var rows [][]string
			for _, r := range export[1:] {
				if r[1] == pid {
					rows = append(rows, r)
				}
			}
			if len(rows) != len(res.Figures) {
				t.Fatalf("leader %s: %d figures, results.csv %d rows", pid, len(res.Figures), len(rows))
			}
			for i, f := range res.Figures {
				r := rows[i]
				if f.Skill != r[3] || f.Group != r[4] || f.Note != r[13] || text(f.Raters) != r[5] || num(f.Mean) != r[6] || num(f.Sd) != r[7] ||
					num(f.Ci95Lower) != r[9] || num(f.Ci95Upper) != r[10] || num(f.Gap) != r[11] {
					t.Errorf("leader %s: figure %+v is not the CSV's %q", pid, f, r)
				}
				if f.Raters == nil && f.Mean == nil && f.Group == "peer" {
					hidden++
				}
			}
			pdf := h.api(t, apiCall{method: http.MethodGet, path: "/api/v1/cycles/" + cy.ID + "/results/" + pid + "/report.pdf", token: tok})
			webPDF := admin.get("/cycles/" + cy.ID + "/results/" + pid + "/report.pdf")
			if pdf.Code != http.StatusOK || !bytes.HasPrefix(pdf.Body.Bytes(), []byte("%PDF")) || !bytes.Equal(pdf.Body.Bytes(), webPDF.Body.Bytes()) {
				t.Errorf("leader %s: the API's PDF (%d, %d bytes) is not the dashboard's (%d bytes)", pid, pdf.Code, pdf.Body.Len(), webPDF.Body.Len())
			}
		}
		if hidden == 0 {
			t.Error("no peer group was hidden: the test does not try the disclosure")
		}
	})
}

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader([]byte(body))).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("read CSV: %v", err)
	}
	return rows
}

func text(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func num(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}
