package api

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/lead360/lead360/api/openapi"
	"github.com/lead360/lead360/assessment"
)

// A whole cycle through the API alone, the steps of docs/api.md: add a
// person, create a cycle, import her as a leader with raters (the import
// finds the person added), open, poll progress (304 while nothing
// changed), close, release, read the results table and the leader's
// figures, download the PDF. Only the raters' answers come from elsewhere
// (the survey), as in life.
func TestAPIRunsAWholeCycle(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		tok := mustToken(t, h, h.fx.Org.ID, "Workflow", assessment.ScopeWrite).secret
		call := func(method, path, body string) apiCall {
			return apiCall{method: method, path: "/api/v1" + path, token: tok, body: body,
				header: map[string]string{"Idempotency-Key": method + path + strconv.Itoa(len(body))}}
		}
		opens := h.fx.Clock.Now().Format("2006-01-02T15:04:05Z")
		cy := apiJSON[openapi.Cycle](t, "create", h.api(t, call(http.MethodPost, "/cycles",
			`{"name":"Spring","opens_at":"`+opens+`","closes_at":"2026-03-20T17:00:00Z","form":"full"}`)), http.StatusCreated)
		ana := apiJSON[openapi.Person](t, "Ana", h.api(t, call(http.MethodPost, "/people",
			`{"name":"Ana Lima","email":"ana@example.com","department":"Sales","location":"Lyon"}`)), http.StatusCreated)
		rows := []string{`{"leader_email":"ana@example.com","leader_name":"Ana Lima","rater_email":"manon@example.com","rater_name":"Manon","relationship":"manager"}`}
		for _, p := range []string{"pia", "paul", "pat"} {
			rows = append(rows, `{"leader_email":"ana@example.com","rater_email":"`+p+`@example.com","rater_name":"`+p+`","relationship":"peer"}`)
		}
		imported := apiJSON[openapi.Imported](t, "import", h.api(t, call(http.MethodPost, "/cycles/"+cy.Id+"/import", `{"rows":[`+strings.Join(rows, ",")+`]}`)), http.StatusOK)
		if imported.LeadersAdded != 1 || imported.RatersAdded != 4 {
			t.Fatalf("imported %+v", imported)
		}
		found := apiJSON[openapi.PersonList](t, "find Ana", h.api(t, call(http.MethodGet, "/people?email=ana@example.com", "")), http.StatusOK)
		if len(found.Items) != 1 || found.Items[0].Id != ana.Id || found.Items[0].Department != "Sales" {
			t.Fatalf("the import's leader is not the person added first: %+v, want %+v", found, ana)
		}
		if c := apiJSON[openapi.Cycle](t, "open", h.api(t, call(http.MethodPost, "/cycles/"+cy.Id+"/open", "")), http.StatusOK); c.Status != openapi.Open {
			t.Fatalf("opened: %+v", c)
		}
		progress := h.api(t, call(http.MethodGet, "/cycles/"+cy.Id+"/progress", ""))
		if p := apiJSON[openapi.Progress](t, "progress", progress, http.StatusOK); p.Leaders != 1 || p.Total.Invited != 5 || p.Total.Submitted != 0 {
			t.Fatalf("progress when opened: %+v", p)
		}
		poll := call(http.MethodGet, "/cycles/"+cy.Id+"/progress", "")
		poll.header["If-None-Match"] = progress.Header().Get("ETag")
		if rec := h.api(t, poll); rec.Code != http.StatusNotModified {
			t.Errorf("polling unchanged progress: %d", rec.Code)
		}

		answerAll(t, h, cy.Id)
		if rec := h.api(t, poll); rec.Code != http.StatusOK {
			t.Errorf("polling after answers: %d, want the new counts", rec.Code)
		}
		if c := apiJSON[openapi.Cycle](t, "close", h.api(t, call(http.MethodPost, "/cycles/"+cy.Id+"/close", "")), http.StatusOK); c.Status != openapi.Closed {
			t.Fatalf("closed: %+v", c)
		}
		if c := apiJSON[openapi.Cycle](t, "release", h.api(t, call(http.MethodPost, "/cycles/"+cy.Id+"/release", "")), http.StatusOK); c.Status != openapi.Released {
			t.Fatalf("released: %+v", c)
		}
		table := apiJSON[openapi.ResultsTable](t, "results", h.api(t, call(http.MethodGet, "/cycles/"+cy.Id+"/results", "")), http.StatusOK)
		if len(table.Items) != 1 || table.Items[0].Cells["peer"] != "3" {
			t.Fatalf("results table: %+v", table)
		}
		pid := table.Items[0].ParticipantId
		res := apiJSON[openapi.LeaderResult](t, "Ana's result", h.api(t, call(http.MethodGet, "/cycles/"+cy.Id+"/results/"+pid, "")), http.StatusOK)
		if res.Leader != "Ana Lima" || len(res.Figures) == 0 {
			t.Fatalf("Ana's result: %+v", res)
		}
		pdf := h.api(t, call(http.MethodGet, "/cycles/"+cy.Id+"/results/"+pid+"/report.pdf", ""))
		if pdf.Code != http.StatusOK || !bytes.HasPrefix(pdf.Body.Bytes(), []byte("%PDF")) {
			t.Fatalf("PDF: %d", pdf.Code)
		}
	})
}

// answerAll submits every rater's answers in the cycle, as the survey
// would.
func answerAll(t *testing.T, h *harness, cycleID string) {
	t.Helper()
	ctx := t.Context()
	parts, err := h.fx.Store.Participants(ctx, h.fx.Org.ID, cycleID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		as, err := h.fx.Store.Assignments(ctx, h.fx.Org.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range as {
			r := assessment.Response{OrganizationID: h.fx.Org.ID, AssignmentID: a.ID, Status: assessment.ResponseSubmitted, Answers: h.fx.FullAnswers(3 + i%3)}
			if err := h.fx.Service.SaveAnswers(ctx, h.fx.Org.ID, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
}
