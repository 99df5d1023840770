package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lead360/lead360/api/openapi"
	"github.com/lead360/lead360/assessment"
)

// A draft's roster through the API, one leader and one rater at a time:
// the cycle page's rules and messages, 409 for what the page refuses once
// a cycle is open, every change audited under the token's name.
func TestAPIChangesADraftsRosterOneAtATime(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		w := mustToken(t, h, h.fx.Org.ID, "HRIS sync", assessment.ScopeWrite).secret
		cy := h.fx.MustCreateCycle(t, "Spring")
		base := apiBase + "/cycles/" + cy.ID + "/participants"
		send := func(method, path, body string) apiCall {
			return apiCall{method: method, path: path, token: w, body: body}
		}
		ana := apiJSON[openapi.Participant](t, "add Ana", h.api(t, send(http.MethodPost, base, `{"name":"Ana Lima","email":"Ana@Example.com"}`)), http.StatusCreated)
		if ana.Email != "ana@example.com" || len(ana.Raters) != 1 || ana.Raters[0].Relationship != "self" || ana.Raters[0].PersonId != ana.PersonId {
			t.Fatalf("Ana as added: %+v, want her stored address and her self-assessment", ana)
		}
		raters := base + "/" + ana.Id + "/raters"
		pia := apiJSON[openapi.Rater](t, "add Pia", h.api(t, send(http.MethodPost, raters, `{"name":"Pia","email":"pia@example.com","relationship":"peer"}`)), http.StatusCreated)
		if pia.Relationship != "peer" || pia.Email != "pia@example.com" {
			t.Errorf("Pia as added: %+v", pia)
		}

		tests := []struct {
			name, method, path, body string
			status                   int
			field, message           string
		}{
			{name: "a leader twice", method: http.MethodPost, path: base, body: `{"name":"Ana","email":"ana@example.com"}`,
				status: http.StatusConflict, field: "email", message: "This person is already a leader in this cycle."},
			{name: "a leader without an address", method: http.MethodPost, path: base, body: `{"name":"Bo","email":"bo at example"}`,
				status: http.StatusUnprocessableEntity, field: "email", message: "Enter an email address like name@example.com."},
			{name: "a leader without a name", method: http.MethodPost, path: base, body: `{"name":" ","email":"bo@example.com"}`,
				status: http.StatusUnprocessableEntity, field: "name", message: "Enter a name."},
			{name: "a rater twice", method: http.MethodPost, path: raters, body: `{"name":"Pia","email":"pia@example.com","relationship":"other"}`,
				status: http.StatusConflict, field: "email", message: "This person already rates this leader."},
			{name: "a second self", method: http.MethodPost, path: raters, body: `{"name":"Ana","email":"ana2@example.com","relationship":"self"}`,
				status: http.StatusUnprocessableEntity, field: "relationship", message: "Choose manager, peer, direct report or other."},
			{name: "the leader's own tagged address", method: http.MethodPost, path: raters, body: `{"name":"Ana","email":"ana+peer@example.com","relationship":"peer"}`,
				status: http.StatusUnprocessableEntity, field: "email", message: "This is one of the leader's own addresses: their self-assessment is already included."},
			{name: "a rater of an unknown leader", method: http.MethodPost, path: base + "/01a23af1-b652-7887-8d44-fef80318ce00/raters",
				body: `{"name":"Pia","email":"pia@example.com","relationship":"peer"}`, status: http.StatusNotFound},
			{name: "the self-assessment removed", method: http.MethodDelete, path: raters + "/" + ana.Raters[0].Id, status: http.StatusConflict},
			{name: "an unknown rater removed", method: http.MethodDelete, path: raters + "/01a23af1-b652-7887-8d44-fef80318ce00", status: http.StatusNotFound},
			{name: "the roster of an unknown cycle", method: http.MethodGet, path: apiBase + "/cycles/01a23af1-b652-7887-8d44-fef80318ce00/participants", status: http.StatusNotFound},
		}
		for _, tt := range tests {
			p := problemOf(t, tt.name, h.api(t, send(tt.method, tt.path, tt.body)), tt.status)
			if got := problemField(p, tt.field); got != tt.message {
				t.Errorf("%s: %q says %q, want %q: %+v", tt.name, tt.field, got, tt.message, p)
			}
		}

		roster := apiJSON[openapi.ParticipantList](t, "the roster", h.api(t, send(http.MethodGet, base, "")), http.StatusOK)
		if len(roster.Items) != 1 || len(roster.Items[0].Raters) != 2 || roster.Items[0].Raters[1].Id != pia.Id {
			t.Fatalf("the roster: %+v, want Ana with herself and Pia", roster)
		}
		if rec := h.api(t, send(http.MethodDelete, raters+"/"+pia.Id, "")); rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
			t.Errorf("remove Pia: %d %s", rec.Code, rec.Body)
		}
		other := h.fx.MustCreateCycle(t, "Autumn")
		bo, _ := h.fx.MustAddLeader(t, other.ID, "Bo", "bo@example.com")
		problemOf(t, "a leader of another cycle", h.api(t, send(http.MethodDelete, base+"/"+bo.ID, "")), http.StatusNotFound)
		if rec := h.api(t, send(http.MethodDelete, base+"/"+ana.Id, "")); rec.Code != http.StatusNoContent {
			t.Errorf("remove Ana: %d %s", rec.Code, rec.Body)
		}
		if roster := apiJSON[openapi.ParticipantList](t, "the roster", h.api(t, send(http.MethodGet, base, "")), http.StatusOK); len(roster.Items) != 0 {
			t.Errorf("the roster after removing Ana: %+v", roster)
		}
		entries := auditActionsOf(t, h, h.fx.Org.ID)
		for _, action := range []string{assessment.ActionLeaderAdd, assessment.ActionRaterAdd, assessment.ActionRaterRemove, assessment.ActionLeaderRemove} {
			if n, by := countAuditBy(entries, action); n != 1 || by != `API token "HRIS sync"` {
				t.Errorf("%s: %d audit entries, by %q", action, n, by)
			}
		}
		// A removal names whom it removed, as an addition does.
		for action, want := range map[string]string{
			assessment.ActionRaterRemove:  `Pia, no longer rating Ana Lima, in "Spring"`,
			assessment.ActionLeaderRemove: `Ana Lima, with their raters, from "Spring"`,
		} {
			if _, detail := countAudit(entries, action); detail != want {
				t.Errorf("%s: details %q, want %q", action, detail, want)
			}
		}

		if _, err := h.fx.Service.MoveCycle(t.Context(), h.fx.Org.ID, other.ID, assessment.StatusOpen); err != nil {
			t.Fatal(err)
		}
		open := apiBase + "/cycles/" + other.ID + "/participants"
		for _, call := range []apiCall{
			send(http.MethodPost, open, `{"name":"Cy","email":"cy@example.com"}`),
			send(http.MethodPost, open+"/"+bo.ID+"/raters", `{"name":"Pia","email":"pia@example.com","relationship":"peer"}`),
			send(http.MethodDelete, open+"/"+bo.ID, ""),
		} {
			if p := problemOf(t, call.method+" "+call.path+" when open", h.api(t, call), http.StatusConflict); !strings.Contains(p.Detail, "while it is a draft") {
				t.Errorf("%s %s when open is refused without saying why: %+v", call.method, call.path, p)
			}
		}
	})
}

