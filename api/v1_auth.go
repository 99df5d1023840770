package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// tokenKey holds the request's API token in the Echo context.
const tokenKey = "api_token"

// requireToken lets a request through /api/v1 only with a live API token
// (Authorization: Bearer l360_...): 401 without one or with one that opens
// nothing (the same answer for malformed, unknown and revoked, and those
// tries are limited per client address), 429 past the token's own limit,
// 403 for a change with a read token. The token is never logged: the
// request log has the path only, and the token is not in it.
func (s *Server) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Cache-Control", "no-store")
		raw, ok := bearerToken(c.Request().Header.Get(echo.HeaderAuthorization))
		if !ok {
			h.Set(echo.HeaderWWWAuthenticate, `Bearer realm="lead360"`)
			return echo.NewHTTPError(http.StatusUnauthorized, "Send an API token: Authorization: Bearer l360_...")
		}
		ctx, ip := c.Request().Context(), clientKey(c.RealIP())
		ok, wait, err := s.limits.apiBadToken.allowed(ctx, ip)
		if err != nil {
			return err
		}
		if !ok {
			retryAfter(h, wait)
			return echo.NewHTTPError(http.StatusTooManyRequests, "Too many requests with tokens that are not valid from this address: wait a moment.")
		}
		tok, err := s.svc.AuthenticateAPIToken(ctx, raw)
		if assessment.ErrorCode(err) == assessment.CodeForbidden {
			if ferr := s.limits.apiBadToken.fail(ctx, ip); ferr != nil {
				return ferr
			}
			h.Set(echo.HeaderWWWAuthenticate, `Bearer realm="lead360", error="invalid_token"`)
			return echo.NewHTTPError(http.StatusUnauthorized, err.Error())
		}
		if err != nil {
			return err
		}
		ok, wait, err = s.limits.apiToken.take(ctx, tok.ID)
		if err != nil {
			return err
		}
		if !ok {
			retryAfter(h, wait)
			return echo.NewHTTPError(http.StatusTooManyRequests, "This token sent too many requests: wait as Retry-After says.")
		}
		if m := c.Request().Method; !tok.CanWrite() && m != http.MethodGet && m != http.MethodHead {
			return echo.NewHTTPError(http.StatusForbidden, "This token may only read: an admin can make a write token.")
		}
		if !wellFormedIDs(c) {
			return echo.ErrNotFound
		}
		c.Set(tokenKey, tok)
		return next(c)
	}
}

// bearerToken is the token of an Authorization header, "Bearer TOKEN"
// (the scheme in any case, RFC 9110).
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// apiToken is the request's token (requireToken put it there).
func apiToken(c echo.Context) assessment.APIToken {
	t, _ := c.Get(tokenKey).(assessment.APIToken)
	return t
}

// asToken is the service as the request's token uses it: every audit entry
// it records, its use cases' own included, names the token (the token has
// no account, as an operator at the command line has none).
func (s *Server) asToken(c echo.Context) (*assessment.Service, string) {
	t := apiToken(c)
	return s.svc.ByOperator(fmt.Sprintf("API token %q", t.Name)), t.OrganizationID
}
