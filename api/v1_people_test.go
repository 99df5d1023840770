package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lead360/lead360/api/openapi"
	"github.com/lead360/lead360/assessment"
)

const newPersonBody = `{"name":"Ana Lima","email":"Ana@Example.com","department":"Sales","manager_email":"Manon@Example.com","location":"Lyon"}`

// The directory through the API: people added with the forms' rules and
// messages, one person per address (409 naming the field), changed a field
// at a time, found by address, read a page at a time; every change
// audited under the token's name.
func TestAPIPeopleDirectory(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		w := mustToken(t, h, h.fx.Org.ID, "HRIS sync", assessment.ScopeWrite).secret
		send := func(method, path, body string) apiCall {
			return apiCall{method: method, path: apiBase + path, token: w, body: body}
		}
		ana := apiJSON[openapi.Person](t, "add Ana", h.api(t, send(http.MethodPost, "/people", newPersonBody)), http.StatusCreated)
		if ana.Email != "ana@example.com" || ana.ManagerEmail != "manon@example.com" || ana.Department != "Sales" || ana.Location != "Lyon" {
			t.Errorf("Ana as added: %+v, want her addresses as stored and her placement", ana)
		}
		cy := h.fx.MustCreateCycle(t, "Spring")
		bo, _ := h.fx.MustAddLeader(t, cy.ID, "Bo Berg", "bo@example.com")

		tests := []struct {
			name, method, path, body string
			status                   int
			field, message           string
		}{
			{name: "Ana again", method: http.MethodPost, path: "/people", body: `{"name":"Ana","email":"ana@example.com"}`,
				status: http.StatusConflict, field: "email", message: "Someone in the organisation already has this address."},
			{name: "a leader of a cycle", method: http.MethodPost, path: "/people", body: `{"name":"Bo","email":"BO@example.com"}`,
				status: http.StatusConflict, field: "email", message: "Someone in the organisation already has this address."},
			{name: "no address", method: http.MethodPost, path: "/people", body: `{"name":"Cy","email":"cy at example"}`,
				status: http.StatusUnprocessableEntity, field: "email", message: "Enter an email address like name@example.com."},
			{name: "no name", method: http.MethodPost, path: "/people", body: `{"name":"  ","email":"cy@example.com"}`,
				status: http.StatusUnprocessableEntity, field: "name", message: "Enter a name."},
			{name: "a long department", method: http.MethodPost, path: "/people", body: `{"name":"Cy","email":"cy@example.com","department":"` + strings.Repeat("d", 101) + `"}`,
				status: http.StatusUnprocessableEntity, field: "department", message: "Use at most 100 characters."},
			{name: "a manager who is no address", method: http.MethodPost, path: "/people", body: `{"name":"Cy","email":"cy@example.com","manager_email":"Manon"}`,
				status: http.StatusUnprocessableEntity, field: "manager_email", message: "Enter the manager's email address, like name@example.com."},
			{name: "a location of two lines", method: http.MethodPatch, path: "/people/" + ana.Id, body: `{"location":"Lyon\nParis"}`,
				status: http.StatusUnprocessableEntity, field: "location", message: "Use a single line of text."},
			{name: "a name removed", method: http.MethodPatch, path: "/people/" + ana.Id, body: `{"name":""}`,
				status: http.StatusUnprocessableEntity, field: "name", message: "Enter a name."},
			{name: "an unknown person changed", method: http.MethodPatch, path: "/people/01a23af1-b652-7887-8d44-fef80318ce00", body: `{"name":"x"}`, status: http.StatusNotFound},
			{name: "an unknown person", method: http.MethodGet, path: "/people/01a23af1-b652-7887-8d44-fef80318ce00", status: http.StatusNotFound},
			{name: "a search for no address", method: http.MethodGet, path: "/people?email=ana", status: http.StatusUnprocessableEntity,
				field: "email", message: "Enter an email address like name@example.com."},
		}
		for _, tt := range tests {
			p := problemOf(t, tt.name, h.api(t, send(tt.method, tt.path, tt.body)), tt.status)
			if got := problemField(p, tt.field); got != tt.message {
				t.Errorf("%s: %q says %q, want %q: %+v", tt.name, tt.field, got, tt.message, p)
			}
		}

		// Every problem at once, each next to its field.
		all := problemOf(t, "three problems", h.api(t, send(http.MethodPost, "/people", `{"name":" ","email":"cy at example","manager_email":"Manon"}`)),
			http.StatusUnprocessableEntity)
		for field, want := range map[string]string{"email": "Enter an email address like name@example.com.", "name": "Enter a name.",
			"manager_email": "Enter the manager's email address, like name@example.com."} {
			if got := problemField(all, field); got != want {
				t.Errorf("three problems: %q says %q, want %q: %+v", field, got, want, all)
			}
		}

		moved := apiJSON[openapi.Person](t, "Ana moves", h.api(t, send(http.MethodPatch, "/people/"+ana.Id, `{"location":"Paris","department":""}`)), http.StatusOK)
		if moved.Location != "Paris" || moved.Department != "" || moved.Name != ana.Name || moved.ManagerEmail != ana.ManagerEmail {
			t.Errorf("after a move: %+v, want Paris, no department, the rest kept", moved)
		}
		read := h.api(t, send(http.MethodGet, "/people/"+ana.Id, ""))
		if got := apiJSON[openapi.Person](t, "Ana", read, http.StatusOK); got != moved {
			t.Errorf("Ana read back: %+v, want %+v", got, moved)
		}
		poll := send(http.MethodGet, "/people/"+ana.Id, "")
		poll.header = map[string]string{"If-None-Match": read.Header().Get("ETag")}
		if rec := h.api(t, poll); rec.Code != http.StatusNotModified {
			t.Errorf("Ana unchanged with her ETag: %d", rec.Code)
		}
		for address, want := range map[string]int{"ANA@example.com": 1, "bo@example.com": 1, "nobody@example.com": 0} {
			found := apiJSON[openapi.PersonList](t, "find "+address, h.api(t, send(http.MethodGet, "/people?email="+url.QueryEscape(address), "")), http.StatusOK)
			if len(found.Items) != want || want == 1 && found.Items[0].Email != strings.ToLower(address) {
				t.Errorf("find %s: %+v", address, found)
			}
		}
		var ids []string
		for path := "/people?limit=1"; path != ""; {
			page := apiJSON[openapi.PersonList](t, "a page of people", h.api(t, send(http.MethodGet, path, "")), http.StatusOK)
			for _, p := range page.Items {
				ids = append(ids, p.Id)
			}
			path = ""
			if page.NextCursor != nil {
				path = "/people?limit=1&cursor=" + *page.NextCursor
			}
		}
		if len(ids) != 2 || !(ids[0] == ana.Id && ids[1] == bo.PersonID || ids[1] == ana.Id && ids[0] == bo.PersonID) {
			t.Errorf("the pages hold %v, want Ana %s and Bo %s once each", ids, ana.Id, bo.PersonID)
		}
		problemOf(t, "a cursor of nothing", h.api(t, send(http.MethodGet, "/people?cursor=bm90aGluZw", "")), http.StatusBadRequest)

		entries := auditActionsOf(t, h, h.fx.Org.ID)
		if n, by := countAuditBy(entries, assessment.ActionPersonCreate); n != 1 || by != `API token "HRIS sync"` {
			t.Errorf("person.create: %d entries, by %q", n, by)
		}
		if n, detail := countAudit(entries, assessment.ActionPersonUpdate); n != 1 || !strings.HasSuffix(detail, ": changed department, location") {
			t.Errorf("person.update: %d entries, %q", n, detail)
		}
	})
}

// A person added again with its Idempotency-Key gets the first answer, and
// is one person.
func TestAPIPersonIdempotencyKey(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		w := mustToken(t, h, h.fx.Org.ID, "HRIS sync", assessment.ScopeWrite).secret
		call := apiCall{method: http.MethodPost, path: apiBase + "/people", token: w, body: newPersonBody, header: map[string]string{"Idempotency-Key": "ana"}}
		first, again := h.api(t, call), h.api(t, call)
		if first.Code != http.StatusCreated || again.Body.String() != first.Body.String() || again.Header().Get("Idempotent-Replayed") != "true" {
			t.Fatalf("first %d %s; again %d %s", first.Code, first.Body, again.Code, again.Body)
		}
		list := apiJSON[openapi.PersonList](t, "people", h.api(t, apiCall{method: http.MethodGet, path: apiBase + "/people", token: w}), http.StatusOK)
		if len(list.Items) != 1 {
			t.Errorf("%d people after one key sent twice", len(list.Items))
		}
	})
}
