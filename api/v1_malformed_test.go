package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lead360/lead360/api/openapi"
	"github.com/lead360/lead360/assessment"
)

// Malformed requests to the API (issue #15; TRUST.md S5): broken JSON,
// wrong types, unknown and repeated fields, megabyte strings, huge
// numbers, bad parameters: 400 problem+json naming the field, never 5xx.
func TestAPIMalformedInputGetsProblems(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		w := mustToken(t, h, h.fx.Org.ID, "Fuzzer", assessment.ScopeWrite).secret
		mb := strings.Repeat("x", 1<<20-200)
		draft := h.fx.MustCreateCycle(t, "Malformed")
		onDraft := func(suffix string) string { return "/api/v1/cycles/" + draft.ID + suffix }
		leader, _ := h.fx.MustAddLeader(t, draft.ID, "Lea Stone", "lea.stone@example.com")
		raters := onDraft("/participants/" + leader.ID + "/raters")
		tests := []struct {
			name, method, path, body string
			field                    string // the field the problem names, if any
		}{
			{name: "not JSON", path: "/api/v1/cycles", body: `{"name": `},
			{name: "an array", path: "/api/v1/cycles", body: `[]`},
			{name: "null", path: "/api/v1/cycles", body: `null`},
			{name: "two values", path: "/api/v1/cycles", body: newCycleBody + `{}`},
			{name: "a number for the name", path: "/api/v1/cycles", body: `{"name":5,"opens_at":"2026-04-01T09:00:00Z","closes_at":"2026-04-20T17:00:00Z"}`, field: "name"},
			{name: "a string for the threshold", path: "/api/v1/cycles", body: strings.Replace(newCycleBody, `{`, `{"anonymity_threshold":"3",`, 1), field: "anonymity_threshold"},
			{name: "an unknown field", path: "/api/v1/cycles", body: strings.Replace(newCycleBody, `{`, `{"organization_id":"x",`, 1), field: "organization_id"},
			{name: "a field twice", path: "/api/v1/cycles", body: strings.Replace(newCycleBody, `{`, `{"name":"Evil",`, 1), field: "name"},
			{name: "a megabyte name", path: "/api/v1/cycles", body: strings.Replace(newCycleBody, "From the API", mb, 1), field: "name"},
			{name: "a huge threshold", path: "/api/v1/cycles", body: strings.Replace(newCycleBody, `{`, `{"anonymity_threshold":99999999999999999999999,`, 1), field: "anonymity_threshold"},
			{name: "a threshold past float64", path: "/api/v1/cycles", body: strings.Replace(newCycleBody, `{`, `{"anonymity_threshold":1e400,`, 1)},
			{name: "a threshold below k", path: "/api/v1/cycles", body: strings.Replace(newCycleBody, `{`, `{"anonymity_threshold":2,`, 1), field: "anonymity_threshold"},
			{name: "no dates", path: "/api/v1/cycles", body: `{"name":"x"}`, field: "opens_at"},
			{name: "not a date", path: "/api/v1/cycles", body: strings.Replace(newCycleBody, "2026-04-01T09:00:00Z", "tomorrow", 1), field: "opens_at"},
			{name: "an unknown form", path: "/api/v1/cycles", body: strings.Replace(newCycleBody, `{`, `{"form":"long",`, 1), field: "form"},
			{name: "invalid UTF-8", path: "/api/v1/cycles", body: strings.Replace(newCycleBody, "From the API", "\xff\xfe", 1)},
			{name: "a NUL in the name", path: "/api/v1/cycles", body: strings.Replace(newCycleBody, "From the API", `a\u0000b`, 1)},
			{name: "a letter for the limit", path: "/api/v1/cycles?limit=ten", field: "limit"},
			{name: "a huge limit", path: "/api/v1/cycles?limit=99999999999999999999", field: "limit"},
			{name: "a limit of 0", path: "/api/v1/cycles?limit=0", field: "limit"},
			{name: "a cursor with a NUL", path: "/api/v1/cycles?cursor=%00", field: "cursor"},
			{name: "an audit cursor of nothing", path: "/api/v1/audit?cursor=bm90aGluZw", field: "cursor"},
			{name: "a key of spaces", path: "/api/v1/cycles", body: newCycleBody, field: "Idempotency-Key"},
			{name: "a change of an unknown field", method: http.MethodPatch, path: onDraft(""), body: `{"status":"open"}`, field: "status"},
			{name: "a change naming a field twice", method: http.MethodPatch, path: onDraft(""), body: `{"name":"a","name":"b"}`, field: "name"},
			{name: "a change with a megabyte name", method: http.MethodPatch, path: onDraft(""), body: `{"name":"` + mb + `"}`, field: "name"},
			{name: "a change to a threshold below k", method: http.MethodPatch, path: onDraft(""), body: `{"anonymity_threshold":2}`, field: "anonymity_threshold"},
			{name: "a change that is an array", method: http.MethodPatch, path: onDraft(""), body: `[]`},
			{name: "an extension without a date", path: onDraft("/extend"), body: `{}`, field: "closes_at"},
			{name: "an extension to a number", path: onDraft("/extend"), body: `{"closes_at":20270101}`, field: "closes_at"},
			{name: "an extension with a NUL", path: onDraft("/extend"), body: `{"closes_at":"2027-01-01T09:00:00Z\u0000"}`, field: "closes_at"},
			{name: "a leader without an address", path: onDraft("/participants"), body: `{"name":"Bo"}`, field: "email"},
			{name: "a leader with a megabyte name", path: onDraft("/participants"), body: `{"name":"` + mb + `","email":"bo@example.com"}`, field: "name"},
			{name: "a leader with a number for an address", path: onDraft("/participants"), body: `{"name":"Bo","email":7}`, field: "email"},
			{name: "a leader with a person's id", path: onDraft("/participants"), body: `{"name":"Bo","email":"bo@example.com","person_id":"x"}`, field: "person_id"},
			{name: "a leader given twice", path: onDraft("/participants"), body: `{"name":"Bo","email":"bo@example.com","email":"eve@example.com"}`, field: "email"},
			{name: "a rater without a relationship", path: raters, body: `{"name":"Pia","email":"pia@example.com"}`, field: "relationship"},
			{name: "a rater with a megabyte relationship", path: raters, body: `{"name":"Pia","email":"pia@example.com","relationship":"` + mb + `"}`, field: "relationship"},
			{name: "a rater that is an array", path: raters, body: `[{"name":"Pia"}]`},
			{name: "a roster cursor of nothing", path: onDraft("/participants?cursor=bm90aGluZw"), field: "cursor"},
			{name: "a person without an address", path: "/api/v1/people", body: `{"name":"Bo"}`, field: "email"},
			{name: "a person with a megabyte department", path: "/api/v1/people", body: `{"name":"Bo","email":"bo@example.com","department":"` + mb + `"}`, field: "department"},
			{name: "a person with a number for a manager", path: "/api/v1/people", body: `{"name":"Bo","email":"bo@example.com","manager_email":1}`, field: "manager_email"},
			{name: "a person with an organisation", path: "/api/v1/people", body: `{"name":"Bo","email":"bo@example.com","organization_id":"x"}`, field: "organization_id"},
			{name: "a person given twice", path: "/api/v1/people", body: `{"name":"Bo","email":"bo@example.com","name":"Eve"}`, field: "name"},
			{name: "a new address for a person", method: http.MethodPatch, path: "/api/v1/people/" + leader.PersonID, body: `{"email":"eve@example.com"}`, field: "email"},
			{name: "a person's change with a megabyte location", method: http.MethodPatch, path: "/api/v1/people/" + leader.PersonID, body: `{"location":"` + mb + `"}`, field: "location"},
			{name: "a person's change that is null", method: http.MethodPatch, path: "/api/v1/people/" + leader.PersonID, body: `null`},
			{name: "a search for a megabyte address", path: "/api/v1/people?email=" + strings.Repeat("a", 400), field: "email"},
			{name: "a people cursor of nothing", path: "/api/v1/people?cursor=bm90aGluZw", field: "cursor"},
		}
		for _, tt := range tests {
			method := tt.method
			switch {
			case method != "":
			case tt.body != "":
				method = http.MethodPost
			default:
				method = http.MethodGet
			}
			call := apiCall{method: method, path: tt.path, token: w, body: tt.body}
			if tt.field == "Idempotency-Key" {
				call.header = map[string]string{"Idempotency-Key": "   "}
			}
			rec := h.api(t, call)
			if rec.Code == http.StatusUnprocessableEntity && tt.name == "a NUL in the name" {
				continue // the domain refuses it, with the form's message
			}
			p := problemOf(t, tt.name, rec, http.StatusBadRequest)
			if tt.field == "" {
				continue
			}
			found := false
			for _, e := range p.Errors {
				found = found || e.Field == tt.field
				if len(e.Message) > 200 {
					t.Errorf("%s: the message echoes the value: %.100s", tt.name, e.Message)
				}
			}
			if !found {
				t.Errorf("%s: the problem does not name %q: %+v", tt.name, tt.field, p)
			}
		}
		for _, call := range []apiCall{
			{method: http.MethodGet, path: "/api/v1/cycles/not-an-id"},
			{method: http.MethodGet, path: "/api/v1/people/-1"},
			{method: http.MethodPatch, path: "/api/v1/people/99999999999999999999999", body: `{"name":"x"}`},
			{method: http.MethodDelete, path: onDraft("/participants/0")},
			{method: http.MethodDelete, path: raters + "/" + strings.Repeat("9", 400)},
			{method: http.MethodPost, path: onDraft("/participants/%00/raters"), body: `{"name":"Pia","email":"pia@example.com","relationship":"peer"}`},
		} {
			call.token = w
			if rec := h.api(t, call); rec.Code != http.StatusNotFound {
				t.Errorf("%s %s, an id that cannot be one: %d", call.method, call.path, rec.Code)
			}
		}
		rec := h.api(t, apiCall{method: http.MethodPost, path: "/api/v1/cycles", token: w, body: newCycleBody, header: map[string]string{"Content-Type": "text/plain"}})
		if rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("a text body: %d", rec.Code)
		}
	})
}

// FuzzDecodeAPIBody: the API's body decoding never panics, and what it
// accepts has no repeated field.
func FuzzDecodeAPIBody(f *testing.F) {
	for _, seed := range []string{newCycleBody, `{"closes_at":"2027-01-01T09:00:00Z"}`, `{"name":"Pia","email":"pia@example.com","relationship":"peer"}`, newPersonBody, `{"name":"a","name":"b"}`, `{"a":{"b":1,"b":2}}`, `[{"x":1},{"x":1}]`, `{`, `"\ud800"`, `{"name":1e400}`, ``} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, dup := duplicateKey(body)
		for _, v := range apiBodies() {
			if err := decodeStrict(body, v); dup && err == nil {
				t.Errorf("accepted a body with a repeated field as %T: %q", v, body)
			}
		}
	})
}

// apiBodies are a fresh value of each request body the API decodes.
func apiBodies() []any {
	return []any{&openapi.NewCycle{}, &openapi.CycleChange{}, &openapi.CycleExtension{}, &openapi.RaterImport{},
		&openapi.NewParticipant{}, &openapi.NewRater{}, &openapi.NewPerson{}, &openapi.PersonChange{}}
}
