package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lead360/lead360/api/openapi"
	"github.com/lead360/lead360/assessment"
)

// The API's bulk import is the CSV import: the same messages for the same
// rows, every row's problems at once, nothing saved while one row has a
// problem, everything saved in one go once none has.
func TestAPIImportIsTheCSVImportAllOrNothing(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		w := mustToken(t, h, h.fx.Org.ID, "HRIS sync", assessment.ScopeWrite).secret
		cy := h.fx.MustCreateCycle(t, "Spring")
		bad := `{"rows":[
			{"leader_email":"lea@example.com","leader_name":"Lea Stone","rater_email":"pat@example.com","rater_name":"Pat Doe","relationship":"peer"},
			{"leader_email":"lea@example.com","rater_email":"not an address","rater_name":"Sam","relationship":"peer"},
			{"leader_email":"lea@example.com","rater_email":"kim@example.com","rater_name":"Kim","relationship":"cousin"}]}`
		csvText := "leader_email,leader_name,rater_email,rater_name,relationship\n" +
			"lea@example.com,Lea Stone,pat@example.com,Pat Doe,peer\nlea@example.com,,not an address,Sam,peer\nlea@example.com,,kim@example.com,Kim,cousin\n"
		preview, err := h.fx.Service.PreviewImport(t.Context(), h.fx.Org.ID, cy.ID, csvText)
		if err != nil {
			t.Fatal(err)
		}
		p := problemOf(t, "rows with problems", h.api(t, apiCall{method: http.MethodPost, path: "/api/v1/cycles/" + cy.ID + "/import", token: w, body: bad}), http.StatusUnprocessableEntity)
		got := map[string]string{}
		for _, e := range p.Errors {
			got[e.Field] = e.Message
		}
		for i, want := range []string{"", strings.Join(preview.Rows[1].Problems, " "), strings.Join(preview.Rows[2].Problems, " ")} {
			if field := "rows." + string(rune('1'+i)); got[field] != want {
				t.Errorf("%s: %q, the CSV import says %q", field, got[field], want)
			}
		}
		leaders, err := h.fx.Store.CycleLeaders(t.Context(), h.fx.Org.ID, cy.ID)
		if err != nil || len(leaders) != 0 {
			t.Fatalf("rows were saved from an import with problems: %d leaders, %v", len(leaders), err)
		}

		good := strings.Replace(strings.Replace(bad, "not an address", "sam@example.com", 1), "cousin", "direct report", 1)
		done := apiJSON[openapi.Imported](t, "the fixed import", h.api(t, apiCall{method: http.MethodPost, path: "/api/v1/cycles/" + cy.ID + "/import", token: w, body: good}), http.StatusOK)
		if done.LeadersAdded != 1 || done.RatersAdded != 3 {
			t.Errorf("imported %+v, want 1 leader and 3 raters", done)
		}
		problemOf(t, "no rows", h.api(t, apiCall{method: http.MethodPost, path: "/api/v1/cycles/" + cy.ID + "/import", token: w, body: `{"rows":[]}`}), http.StatusBadRequest)
	})
}
