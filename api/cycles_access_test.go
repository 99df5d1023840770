package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/lead360/lead360/assessment"
)

// Access rows of the cycle administration routes. They are appended to
// accessRows here, next to the routes' own tests, so each area adds its
// rows without editing the shared table; TestEveryRouteHasAnAccessRow
// still sees them all.

// cycleObjects are a draft cycle with a leader and a rater in one
// organisation.
type cycleObjects struct{ cycle, participant, assignment string }

// cycleRoute is one cycle administration route with a path template
// ({id}, {pid}, {aid}) and the form a valid request sends.
type cycleRoute struct {
	method, route, path string
	form                url.Values
	// open: the route acts on an open cycle (a draft is a conflict).
	open bool
}

var cycleRoutes = []cycleRoute{
	{method: http.MethodGet, route: "/cycles", path: "/cycles"},
	{method: http.MethodGet, route: "/cycles/new", path: "/cycles/new"},
	{method: http.MethodPost, route: "/cycles/new", path: "/cycles/new", form: url.Values{"name": {"Evil"}, "instrument": {"x"},
		"opens_at": {"2026-04-01T09:00"}, "closes_at": {"2026-04-20T09:00"}, "anonymity_threshold": {"3"}, "rater_cap": {"8"}}},
	{method: http.MethodGet, route: "/cycles/:id", path: "/cycles/{id}"},
	{method: http.MethodGet, route: "/cycles/:id/edit", path: "/cycles/{id}/edit"},
	{method: http.MethodPost, route: "/cycles/:id/edit", path: "/cycles/{id}/edit", form: url.Values{"name": {"Renamed"}, "instrument": {"x"},
		"opens_at": {"2026-04-01T09:00"}, "closes_at": {"2026-04-20T09:00"}, "anonymity_threshold": {"3"}, "rater_cap": {"8"}}},
	{method: http.MethodPost, route: "/cycles/:id/participants", path: "/cycles/{id}/participants",
		form: url.Values{"name": {"Eve"}, "email": {"eve@example.com"}}},
	{method: http.MethodPost, route: "/cycles/:id/participants/:pid/raters", path: "/cycles/{id}/participants/{pid}/raters",
		form: url.Values{"name": {"Mal"}, "email": {"mal@example.com"}, "relationship": {"peer"}}},
	{method: http.MethodPost, route: "/cycles/:id/participants/:pid/raters/:aid/remove", path: "/cycles/{id}/participants/{pid}/raters/{aid}/remove"},
	{method: http.MethodPost, route: "/cycles/:id/participants/:pid/remove", path: "/cycles/{id}/participants/{pid}/remove"},
	{method: http.MethodGet, route: "/cycles/:id/import", path: "/cycles/{id}/import"},
	{method: http.MethodPost, route: "/cycles/:id/import", path: "/cycles/{id}/import",
		form: url.Values{"csv": {"leader_email,leader_name,rater_email,rater_name,relationship\nzed@example.com,Zed,yan@example.com,Yan,peer\n"}}},
	{method: http.MethodPost, route: "/cycles/:id/import/confirm", path: "/cycles/{id}/import/confirm",
		form: url.Values{"csv": {"leader_email,leader_name,rater_email,rater_name,relationship\nzed@example.com,Zed,yan@example.com,Yan,peer\n"}}},
	{method: http.MethodGet, route: "/cycles/:id/progress", path: "/cycles/{id}/progress?leader={pid}"},
	{method: http.MethodPost, route: "/cycles/:id/open", path: "/cycles/{id}/open", form: url.Values{"confirm": {"1"}}},
	{method: http.MethodPost, route: "/cycles/:id/leaders/:pid/remind", path: "/cycles/{id}/leaders/{pid}/remind", form: url.Values{"round": {"0"}, "from": {"home"}}, open: true},
	{method: http.MethodPost, route: "/cycles/:id/remind", path: "/cycles/{id}/remind", form: url.Values{"round": {"0"}}, open: true},
	{method: http.MethodPost, route: "/cycles/:id/extend", path: "/cycles/{id}/extend", form: url.Values{"closes_at": {"2027-01-01T09:00"}}, open: true},
	{method: http.MethodPost, route: "/cycles/:id/close", path: "/cycles/{id}/close", form: url.Values{"confirm": {"1"}}, open: true},
	{method: http.MethodGet, route: "/cycles/:id/copy", path: "/cycles/{id}/copy"},
	{method: http.MethodPost, route: "/cycles/:id/copy", path: "/cycles/{id}/copy",
		form: url.Values{"name": {"Copied"}, "opens_at": {"2026-09-01T09:00"}, "closes_at": {"2026-09-20T09:00"}}},
	// Last: it deletes the world's draft.
	{method: http.MethodPost, route: "/cycles/:id/delete", path: "/cycles/{id}/delete", form: url.Values{"confirm": {"1"}}},
}

