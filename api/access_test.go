package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// The access-control matrix (TRUST.md S1): every route, tried by every
// actor on an object of their own organisation and of the other one, must
// give no 2xx that the row does not allow. Add a row for every new route;
// a route without a row fails TestEveryRouteHasAnAccessRow.

// actor is who sends a request.
type actor string

const (
	anonymous actor = "anonymous"
	leaderA   actor = "leader A (org X)"
	leaderB   actor = "leader B (org X)"
	adminX    actor = "admin of org X"
	adminY    actor = "admin of org Y"
	// One account of org X that holds both roles (assessed in no cycle
	// of the matrix), signed in twice: one session uses it as an admin,
	// the other as a leader.
	bothAsAdmin  actor = "admin-leader of org X, as admin"
	bothAsLeader actor = "admin-leader of org X, as leader"
)

var actors = []actor{anonymous, leaderA, leaderB, adminX, adminY, bothAsAdmin, bothAsLeader}

// allows reports whether the row lets the actor get a 2xx on their own
// organisation's objects. Unless the row names them, the admin-leader in admin mode may do what admin
// X may; in leader mode what any leader may on routes without an object
// (an object of the matrix belongs to leaders A or B, never to them).
func (row accessRow) allows(a actor) bool {
	if slices.Contains(row.allowed, a) {
		return true
	}
	switch a {
	case bothAsAdmin:
		a = adminX
	case bothAsLeader:
		if row.path != nil {
			return false
		}
		a = leaderA
	}
	return slices.Contains(row.allowed, a)
}

// accessWorld is the data the matrix runs on: two organisations, each with
// an admin and objects; leaders A and B in organisation X.
type accessWorld struct {
	h       *harness
	orgOf   map[actor]string
	clients map[actor]*client
	// person is one person of each organisation, by organisation id: the
	// object the example row looks up.
	person map[string]assessment.Person
	// spareAdmin is an admin of each organisation, by organisation id, for
	// the rows that remove one.
	spareAdmin map[string]assessment.User
}

// accessRow is one route of the matrix.
type accessRow struct {
	method string
	route  string // the registered path, e.g. "/cycles/:id"
	// path builds the request path for the actor, addressing an object of
	// the actor's own organisation (own) or of the other one. Nil means the
	// route itself.
	path func(w *accessWorld, a actor, own bool) string
	// form is the posted form; the runner adds the actor's form token.
	form url.Values
	// allowed are the actors who may get a 2xx, on their own organisation's
	// objects only. Everyone else, and everyone on the other organisation's
	// objects, must not.
	allowed []actor
	// signsOut marks a row after which the actors must sign in again.
	signsOut bool
}

// accessRows is the matrix. Public pages allow everyone; a signed-in user
// is redirected away from /login, which is not a 2xx either.
var accessRows = []accessRow{
	{method: http.MethodGet, route: "/", allowed: actors},
	{method: http.MethodGet, route: "/login", allowed: []actor{anonymous}},
	{method: http.MethodPost, route: "/login", form: url.Values{"email": {"nobody@example.com"}, "password": {"wrong password"}}},
	// The choice of organisation exists only right after a password
	// opened several accounts (login_choice_test.go); without one, both
	// send everybody back to sign in.
	{method: http.MethodGet, route: "/login/organization"},
	{method: http.MethodPost, route: "/login/organization", form: url.Values{"account": {"01a23af1-b652-7887-8d44-fef80318ce00"}}},
	{method: http.MethodGet, route: "/setup"},
	{method: http.MethodPost, route: "/setup", form: url.Values{"organization": {"Evil"}, "email": {"evil@example.com"}, "password": {testPassword}}},
	{method: http.MethodGet, route: "/password/forgot", allowed: actors},
	{method: http.MethodPost, route: "/password/forgot", form: url.Values{"email": {"nobody@example.com"}}, allowed: actors},
	{method: http.MethodGet, route: "/password/reset/:token", path: func(*accessWorld, actor, bool) string { return "/password/reset/" + deadToken }},
	{method: http.MethodPost, route: "/password/reset/:token", path: func(*accessWorld, actor, bool) string { return "/password/reset/" + deadToken },
		form: url.Values{"password": {"a brand new passphrase"}}},
	{method: http.MethodGet, route: "/dashboard", allowed: []actor{leaderA, leaderB, adminX, adminY}},
	// The example of an organisation-scoped admin page (registered by the
	// test, see examplePersonRoute): admins see their own organisation's
	// person, another organisation's id is not found.
	{method: http.MethodGet, route: "/test/people/:id", allowed: []actor{adminX, adminY},
		path: func(w *accessWorld, a actor, own bool) string { return "/test/people/" + w.personFor(a, own).ID }},
	// The example of a leader page (examplePersonRoute too): leaders only,
	// and only about their own person.
	{method: http.MethodGet, route: "/test/me", allowed: []actor{leaderA, leaderB}},
	// The choice of the role in use is a page only for an account with
	// both roles; switching changes the role of the session, so the
	// actors sign in again afterwards.
	{method: http.MethodGet, route: "/role", allowed: []actor{bothAsAdmin, bothAsLeader}},
	{method: http.MethodPost, route: "/role", form: url.Values{"role": {"admin"}}, signsOut: true},
	{method: http.MethodGet, route: "/org/admins", allowed: []actor{adminX, adminY}},
	{method: http.MethodPost, route: "/org/admins", form: url.Values{"name": {"Dee Admin"}, "email": {"dee@example.com"}}, allowed: []actor{adminX, adminY}},
	{method: http.MethodPost, route: "/org/admins/:uid/remove", allowed: []actor{adminX, adminY},
		path: func(w *accessWorld, a actor, own bool) string {
			return "/org/admins/" + w.spareAdmin[w.personFor(a, own).OrganizationID].ID + "/remove"
		}},
	{method: http.MethodPost, route: "/logout", signsOut: true},
}

