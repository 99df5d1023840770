package api

import (
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/lead360/lead360/templates"
)

// Routes builds the Echo instance: this is the one file that lists routes and
// middleware. Routes are registered in groups, one function per group, in
// this order.
func (s *Server) Routes() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.errorHandler
	e.IPExtractor = clientAddress(s.deps.TrustedProxies)

	e.Use(middleware.RequestID())
	e.Use(s.requestLog)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisablePrintStack: true, LogErrorFunc: s.logPanic}))
	e.Use(middleware.BodyLimit("2M"))
	e.Use(securityHeaders(s.behindTLS))
	// CSRF, first layer, for every route (csrf.go); the second layer, the
	// session's form token, is checked by requireUser/Admin/Leader.
	e.Use(s.crossOrigin)
	// The API authenticates each request by its token, never a session.
	e.Use(s.sessions.loadExcept("/static/", "/s/", "/healthz", "/readyz", apiBase+"/"))

	e.GET("/healthz", s.healthz)
	if s.deps.Metrics != nil && s.deps.MetricsOnMain {
		e.GET("/metrics", onlyLoopback(s.deps.Metrics.Handler()))
	}
	e.GET("/readyz", s.readyz)
	e.GET("/", s.home)
	e.StaticFS("/static", templates.Static())

	s.surveyRoutes(e)
	s.accountRoutes(e)
	s.cycleRoutes(e)
	s.resultRoutes(e)
	s.invitationRoutes(e)
	s.apiRoutes(e)
	return e
}

// surveyRoutes are the survey links: a per-address rate limit and
// no-store/no-referrer headers on every page behind a token.
func (s *Server) surveyRoutes(e *echo.Echo) {
	sv := e.Group("/s", s.surveyLimit(), surveyHeaders)
	sv.Match([]string{http.MethodGet, http.MethodHead}, "/:token", s.surveyPage)
	sv.POST("/:token", s.surveySave)
	sv.POST("/:token/autosave", s.surveyAutosave)
	sv.Match([]string{http.MethodGet, http.MethodHead}, "/:token/done", s.surveyDone)
}

// accountRoutes are the dashboard accounts (auth.go, setup.go, password.go,
// dashboard.go), the role in use (roles.go), the admins (admins.go) and
// the API tokens (tokens.go) and the webhooks (webhooks.go). Signed-in routes carry requireUser, requireAdmin or
// requireLeader.
func (s *Server) accountRoutes(e *echo.Echo) {
	e.GET("/login", s.loginPage)
	e.POST("/login", s.login)
	e.GET("/login/organization", s.choosePage)
	e.POST("/login/organization", s.choose)
	e.POST("/logout", s.logout, s.requireUser)
	e.GET("/setup", s.setupPage)
	e.POST("/setup", s.setup)
	e.GET("/password/forgot", s.forgotPage)
	e.POST("/password/forgot", s.forgot)
	e.GET("/password/reset/:token", s.resetPage)
	e.POST("/password/reset/:token", s.reset)
	e.GET("/dashboard", s.dashboard, s.requireUser)
	e.GET("/role", s.rolePage, s.requireUser)
	e.POST("/role", s.useRole, s.requireUser)
	e.GET("/org/admins", s.adminsPage, s.requireAdmin)
	e.POST("/org/admins", s.inviteAdmin, s.requireAdmin)
	e.POST("/org/admins/:uid/remove", s.removeAdmin, s.requireAdmin)
	e.GET("/org/tokens", s.tokensPage, s.requireAdmin)
	e.POST("/org/tokens", s.createToken, s.requireAdmin)
	e.POST("/org/tokens/:tid/revoke", s.revokeToken, s.requireAdmin)
	e.GET("/org/webhooks", s.webhooksPage, s.requireAdmin)
	e.POST("/org/webhooks", s.createWebhook, s.requireAdmin)
	e.POST("/org/webhooks/:wid/disable", s.disableWebhook, s.requireAdmin)
	e.POST("/org/webhooks/:wid/remove", s.removeWebhook, s.requireAdmin)
	e.POST("/org/webhooks/:wid/rotate", s.rotateWebhookSecret, s.requireAdmin)
}

// cycleRoutes are cycle administration (cycles.go, cycle_copy.go, import.go, progress.go):
// admins only, every id scoped by the admin's organisation.
func (s *Server) cycleRoutes(e *echo.Echo) {
	e.GET("/cycles", s.cyclesList, s.requireAdmin)
	e.GET("/cycles/new", s.cycleNewPage, s.requireAdmin)
	e.POST("/cycles/new", s.cycleCreate, s.requireAdmin)
	e.GET("/cycles/:id", s.cyclePage, s.requireAdmin)
	e.GET("/cycles/:id/edit", s.cycleEditPage, s.requireAdmin)
	e.POST("/cycles/:id/edit", s.cycleEdit, s.requireAdmin)
	e.POST("/cycles/:id/participants", s.cycleAddLeader, s.requireAdmin)
	e.POST("/cycles/:id/participants/:pid/remove", s.cycleRemoveLeader, s.requireAdmin)
	e.POST("/cycles/:id/participants/:pid/raters", s.cycleAddRater, s.requireAdmin)
	e.POST("/cycles/:id/participants/:pid/raters/:aid/remove", s.cycleRemoveRater, s.requireAdmin)
	e.GET("/cycles/:id/import", s.importPage, s.requireAdmin)
	e.POST("/cycles/:id/import", s.importPreview, s.requireAdmin)
	e.POST("/cycles/:id/import/confirm", s.importConfirm, s.requireAdmin)
	e.POST("/cycles/:id/open", s.cycleOpen, s.requireAdmin)
	e.GET("/cycles/:id/progress", s.progressPage, s.requireAdmin)
	e.POST("/cycles/:id/remind", s.remindNow, s.requireAdmin)
	e.POST("/cycles/:id/leaders/:pid/remind", s.remindLeader, s.requireAdmin)
	e.POST("/cycles/:id/extend", s.cycleExtend, s.requireAdmin)
	e.POST("/cycles/:id/close", s.cycleClose, s.requireAdmin)
	e.POST("/cycles/:id/delete", s.cycleDelete, s.requireAdmin)
	e.GET("/cycles/:id/copy", s.cycleCopyPage, s.requireAdmin)
	e.POST("/cycles/:id/copy", s.cycleCopy, s.requireAdmin)
}

