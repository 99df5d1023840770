package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// The API's access matrix (issue #15; TRUST.md S1 for tokens): every
// operation x {no token, read token, write token, another organisation's
// token, revoked token}: no 2xx that the row does not allow, and another
// organisation's token never sees organisation X's objects.

type apiActor string

const (
	noToken      apiActor = "no token"
	readToken    apiActor = "read token"
	writeToken   apiActor = "write token"
	otherToken   apiActor = "write token of another organisation"
	revokedToken apiActor = "revoked write token"
)

var apiActors = []apiActor{noToken, readToken, writeToken, otherToken, revokedToken}

// apiWorld is organisation X with a draft cycle, and the tokens.
type apiWorld struct {
	cycle assessment.Cycle
	// released is a released cycle and leader one of its leaders.
	released assessment.Cycle
	leader   string
	// participant is a leader of cycle and rater one of their raters.
	participant, rater string
	// person is the participant's person.
	person string
	tokens map[apiActor]string
	// secrets are every token of the world, to look for in logs.
	secrets []string
}

func newAPIWorld(t *testing.T, h *harness) *apiWorld {
	t.Helper()
	x, y := h.fx.Org.ID, h.org("Org Y of "+t.Name()).ID
	// Every row sends a revoked token from one address: past the
	// production limit of such tries (TestAPITokenRateLimit's subject)
	// every later row would get 429 whatever its token.
	h.srv.limits.apiBadToken = throttle{h.fx.Service, assessment.Limit{Name: "api_bad_token_address", Burst: 1000, Every: time.Second}}
	w := &apiWorld{cycle: h.fx.MustCreateCycle(t, "Spring"), tokens: map[apiActor]string{noToken: ""}}
	for a, tok := range map[apiActor]madeToken{
		readToken:    mustToken(t, h, x, "Reader", assessment.ScopeRead),
		writeToken:   mustToken(t, h, x, "Writer", assessment.ScopeWrite),
		otherToken:   mustToken(t, h, y, "Their writer", assessment.ScopeWrite),
		revokedToken: mustToken(t, h, x, "Old writer", assessment.ScopeWrite),
	} {
		w.tokens[a] = tok.secret
		w.secrets = append(w.secrets, tok.secret)
		if a == revokedToken {
			if err := h.fx.Service.RevokeAPIToken(t.Context(), x, "", tok.token.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.released = h.fx.ReleasedCohort(t, assessmenttest.Cohort{Leaders: 3})
	parts, err := h.fx.Store.Participants(t.Context(), x, w.released.ID)
	if err != nil || len(parts) == 0 {
		t.Fatalf("the cohort's leaders: %v", err)
	}
	w.leader = parts[0].ID
	p, _ := h.fx.MustAddLeader(t, w.cycle.ID, "Lea Stone", "lea.stone@example.com")
	w.participant, w.rater = p.ID, h.fx.MustAddRater(t, p.ID, "Pat Doe", "pat.doe@example.com", assessment.Peer).ID
	w.person = p.PersonID
	return w
}

// apiRow is one operation of the matrix.
type apiRow struct {
	method, route string // route as Echo has it: /api/v1/cycles/:id
	path          func(w *apiWorld) string
	body          string
	// allowed may get a 2xx. otherSees: another organisation's token
	// may get a 2xx too (a list of its own organisation), which must not
	// show organisation X's objects.
	allowed   []apiActor
	otherSees bool
}

var readers = []apiActor{readToken, writeToken}

const newCycleBody = `{"name":"From the API","opens_at":"2026-04-01T09:00:00Z","closes_at":"2026-04-20T17:00:00Z"}`

func onCycle(suffix string) func(w *apiWorld) string {
	return func(w *apiWorld) string { return apiBase + "/cycles/" + w.cycle.ID + suffix }
}

func onParticipant(suffix string) func(w *apiWorld) string {
	return func(w *apiWorld) string {
		return apiBase + "/cycles/" + w.cycle.ID + "/participants/" + w.participant + suffix
	}
}

func onPerson(w *apiWorld) string { return apiBase + "/people/" + w.person }

func onLeader(suffix string) func(w *apiWorld) string {
	return func(w *apiWorld) string {
		return apiBase + "/cycles/" + w.released.ID + "/results/" + w.leader + suffix
	}
}

var apiRows = []apiRow{
	{method: http.MethodGet, route: "/api/v1/cycles/:id/results", allowed: readers,
		path: func(w *apiWorld) string { return apiBase + "/cycles/" + w.released.ID + "/results" }},
	{method: http.MethodGet, route: "/api/v1/cycles/:id/results/:pid", path: onLeader(""), allowed: readers},
	{method: http.MethodGet, route: "/api/v1/cycles/:id/results/:pid/report.pdf", path: onLeader("/report.pdf"), allowed: readers},
	{method: http.MethodGet, route: "/api/v1/cycles", allowed: readers, otherSees: true},
	{method: http.MethodGet, route: "/api/v1/cycles/:id", path: onCycle(""), allowed: readers},
	{method: http.MethodGet, route: "/api/v1/cycles/:id/progress", path: onCycle("/progress"), allowed: readers},
	{method: http.MethodGet, route: "/api/v1/audit", allowed: readers, otherSees: true},
	{method: http.MethodGet, route: "/api/v1/people", allowed: readers, otherSees: true},
	{method: http.MethodGet, route: "/api/v1/people/:id", path: onPerson, allowed: readers},
	{method: http.MethodPost, route: "/api/v1/people", body: newPersonBody, allowed: []apiActor{writeToken}, otherSees: true},
	{method: http.MethodPatch, route: "/api/v1/people/:id", path: onPerson, body: `{"location":"Lyon"}`, allowed: []apiActor{writeToken}},
	{method: http.MethodPost, route: "/api/v1/cycles", body: newCycleBody, allowed: []apiActor{writeToken}, otherSees: true},
	{method: http.MethodPost, route: "/api/v1/cycles/:id/import", path: onCycle("/import"), allowed: []apiActor{writeToken},
		body: `{"rows":[{"leader_email":"lea@example.com","leader_name":"Lea Stone","rater_email":"pat@example.com","rater_name":"Pat Doe","relationship":"peer"}]}`},
	{method: http.MethodPatch, route: "/api/v1/cycles/:id", path: onCycle(""), body: `{"name":"Renamed"}`, allowed: []apiActor{writeToken}},
	{method: http.MethodGet, route: "/api/v1/cycles/:id/participants", path: onCycle("/participants"), allowed: readers},
	{method: http.MethodPost, route: "/api/v1/cycles/:id/participants", path: onCycle("/participants"), allowed: []apiActor{writeToken},
		body: `{"name":"Max Roe","email":"max.roe@example.com"}`},
	{method: http.MethodPost, route: "/api/v1/cycles/:id/participants/:pid/raters", path: onParticipant("/raters"), allowed: []apiActor{writeToken},
		body: `{"name":"Kim Lee","email":"kim.lee@example.com","relationship":"direct report"}`},
	{method: http.MethodDelete, route: "/api/v1/cycles/:id/participants/:pid/raters/:aid", allowed: []apiActor{writeToken},
		path: func(w *apiWorld) string { return onParticipant("/raters/" + w.rater)(w) }},
	{method: http.MethodDelete, route: "/api/v1/cycles/:id/participants/:pid", path: onParticipant(""), allowed: []apiActor{writeToken}},
	{method: http.MethodPost, route: "/api/v1/cycles/:id/open", path: onCycle("/open"), allowed: []apiActor{writeToken}},
	{method: http.MethodPost, route: "/api/v1/cycles/:id/extend", path: onCycle("/extend"), body: `{"closes_at":"2027-01-01T09:00:00Z"}`, allowed: []apiActor{writeToken}},
	{method: http.MethodPost, route: "/api/v1/cycles/:id/close", path: onCycle("/close"), allowed: []apiActor{writeToken}},
	{method: http.MethodPost, route: "/api/v1/cycles/:id/release", path: onCycle("/release"), allowed: []apiActor{writeToken}},
}

func (row apiRow) allows(a apiActor) bool {
	for _, b := range row.allowed {
		if a == b {
			return true
		}
	}
	return a == otherToken && row.otherSees
}

func TestAPIAccessMatrix(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		w := newAPIWorld(t, h)
		for _, row := range apiRows {
			for _, a := range apiActors {
				path := row.route
				if row.path != nil {
					path = row.path(w)
				}
				rec := h.api(t, apiCall{method: row.method, path: path, token: w.tokens[a], body: row.body})
				ok := rec.Code >= 200 && rec.Code < 300
				switch {
				case ok && !row.allows(a):
					t.Errorf("%s %s with a %s: unexpected %d", row.method, path, a, rec.Code)
				case rec.Code >= 500:
					t.Errorf("%s %s with a %s: %d", row.method, path, a, rec.Code)
				case ok && a == otherToken && (strings.Contains(rec.Body.String(), w.cycle.ID) || strings.Contains(rec.Body.String(), w.released.ID) ||
					strings.Contains(rec.Body.String(), w.person)):
					t.Errorf("%s %s with a %s shows organisation X's cycle or person", row.method, path, a)
				}
				if a == writeToken && row.method == http.MethodGet && rec.Code != http.StatusOK {
					t.Errorf("%s %s with a %s: %d, want 200 (the matrix's positive control)", row.method, path, a, rec.Code)
				}
				want := map[apiActor]int{noToken: http.StatusUnauthorized, revokedToken: http.StatusUnauthorized}[a]
				if a == readToken && row.method != http.MethodGet {
					want = http.StatusForbidden
				}
				if a == otherToken && row.path != nil {
					want = http.StatusNotFound
				}
				if want != 0 && rec.Code != want {
					t.Errorf("%s %s with a %s: %d, want %d", row.method, path, a, rec.Code, want)
				}
			}
		}
	})
}

// Every operation of the document has a row in the matrix.
func TestEveryAPIOperationHasAnAccessRow(t *testing.T) {
	t.Parallel()
	k, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, r := range apiRows {
		covered[r.method+" "+r.route] = true
	}
	for key := range k.routes {
		if !covered[key] {
			t.Errorf("operation %s has no row in apiRows", key)
		}
	}
}

func init() {
	accessRows = append(accessRows,
		accessRow{method: http.MethodGet, route: "/api/v1/openapi.json", allowed: actors},
		accessRow{method: http.MethodGet, route: "/api/v1/docs", allowed: actors},
	)
}
