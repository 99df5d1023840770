package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// Test harness for the account pages: a real server over a real database,
// clients that keep their session cookie like a browser, and a mailer that
// keeps the password links. Accounts made here have testPassword, hashed at
// a fixture's cost (assessmenttest.PasswordHash).

const (
	testBaseURL  = "http://lead360.test"
	testPassword = "plum tree river lantern"
)

type harness struct {
	t        testing.TB
	fx       *assessmenttest.Fixture
	accounts *assessment.Accounts
	mail     *assessmenttest.AccountMails
	// jobs stands in for the job queue: password-reset requests wait here
	// until the test works them (workJobs).
	jobs *assessmenttest.JobTable
	srv  *Server
	e    *echo.Echo
}

func newHarness(t testing.TB, eng assessmenttest.Engine) *harness {
	t.Helper()
	fx := assessmenttest.NewFixture(t, eng)
	mail := &assessmenttest.AccountMails{}
	accounts := assessment.NewAccounts(fx.Service, testBaseURL, mail)
	srv, err := NewServer(Deps{Service: fx.Service, Accounts: accounts, BaseURL: testBaseURL,
		Ping: func(context.Context) error { return nil }, Threshold: 3,
		Logger: slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	return &harness{t: t, fx: fx, accounts: accounts, mail: mail, jobs: fx.JobTable(), srv: srv, e: srv.Routes()}
}

// workJobs works the password-reset requests recorded so far, as the
// queue would after the page answered.
func (h *harness) workJobs() {
	h.t.Helper()
	h.jobs.WorkPasswordResets(h.t, h.accounts)
}

// testLog shows the server's warnings and errors with the test's output.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// user creates an account in the organisation with testPassword and the
// roles; a leader is linked to a new person of the same address.
func (h *harness) user(orgID, email string, roles ...assessment.Role) assessment.User {
	h.t.Helper()
	u := assessment.User{OrganizationID: orgID, Email: email, Roles: roles, PasswordHash: assessmenttest.PasswordHash(testPassword), CreatedAt: h.fx.Clock.Now()}
	if u.Has(assessment.RoleLeader) {
		p := assessment.Person{OrganizationID: orgID, Name: "Leader " + email, Email: email, CreatedAt: h.fx.Clock.Now()}
		if err := h.fx.Store.SavePerson(context.Background(), &p); err != nil {
			h.t.Fatalf("person %s: %v", email, err)
		}
		u.PersonID = p.ID
	}
	if err := h.fx.Store.CreateUser(context.Background(), &u); err != nil {
		h.t.Fatalf("user %s: %v", email, err)
	}
	return u
}

// setPassword gives an existing account the test password, as the link of
// its invitation would.
func (h *harness) setPassword(orgID, email string) {
	h.t.Helper()
	ctx := context.Background()
	u, err := h.fx.Store.UserByEmail(ctx, orgID, email)
	if err != nil {
		h.t.Fatalf("user %s: %v", email, err)
	}
	if err := h.fx.Store.SetPasswordHash(ctx, u.ID, assessmenttest.PasswordHash(testPassword)); err != nil {
		h.t.Fatalf("password of %s: %v", email, err)
	}
}

// org creates a second organisation.
func (h *harness) org(name string) assessment.Organization {
	h.t.Helper()
	o, err := h.fx.Service.CreateOrganization(context.Background(), name)
	if err != nil {
		h.t.Fatalf("organisation %s: %v", name, err)
	}
	return o
}

// client is one browser: its address and its session cookie.
type client struct {
	h      *harness
	ip     string
	cookie string
}

func (h *harness) client() *client { return &client{h: h, ip: "192.0.2.10"} }

// signedIn is a client signed in as email with testPassword.
func (h *harness) signedIn(email string) *client {
	h.t.Helper()
	c := h.client()
	if rec := c.post("/login", url.Values{"email": {email}, "password": {testPassword}}); rec.Code != http.StatusSeeOther {
		h.t.Fatalf("sign in %s: %d\n%s", email, rec.Code, rec.Body)
	}
	return c
}

// useRole switches the client's session to a role of its account, as the
// role choice after sign-in does.
func (c *client) useRole(r assessment.Role) {
	c.h.t.Helper()
	if rec := c.post("/role", url.Values{"role": {string(r)}, csrfField: {c.csrf()}}); rec.Code != http.StatusSeeOther {
		c.h.t.Fatalf("use the %s role: %d\n%s", r, rec.Code, rec.Body)
	}
}

// get sends a GET as a browser would.
func (c *client) get(path string) *httptest.ResponseRecorder {
	return c.send(httptest.NewRequest(http.MethodGet, path, nil))
}

// formRequest is a form POST without any browser headers.
func formRequest(path string, form url.Values) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
	return req
}

// httpGet asks a server for a page without a client.
func httpGet(s *Server, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.Routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

// post sends a same-origin form POST, with the session's form token when
// the client has seen one.
func (c *client) post(path string, form url.Values) *httptest.ResponseRecorder {
	req := formRequest(path, form)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.send(req)
}

// send adds the cookie and the client address, and keeps the cookie the
// server sets or clears.
func (c *client) send(req *http.Request) *httptest.ResponseRecorder {
	req.RemoteAddr = c.ip + ":4711"
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: c.cookie})
	}
	rec := httptest.NewRecorder()
	c.h.e.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.Name != SessionCookie {
			continue
		}
		if ck.MaxAge < 0 || ck.Value == "" {
			c.cookie = ""
		} else {
			c.cookie = ck.Value
		}
	}
	return rec
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf reads the form token from a signed-in page: the dashboard, or the
// role choice it sends an account with both roles to first.
func (c *client) csrf() string {
	c.h.t.Helper()
	rec := c.get("/dashboard")
	if loc := rec.Header().Get("Location"); rec.Code == http.StatusSeeOther && strings.HasPrefix(loc, "/role") {
		rec = c.get(loc)
	}
	m := csrfInput.FindStringSubmatch(rec.Body.String())
	if m == nil {
		c.h.t.Fatalf("no form token on /dashboard (%d)", rec.Code)
	}
	return m[1]
}

// isSignedIn reports whether the client's cookie opens the dashboard.
func (c *client) isSignedIn() bool {
	rec := c.get("/dashboard")
	switch {
	case rec.Code == http.StatusOK:
		return true
	case rec.Code == http.StatusSeeOther && strings.HasPrefix(rec.Header().Get("Location"), "/login"):
		return false
	}
	c.h.t.Fatalf("GET /dashboard: unexpected %d", rec.Code)
	return false
}

// linkPath is the path of an emailed link.
func linkPath(t testing.TB, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, testBaseURL+"/password/reset/") {
		t.Fatalf("link %q is not a reset link on the base URL", link)
	}
	return u.Path
}
