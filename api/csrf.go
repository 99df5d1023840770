package api

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

// CSRF protection has two layers, both configured here rather than left to
// middleware defaults:
//
//  1. crossOriginGuard, on every route: a state-changing request that a
//     browser marks as coming from another site (Sec-Fetch-Site), or whose
//     Origin is not this host, is refused. This covers the forms used
//     before sign-in (login, setup, password links) and the survey.
//  2. checkCSRFToken, on every signed-in route: an unsafe request must carry
//     the session's form token (csrf_token field, or X-CSRF-Token header
//     for scripts), so even a same-site attacker cannot post for the user.

// Form token field and header names.
const (
	csrfField  = "csrf_token"
	csrfHeader = "X-CSRF-Token"
)

// newCrossOriginGuard builds the first layer on net/http's
// CrossOriginProtection. The configured base URL's origin is trusted as
// well, for a proxy that rewrites the Host header.
func newCrossOriginGuard(baseURL string) (echo.MiddlewareFunc, error) {
	p := http.NewCrossOriginProtection()
	if baseURL != "" {
		u, err := url.Parse(baseURL)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("base URL %q: not an absolute URL", baseURL)
		}
		if err := p.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			return nil, fmt.Errorf("trust origin of %q: %w", baseURL, err)
		}
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := p.Check(c.Request()); err != nil {
				return echo.NewHTTPError(http.StatusForbidden, "This form was sent from another website, so it was refused. Open lead360 directly and try again.")
			}
			return next(c)
		}
	}, nil
}

// checkCSRFToken is the second layer, run by requireRole after the session
// is known to belong to a user.
func (s *Server) checkCSRFToken(c echo.Context) error {
	switch c.Request().Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	want := s.sessions.csrfToken(c)
	got := c.Request().Header.Get(csrfHeader)
	if got == "" {
		got = c.FormValue(csrfField)
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return echo.NewHTTPError(http.StatusForbidden, "This form has expired. Go back, reload the page and try again.")
	}
	return nil
}