// deadToken is a well-formed password link token that was never issued.
const deadToken = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// examplePersonRoute is shaped like every organisation-scoped admin page:
// requireAdmin, then a lookup scoped by the signed-in user's organisation.
func examplePersonRoute(h *harness) {
	h.e.GET("/test/people/:id", func(c echo.Context) error {
		u, _ := currentUser(c)
		p, err := h.fx.Store.Person(c.Request().Context(), u.OrganizationID, c.Param("id"))
		if err != nil {
			return err
		}
		return c.String(http.StatusOK, p.Name)
	}, h.srv.requireAdmin)
	h.e.GET("/test/me", func(c echo.Context) error {
		u, _ := currentUser(c)
		p, err := h.fx.Store.Person(c.Request().Context(), u.OrganizationID, u.PersonID)
		if err != nil {
			return err
		}
		return c.String(http.StatusOK, p.Name)
	}, h.srv.requireLeader)
}

func (w *accessWorld) personFor(a actor, own bool) assessment.Person {
	mine := w.orgOf[a]
	for org, p := range w.person {
		if (org == mine) == own {
			return p
		}
	}
	panic("no person for " + string(a))
}

func newAccessWorld(t *testing.T, h *harness) *accessWorld {
	t.Helper()
	x, y := h.fx.Org, h.org("Org Y of "+t.Name())
	w := &accessWorld{h: h, orgOf: map[actor]string{anonymous: x.ID, leaderA: x.ID, leaderB: x.ID, adminX: x.ID, adminY: y.ID,
		bothAsAdmin: x.ID, bothAsLeader: x.ID}, person: map[string]assessment.Person{}, spareAdmin: map[string]assessment.User{}}
	for _, o := range []assessment.Organization{x, y} {
		p := assessment.Person{OrganizationID: o.ID, Name: "Person of " + o.Name, Email: "someone@example.com"}
		if err := h.fx.Store.SavePerson(context.Background(), &p); err != nil {
			t.Fatal(err)
		}
		w.person[o.ID] = p
	}
	h.user(x.ID, "leader-a@example.com", assessment.RoleLeader)
	h.user(x.ID, "leader-b@example.com", assessment.RoleLeader)
	h.user(x.ID, "admin-x@example.com", assessment.RoleAdmin)
	h.user(y.ID, "admin-y@example.com", assessment.RoleAdmin)
	h.user(x.ID, actorEmails[bothAsAdmin], assessment.RoleAdmin, assessment.RoleLeader)
	for _, o := range []assessment.Organization{x, y} {
		w.spareAdmin[o.ID] = h.user(o.ID, "spare-admin@example.com", assessment.RoleAdmin)
	}
	w.signIn()
	return w
}

var actorEmails = map[actor]string{leaderA: "leader-a@example.com", leaderB: "leader-b@example.com",
	adminX: "admin-x@example.com", adminY: "admin-y@example.com",
	bothAsAdmin: "admin-leader@example.com", bothAsLeader: "admin-leader@example.com"}