func (r cycleRoute) pathFor(o cycleObjects) string {
	return strings.NewReplacer("{id}", o.cycle, "{pid}", o.participant, "{aid}", o.assignment).Replace(r.path)
}

// worldCycles holds each access world's cycle objects, made on first use.
var worldCycles sync.Map // *accessWorld -> map[orgID]cycleObjects

func makeCycleObjects(t testing.TB, h *harness, orgID string) cycleObjects {
	t.Helper()
	ctx := context.Background()
	svc := h.fx.Service
	cy, err := svc.CreateCycle(ctx, assessment.CycleDraft{OrganizationID: orgID, InstrumentID: h.fx.Instrument.ID, Name: "Access",
		OpensAt: h.fx.Clock.Now(), ClosesAt: h.fx.Clock.Now().AddDate(0, 0, 21)})
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.AddParticipant(ctx, orgID, cy.ID, assessment.PersonInput{Name: "Lea", Email: "lea@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.AddRater(ctx, orgID, p.ID, assessment.PersonInput{Name: "Ray", Email: "ray@example.com"}, assessment.Peer)
	if err != nil {
		t.Fatal(err)
	}
	return cycleObjects{cycle: cy.ID, participant: p.ID, assignment: a.ID}
}

// cyclesOf returns the world's cycle objects per organisation; opening a
// cycle needs a job queue, so the store gets a recorder.
func cyclesOf(w *accessWorld) map[string]cycleObjects {
	if v, ok := worldCycles.Load(w); ok {
		return v.(map[string]cycleObjects)
	}
	objs := map[string]cycleObjects{}
	for org := range w.person {
		objs[org] = makeCycleObjects(w.h.t, w.h, org)
	}
	worldCycles.Store(w, objs)
	return objs
}

func init() {
	for _, r := range cycleRoutes {
		row := accessRow{method: r.method, route: r.route, form: r.form, allowed: []actor{adminX, adminY}}
		if strings.Contains(r.path, "{") {
			row.path = func(w *accessWorld, a actor, own bool) string {
				for org, o := range cyclesOf(w) {
					if (org == w.orgOf[a]) == own {
						return r.pathFor(o)
					}
				}
				panic("no cycle for " + string(a))
			}
		}
		accessRows = append(accessRows, row)
	}
}

// Every cycle route answers exactly: an admin gets the page or the
// redirect on their own organisation's cycle (2xx or 303), 404 on
// another's; a leader 403; anonymous a redirect to sign in. Each route
// gets fresh objects, so an earlier action (opening) does not turn a
// later one into a conflict.
func TestCycleRoutesAccess(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		y := h.org("Other org of " + t.Name())
		h.user(h.fx.Org.ID, "admin@example.com", assessment.RoleAdmin)
		h.user(h.fx.Org.ID, "leader@example.com", assessment.RoleLeader)
		admin, leader, anon := h.signedIn("admin@example.com"), h.signedIn("leader@example.com"), h.client()
		adminToken, leaderToken := admin.csrf(), leader.csrf()
		send := func(c *client, token string, r cycleRoute, path string) int {
			if r.method == http.MethodGet {
				return c.get(path).Code
			}
			form := url.Values{csrfField: {token}}
			for k, v := range r.form {
				form[k] = v
			}
			if r.route == "/cycles/new" || r.route == "/cycles/:id/edit" {
				form.Set("instrument", h.fx.Instrument.ID)
			}
			rec := c.post(path, form)
			if c == anon && (rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login")) {
				t.Errorf("anonymous %s %s: %d to %q", r.method, path, rec.Code, rec.Header().Get("Location"))
			}
			return rec.Code
		}
		for _, r := range cycleRoutes {
			own, other := makeCycleObjects(t, h, h.fx.Org.ID), makeCycleObjects(t, h, y.ID)
			if r.open {
				if _, err := h.fx.Service.OpenCycle(context.Background(), h.fx.Org.ID, own.cycle, "", nil); err != nil {
					t.Fatal(err)
				}
			}
			if got := send(admin, adminToken, r, r.pathFor(own)); got >= 400 {
				t.Errorf("admin %s %s on their own cycle: %d", r.method, r.route, got)
			}
			if strings.Contains(r.path, "{") {
				if got := send(admin, adminToken, r, r.pathFor(other)); got != http.StatusNotFound {
					t.Errorf("admin %s %s on another organisation's cycle: %d, want 404", r.method, r.route, got)
				}
			}
			if got := send(leader, leaderToken, r, r.pathFor(own)); got != http.StatusForbidden {
				t.Errorf("leader %s %s: %d, want 403", r.method, r.route, got)
			}
			if got := send(anon, "", r, r.pathFor(own)); got != http.StatusSeeOther {
				t.Errorf("anonymous %s %s: %d, want 303", r.method, r.route, got)
			}
		}
	})
}