// A leader or rater added again with its Idempotency-Key gets the first
// answer and is added once; the roster comes a page at a time.
func TestAPIRosterIdempotencyAndPages(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		w := mustToken(t, h, h.fx.Org.ID, "HRIS sync", assessment.ScopeWrite).secret
		cy := h.fx.MustCreateCycle(t, "Spring")
		base := apiBase + "/cycles/" + cy.ID + "/participants"
		for _, name := range []string{"Cy", "Ana", "Bo"} {
			call := apiCall{method: http.MethodPost, path: base, token: w, body: `{"name":"` + name + `","email":"` + strings.ToLower(name) + `@example.com"}`,
				header: map[string]string{"Idempotency-Key": "leader-" + name}}
			first, again := h.api(t, call), h.api(t, call)
			if first.Code != http.StatusCreated || again.Body.String() != first.Body.String() || again.Header().Get("Idempotent-Replayed") != "true" {
				t.Fatalf("%s twice with one key: %d %s; %d %s", name, first.Code, first.Body, again.Code, again.Body)
			}
		}
		ana := apiJSON[openapi.ParticipantList](t, "the roster", h.api(t, apiCall{method: http.MethodGet, path: base + "?limit=1", token: w}), http.StatusOK).Items[0]
		rater := apiCall{method: http.MethodPost, path: base + "/" + ana.Id + "/raters", token: w, body: `{"name":"Pia","email":"pia@example.com","relationship":"peer"}`,
			header: map[string]string{"Idempotency-Key": "rater-pia"}}
		if first, again := h.api(t, rater), h.api(t, rater); first.Code != http.StatusCreated || again.Body.String() != first.Body.String() {
			t.Errorf("Pia twice with one key: %d %s; %d %s", first.Code, first.Body, again.Code, again.Body)
		}
		var names []string
		for path := base + "?limit=2"; path != ""; {
			page := apiJSON[openapi.ParticipantList](t, "a page of leaders", h.api(t, apiCall{method: http.MethodGet, path: path, token: w}), http.StatusOK)
			for _, p := range page.Items {
				names = append(names, p.Name)
				if p.Name == "Ana" && len(p.Raters) != 2 {
					t.Errorf("Ana's raters after Pia was sent twice with one key: %+v", p.Raters)
				}
			}
			path = ""
			if page.NextCursor != nil {
				path = base + "?limit=2&cursor=" + *page.NextCursor
			}
		}
		if strings.Join(names, ",") != "Ana,Bo,Cy" {
			t.Errorf("the pages hold %v, want each leader once, by name", names)
		}
	})
}