// roleOf is the role in use of the actors whose account holds both.
var roleOf = map[actor]assessment.Role{bothAsAdmin: assessment.RoleAdmin, bothAsLeader: assessment.RoleLeader}

func (w *accessWorld) signIn() {
	w.clients = map[actor]*client{anonymous: w.h.client()}
	for i, a := range actors[1:] {
		c := w.h.signedIn(actorEmails[a])
		c.ip = fmt.Sprintf("192.0.2.%d", 100+i) // each its own address
		if r, ok := roleOf[a]; ok {
			c.useRole(r)
		}
		w.clients[a] = c
	}
}

// runAccessMatrix sends every row as every actor, on own and other objects,
// and reports every 2xx the row does not allow.
func runAccessMatrix(t *testing.T, w *accessWorld, rows []accessRow) {
	t.Helper()
	for _, row := range rows {
		for _, a := range actors {
			for _, own := range []bool{true, false} {
				path := row.route
				if row.path != nil {
					path = row.path(w, a, own)
				} else if !own {
					continue // no object: own and other are the same request
				}
				c := w.clients[a]
				var rec interface{ Result() *http.Response }
				if row.method == http.MethodGet {
					rec = c.get(path)
				} else {
					form := url.Values{}
					for k, v := range row.form {
						form[k] = v
					}
					if c.cookie != "" {
						form.Set(csrfField, c.csrf())
					}
					rec = c.post(path, form)
				}
				status := rec.Result().StatusCode
				ok := status >= 200 && status < 300
				if ok && !(own && row.allows(a)) {
					t.Errorf("%s %s as %s (own organisation: %v): unexpected %d", row.method, path, a, own, status)
				}
				if status >= 500 {
					t.Errorf("%s %s as %s: %d", row.method, path, a, status)
				}
			}
		}
		if row.signsOut {
			w.signIn()
		}
	}
}

func TestAccessMatrix(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		examplePersonRoute(h)
		w := newAccessWorld(t, h)
		runAccessMatrix(t, w, accessRows)

		// The example row's expected refusals, exactly: another
		// organisation's id is 404, a leader 403, anonymous to sign-in.
		for a, want := range map[actor]int{adminX: http.StatusNotFound, adminY: http.StatusNotFound} {
			if got := w.clients[a].get("/test/people/" + w.personFor(a, false).ID).Code; got != want {
				t.Errorf("%s on the other organisation's person: %d, want %d", a, got, want)
			}
		}
		if got := w.clients[leaderA].get("/test/people/" + w.personFor(leaderA, true).ID).Code; got != http.StatusForbidden {
			t.Errorf("leader on an admin page: %d", got)
		}
		if got := w.clients[anonymous].get("/test/people/x").Code; got != http.StatusSeeOther {
			t.Errorf("anonymous on an admin page: %d", got)
		}
		for _, a := range []actor{leaderA, leaderB} {
			rec := w.clients[a].get("/test/me")
			if want := "Leader " + actorEmails[a]; rec.Code != http.StatusOK || rec.Body.String() != want {
				t.Errorf("%s on their own page: %d %q, want %q", a, rec.Code, rec.Body.String(), want)
			}
		}
		if got := w.clients[adminX].get("/test/me").Code; got != http.StatusForbidden {
			t.Errorf("admin on a leader page: %d", got)
		}
	})
}

// Every registered route has a row, so a new route cannot skip the matrix.
func TestEveryRouteHasAnAccessRow(t *testing.T) {
	t.Parallel()
	srv, err := NewServer(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, r := range accessRows {
		covered[r.method+" "+r.route] = true
	}
	for _, r := range srv.Routes().Routes() {
		key := r.Method + " " + r.Path
		if covered[key] || !inAccessScope(r.Path) {
			continue
		}
		t.Errorf("route %s has no row in accessRows", key)
	}
}

// inAccessScope leaves out what has its own tests: probes, static files,
// survey links (capabilities, not logins; TRUST.md S2) and the API's
// operations, which take tokens, not sessions (TestAPIAccessMatrix; its
// public document and reference page have rows here).
func inAccessScope(path string) bool {
	switch {
	case path == "/healthz", path == "/readyz", path == "/s", strings.HasPrefix(path, "/s/"), strings.HasPrefix(path, "/static"):
		return false
	case path == apiBase || strings.HasPrefix(path, apiBase+"/"):
		return path == apiBase+"/openapi.json" || path == apiBase+"/docs"
	}
	return true
}
