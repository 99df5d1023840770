package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/api"
	"github.com/lead360/lead360/assessment"
)

func newTestServer(t *testing.T, ping func(context.Context) error) (*api.Server, *echo.Echo) {
	t.Helper()
	srv, err := api.NewServer(api.Deps{Ping: ping, Threshold: 3})
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	return srv, srv.Routes()
}

func do(e *echo.Echo, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	dbUp := true
	srv, e := newTestServer(t, func(context.Context) error {
		if dbUp {
			return nil
		}
		return errors.New("connection refused")
	})
	if rec := do(e, http.MethodGet, "/healthz"); rec.Code != http.StatusOK {
		t.Fatalf("healthz: %d", rec.Code)
	}
	if rec := do(e, http.MethodGet, "/readyz"); rec.Code != http.StatusOK {
		t.Fatalf("readyz with the database up: %d", rec.Code)
	}
	dbUp = false
	if rec := do(e, http.MethodGet, "/readyz"); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("readyz with the database down: %d", rec.Code)
	}
	if rec := do(e, http.MethodGet, "/healthz"); rec.Code != http.StatusOK {
		t.Fatalf("healthz must not depend on the database: %d", rec.Code)
	}
	dbUp = true
	srv.Drain()
	if rec := do(e, http.MethodGet, "/readyz"); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("readyz while draining: %d", rec.Code)
	}
}

func TestHomePageSaysWhatLead360IsAndLinksToLogin(t *testing.T) {
	t.Parallel()
	_, e := newTestServer(t, func(context.Context) error { return nil })
	rec := do(e, http.MethodGet, "/")
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "360-degree") || !strings.Contains(body, `href="/login"`) {
		t.Fatalf("home: %d\n%s", rec.Code, body)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
		if rec.Header().Get(h) == "" {
			t.Errorf("home page lacks %s", h)
		}
	}
}

// Domain errors reach people as their message with the mapped status; under
// /api/ as JSON; anything unexpected as a plain 500 without internals.
func TestErrorHandlerMapsDomainCodes(t *testing.T) {
	t.Parallel()
	_, e := newTestServer(t, func(context.Context) error { return nil })
	tests := []struct {
		err    error
		status int
		shows  string
	}{
		{assessment.Errorf(assessment.CodeInvalid, "the name is missing"), http.StatusUnprocessableEntity, "the name is missing"},
		{assessment.Errorf(assessment.CodeNotFound, "no such cycle"), http.StatusNotFound, "no such cycle"},
		{assessment.Errorf(assessment.CodeConflict, "changed elsewhere"), http.StatusConflict, "changed elsewhere"},
		{assessment.Errorf(assessment.CodeForbidden, "not yours"), http.StatusForbidden, "not yours"},
		{assessment.Errorf(assessment.CodeGone, "closed"), http.StatusGone, "closed"},
		{errors.New("pq: secret internal detail"), http.StatusInternalServerError, "could not complete"},
	}
	for i, tc := range tests {
		path := "/boom" + string(rune('a'+i))
		e.GET(path, func(echo.Context) error { return tc.err })
		e.GET("/api"+path, func(echo.Context) error { return tc.err })
		rec := do(e, http.MethodGet, path)
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.shows) {
			t.Errorf("%v: %d, body lacks %q", tc.err, rec.Code, tc.shows)
		}
		if strings.Contains(rec.Body.String(), "secret internal") {
			t.Errorf("internal error text leaked to the page")
		}
		rec = do(e, http.MethodGet, "/api"+path)
		if rec.Code != tc.status || !strings.HasPrefix(rec.Header().Get(echo.HeaderContentType), echo.MIMEApplicationJSON) {
			t.Errorf("/api%s: %d %s", path, rec.Code, rec.Header().Get(echo.HeaderContentType))
		}
	}
	if rec := do(e, http.MethodGet, "/no/such/page"); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "Page not found") {
		t.Errorf("unknown path: %d", rec.Code)
	}
}

// While the database does not answer, an unexpected error is an outage,
// not a bug: 503 with words and a Retry-After, as a page or as JSON for the
// survey's autosave (which tries again). Domain errors keep their status.
func TestDatabaseOutageAnswers503(t *testing.T) {
	t.Parallel()
	_, e := newTestServer(t, func(context.Context) error { return errors.New("dial tcp 127.0.0.1:5432: connection refused") })
	e.GET("/query", func(echo.Context) error { return errors.New("load cycle: connection refused") })
	e.GET("/missing", func(echo.Context) error { return assessment.Errorf(assessment.CodeNotFound, "no such cycle") })
	rec := do(e, http.MethodGet, "/query")
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(rec.Body.String(), "cannot reach its database") || strings.Contains(rec.Body.String(), "connection refused") {
		t.Errorf("outage page: %d, Retry-After %q\n%.300s", rec.Code, rec.Header().Get("Retry-After"), rec.Body.String())
	}
	req := httptest.NewRequest(http.MethodGet, "/query", nil)
	req.Header.Set(echo.HeaderAccept, echo.MIMEApplicationJSON)
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || !strings.HasPrefix(rec.Header().Get(echo.HeaderContentType), echo.MIMEApplicationJSON) {
		t.Errorf("outage JSON: %d %s", rec.Code, rec.Header().Get(echo.HeaderContentType))
	}
	if rec := do(e, http.MethodGet, "/missing"); rec.Code != http.StatusNotFound {
		t.Errorf("a domain error during an outage: %d, want its own 404", rec.Code)
	}
}

func TestPanicsBecomeA500Page(t *testing.T) {
	t.Parallel()
	_, e := newTestServer(t, func(context.Context) error { return nil })
	e.GET("/panic", func(echo.Context) error { panic("kaboom") })
	rec := do(e, http.MethodGet, "/panic")
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "kaboom") {
		t.Fatalf("panic: %d %q", rec.Code, rec.Body.String())
	}
}

func TestMaskTokenHidesSurveyTokens(t *testing.T) {
	t.Parallel()
	if got := api.MaskToken("/s/abcdefSECRET"); strings.Contains(got, "SECRET") {
		t.Fatalf("MaskToken leaked the token: %s", got)
	}
	if got := api.MaskToken("/dashboard"); got != "/dashboard" {
		t.Fatalf("MaskToken changed an ordinary path: %s", got)
	}
}