// resultRoutes are the results (results.go, org.go, audit.go, leader.go):
// nothing before release, for anyone; leaders reach only their own
// participation.
func (s *Server) resultRoutes(e *echo.Echo) {
	e.POST("/cycles/:id/release", s.releaseCycle, s.requireAdmin)
	e.GET("/cycles/:id/results", s.resultsIndex, s.requireAdmin)
	e.GET("/cycles/:id/results.csv", s.resultsCSV, s.requireAdmin)
	e.GET("/cycles/:id/leaders.csv", s.resultsTableCSV, s.requireAdmin)
	e.GET("/cycles/:id/results/:pid", s.resultsLeader, s.requireAdmin)
	e.GET("/cycles/:id/results/:pid/report.pdf", s.resultsPDF, s.requireAdmin)
	e.POST("/cycles/:id/reports", s.queueReports, s.requireAdmin)
	e.GET("/cycles/:id/reports/:bid", s.reportBatchPage, s.requireAdmin)
	e.GET("/cycles/:id/reports/:bid/reports.zip", s.reportBatchZip, s.requireAdmin)
	e.GET("/org", s.orgPage, s.requireAdmin)
	e.GET("/audit", s.auditPage, s.requireAdmin)
	e.GET("/me", s.leaderHome, s.requireLeader)
	e.GET("/me/cycles/:id", s.leaderResults, s.requireLeader)
	e.GET("/me/cycles/:id/report.pdf", s.leaderPDF, s.requireLeader)
	e.GET("/me/cycles/:id/plan", s.planPage, s.requireLeader)
	e.POST("/me/cycles/:id/plan", s.savePlan, s.requireLeader)
}

// invitationRoutes are invitation management and nominations
// (invitations.go, exclusions.go, nominations.go, nominations_invite.go,
// domains.go, contact.go): HR per cycle, its organisation's email domains
// and contact; leaders only their own list, found
// from the signed-in person.
func (s *Server) invitationRoutes(e *echo.Echo) {
	e.GET("/cycles/:id/invitations", s.invitationsPage, s.requireAdmin)
	e.POST("/cycles/:id/invitations/:iid/resend", s.resendInvitation, s.requireAdmin, s.notOwnInvitation)
	e.POST("/cycles/:id/invitations/:iid/revoke", s.revokeInvitation, s.requireAdmin, s.notOwnInvitation)
	e.GET("/cycles/:id/invitations/:iid/exclude", s.excludePage, s.requireAdmin, s.notOwnInvitation)
	e.POST("/cycles/:id/invitations/:iid/exclude", s.excludeResponse, s.requireAdmin, s.notOwnInvitation)
	e.GET("/cycles/:id/nominations", s.nominationsReview, s.requireAdmin)
	e.POST("/cycles/:id/nominations", s.addNomination, s.requireAdmin)
	e.POST("/cycles/:id/nominations/approve", s.approveNominations, s.requireAdmin)
	e.POST("/cycles/:id/nominations/invite", s.inviteToNominate, s.requireAdmin)
	e.POST("/cycles/:id/nominations/:nid/remove", s.removeNomination, s.requireAdmin)
	e.GET("/org/domains", s.domainsPage, s.requireAdmin)
	e.POST("/org/domains", s.saveDomains, s.requireAdmin)
	e.GET("/org/contact", s.contactPage, s.requireAdmin)
	e.POST("/org/contact", s.saveContact, s.requireAdmin)
	e.GET("/me/nominations", s.myNominationsIndex, s.requireLeader)
	e.GET("/me/nominations/:cycleID", s.myNominations, s.requireLeader)
	e.POST("/me/nominations/:cycleID", s.saveMyNominations, s.requireLeader)
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
		if s.deps.Metrics != nil {
			s.deps.Metrics.observe(c, time.Since(start))
		}
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

// clientAddress is how the server tells clients apart for its limits. With
// no trusted proxy it is the connection's address, never a header a client
// could forge. Behind proxies it is the nearest address in X-Forwarded-For
// that is not one of them: echo's private, loopback and link-local
// defaults are turned off, so only the configured proxies are believed.
func clientAddress(proxies []*net.IPNet) echo.IPExtractor {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect()
	}
	trust := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range proxies {
		trust = append(trust, echo.TrustIPRange(p))
	}
	return echo.ExtractIPFromXFFHeader(trust...)
}
