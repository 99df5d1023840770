package api

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/lead360/lead360/templates"
)

// Routes builds the Echo instance: this is the one file that lists routes and
// middleware.
func (s *Server) Routes() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.errorHandler
	// The server answers clients directly unless a proxy is configured, so the
	// client address is the connection's, never a spoofable header.
	e.IPExtractor = echo.ExtractIPDirect()

	e.Use(middleware.RequestID())
	e.Use(s.requestLog)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisablePrintStack: true, LogErrorFunc: s.logPanic}))
	e.Use(middleware.BodyLimit("2M"))
	e.Use(securityHeaders(s.behindTLS))
	// CSRF, first layer, for every route (csrf.go); the second layer, the
	// session's form token, is checked by requireUser/Admin/Leader.
	e.Use(s.crossOrigin)
	e.Use(s.sessions.loadExcept("/static/", "/s/", "/healthz", "/readyz"))

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/", s.home)
	e.StaticFS("/static", templates.Static())

	// Survey links: a per-address rate limit and no-store/no-referrer
	// headers on every page behind a token.
	sv := e.Group("/s", s.surveyLimit(), surveyHeaders)
	sv.Match([]string{http.MethodGet, http.MethodHead}, "/:token", s.surveyPage)
	sv.POST("/:token", s.surveySave)
	sv.POST("/:token/autosave", s.surveyAutosave)
	sv.Match([]string{http.MethodGet, http.MethodHead}, "/:token/done", s.surveyDone)

	// Dashboard accounts (auth.go, setup.go, password.go, dashboard.go).
	// Signed-in routes carry requireUser, requireAdmin or requireLeader.
	e.GET("/login", s.loginPage)
	e.POST("/login", s.login)
	e.POST("/logout", s.logout, s.requireUser)
	e.GET("/setup", s.setupPage)
	e.POST("/setup", s.setup)
	e.GET("/password/forgot", s.forgotPage)
	e.POST("/password/forgot", s.forgot)
	e.GET("/password/reset/:token", s.resetPage)
	e.POST("/password/reset/:token", s.reset)
	e.GET("/dashboard", s.dashboard, s.requireUser)
	return e
}

// securityHeaders sets the headers TRUST.md asks for on every page: no
// third-party content, no framing, no referrer leaking survey tokens.
// HSTS is sent behind TLS: a TLS connection, or a public https base URL
// when a proxy terminates TLS.
func securityHeaders(behindTLS bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "no-referrer")
			h.Set("X-Frame-Options", "DENY")
			if behindTLS || c.IsTLS() {
				h.Set("Strict-Transport-Security", "max-age=31536000")
			}
			return next(c)
		}
	}
}

// requestLog writes one structured line per request; survey tokens are masked
// because the path is a capability.
func (s *Server) requestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req := c.Request()
		s.log.LogAttrs(req.Context(), slog.LevelInfo, "request",
			slog.String("method", req.Method),
			slog.String("path", MaskToken(req.URL.Path)),
			slog.Int("status", c.Response().Status),
			slog.Duration("took", time.Since(start)),
			slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
		)
		return nil
	}
}

func (s *Server) logPanic(c echo.Context, err error, stack []byte) error {
	s.log.ErrorContext(c.Request().Context(), "panic", slog.Any("err", err), slog.String("stack", string(stack)))
	return echo.NewHTTPError(http.StatusInternalServerError)
}

// MaskToken hides the token of a survey path (/s/<token>...) or a
// password link (/password/reset/<token>) for logs.
func MaskToken(path string) string {
	for _, prefix := range []string{"/s/", "/password/reset/"} {
		if len(path) > len(prefix) && path[:len(prefix)] == prefix {
			return prefix + "****"
		}
	}
	return path
}
