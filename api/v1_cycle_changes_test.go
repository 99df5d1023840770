package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/api/openapi"
	"github.com/lead360/lead360/assessment"
)

// PATCH changes a draft's fields that are sent and keeps the others, with
// the edit form's messages; an opened cycle is refused in words; the
// change is audited under the token's name.
func TestAPIEditsADraftCycle(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		w := mustToken(t, h, h.fx.Org.ID, "HRIS sync", assessment.ScopeWrite).secret
		draft := h.fx.MustCreateCycle(t, "Spring")
		path := apiBase + "/cycles/" + draft.ID
		edited := apiJSON[openapi.Cycle](t, "rename", h.api(t, apiCall{method: http.MethodPatch, path: path, token: w,
			body: `{"name":"Spring 2027","anonymity_threshold":4}`}), http.StatusOK)
		if edited.Name != "Spring 2027" || edited.AnonymityThreshold != 4 || !edited.OpensAt.Equal(draft.OpensAt) || !edited.ClosesAt.Equal(draft.ClosesAt) {
			t.Errorf("after a rename: %+v, want the dates of %+v kept", edited, draft)
		}
		h.api(t, apiCall{method: http.MethodPatch, path: path, token: w, body: `{"form":"short"}`})
		if cy, _, err := h.fx.Service.CycleWithSettings(t.Context(), h.fx.Org.ID, draft.ID); err != nil || cy.InstrumentID != h.fx.ShortForm.ID || cy.Name != "Spring 2027" {
			t.Errorf("after choosing the short form: %+v, %v", cy, err)
		}
		if n, by := countAuditBy(auditActionsOf(t, h, h.fx.Org.ID), assessment.ActionCycleEdit); n != 2 || by != `API token "HRIS sync"` {
			t.Errorf("the edit's audit: %d entries, by %q", n, by)
		}

		tests := []struct {
			name, path, body string
			status           int
			field, message   string
		}{
			{name: "an empty name", path: path, body: `{"name":"  "}`, status: http.StatusUnprocessableEntity, field: "name", message: "Enter a name."},
			{name: "closing before opening", path: path, body: `{"closes_at":"2026-01-01T09:00:00Z"}`, status: http.StatusUnprocessableEntity, field: "closes_at"},
			{name: "an unknown form", path: path, body: `{"form":"long"}`, status: http.StatusBadRequest, field: "form"},
			{name: "an unknown cycle", path: apiBase + "/cycles/01a23af1-b652-7887-8d44-fef80318ce00", body: `{"name":"x"}`, status: http.StatusNotFound},
		}
		for _, tt := range tests {
			p := problemOf(t, tt.name, h.api(t, apiCall{method: http.MethodPatch, path: tt.path, token: w, body: tt.body}), tt.status)
			if got := problemField(p, tt.field); tt.field != "" && (got == "" || tt.message != "" && got != tt.message) {
				t.Errorf("%s: %q says %q, want %q: %+v", tt.name, tt.field, got, tt.message, p)
			}
		}
		if _, err := h.fx.Service.MoveCycle(t.Context(), h.fx.Org.ID, draft.ID, assessment.StatusOpen); err != nil {
			t.Fatal(err)
		}
		p := problemOf(t, "an open cycle", h.api(t, apiCall{method: http.MethodPatch, path: path, token: w, body: `{"name":"Later"}`}), http.StatusConflict)
		if !strings.Contains(p.Detail, "only a draft can be edited") {
			t.Errorf("an open cycle's edit is refused without saying why: %+v", p)
		}
	})
}

// Extend moves an open cycle's close date with the dashboard's rules and
// messages, once per Idempotency-Key, audited under the token's name.
func TestAPIExtendsAnOpenCycle(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		w := mustToken(t, h, h.fx.Org.ID, "HRIS sync", assessment.ScopeWrite).secret
		cy := h.fx.MustCreateCycle(t, "Spring")
		path := apiBase + "/cycles/" + cy.ID + "/extend"
		later := cy.ClosesAt.AddDate(0, 0, 7).Format(time.RFC3339)
		p := problemOf(t, "a draft", h.api(t, apiCall{method: http.MethodPost, path: path, token: w, body: `{"closes_at":"` + later + `"}`}), http.StatusConflict)
		if !strings.Contains(p.Detail, "only while it is open") {
			t.Errorf("a draft's extension is refused without saying why: %+v", p)
		}
		if _, err := h.fx.Service.MoveCycle(t.Context(), h.fx.Org.ID, cy.ID, assessment.StatusOpen); err != nil {
			t.Fatal(err)
		}
		call := apiCall{method: http.MethodPost, path: path, token: w, body: `{"closes_at":"` + later + `"}`, header: map[string]string{"Idempotency-Key": "extend-1"}}
		first := h.api(t, call)
		if got := apiJSON[openapi.Cycle](t, "extend", first, http.StatusOK); got.ClosesAt.Format(time.RFC3339) != later || got.Status != openapi.Open {
			t.Errorf("extended: %+v, want it open until %s", got, later)
		}
		if again := h.api(t, call); again.Body.String() != first.Body.String() || again.Header().Get("Idempotent-Replayed") != "true" {
			t.Errorf("the retry: %d %s", again.Code, again.Body)
		}
		entries := auditActionsOf(t, h, h.fx.Org.ID)
		if n, by := countAuditBy(entries, "cycle.extend"); n != 1 || by != `API token "HRIS sync"` {
			t.Errorf("the extension's audit: %d entries, by %q", n, by)
		}
		// Details are read by people: dates as words, not machine stamps.
		const stamp = "2 Jan 2006, 15:04 UTC"
		want := "Close date moved from " + cy.ClosesAt.UTC().Format(stamp) + " to " + cy.ClosesAt.AddDate(0, 0, 7).UTC().Format(stamp)
		if _, detail := countAudit(entries, "cycle.extend"); detail != want {
			t.Errorf("the extension's details: %q, want %q", detail, want)
		}
		for _, tt := range []struct {
			name, body, message string
			status              int
		}{
			{name: "the same date", body: `{"closes_at":"` + later + `"}`, message: "Choose a date after the current close date", status: http.StatusUnprocessableEntity},
			{name: "not a date", body: `{"closes_at":"next week"}`, message: "Use a date and time", status: http.StatusBadRequest},
			{name: "no date", body: `{}`, message: "Enter a value.", status: http.StatusBadRequest},
		} {
			p := problemOf(t, tt.name, h.api(t, apiCall{method: http.MethodPost, path: path, token: w, body: tt.body}), tt.status)
			if got := problemField(p, "closes_at"); !strings.HasPrefix(got, tt.message) {
				t.Errorf("%s: closes_at says %q, want %q...", tt.name, got, tt.message)
			}
		}
	})
}

// problemField is the message a problem gives a field, or "".
func problemField(p problem, field string) string {
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}
