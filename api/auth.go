package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// Access control. Every dashboard route is registered with one of
// requireUser, requireAdmin or requireLeader; handlers then read the user
// with currentUser and scope every lookup by its organisation (the store
// answers another organisation's id with "not found").

const userKey = "lead360.user"

// currentUser is the signed-in user put in the context by requireUser,
// requireAdmin or requireLeader.
func currentUser(c echo.Context) (assessment.User, bool) {
	u, ok := c.Get(userKey).(assessment.User)
	return u, ok
}

// requireUser lets any signed-in user through.
func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc { return s.requireRole()(next) }

// requireAdmin lets an organisation's admins through.
func (s *Server) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return s.requireRole(assessment.RoleAdmin)(next)
}

// requireLeader lets leaders through: their own participation only.
func (s *Server) requireLeader(next echo.HandlerFunc) echo.HandlerFunc {
	return s.requireRole(assessment.RoleLeader)(next)
}

// requireRole loads the session's user, refuses anyone else (a redirect to
// the sign-in page for pages, 401 under /api/), checks the role (403) and
// the form token of state-changing requests (403). Signed-in pages are
// never cached: they show an organisation's data.
func (s *Server) requireRole(roles ...assessment.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Set("Cache-Control", "no-store")
			u, ok, err := s.sessionUser(c)
			if err != nil {
				return err
			}
			if !ok {
				return signInFirst(c)
			}
			inUse := s.roleInUse(c, u)
			if len(roles) > 0 && !slices.Contains(roles, inUse) {
				return wrongRole(c, u, inUse, roles)
			}
			if err := s.checkCSRFToken(c); err != nil {
				return err
			}
			if !wellFormedIDs(c) {
				return echo.ErrNotFound
			}
			c.Set(userKey, u)
			c.Set(roleKey, inUse)
			return next(c)
		}
	}
}

// wellFormedIDs reports whether every id parameter of the path (":id",
// ":pid", ":cycleID"...; tokens are not ids) can be an id. Every id is a
// UUID, so a path that fails names nothing and is "not found" before any
// query: a NUL byte or 10,000 digits would otherwise reach PostgreSQL, which
// refuses them with an error instead of finding no rows (TRUST.md S5). It
// runs after the sign-in and role checks, so they answer first.
func wellFormedIDs(c echo.Context) bool {
	for i, name := range c.ParamNames() {
		if strings.HasSuffix(strings.ToLower(name), "id") && wellFormedID(c.ParamValues()[i]) != nil {
			return false
		}
	}
	return true
}

// wellFormedID is nil when id can be an id (a UUID).
func wellFormedID(id string) error { return uuid.Validate(id) }

// sessionUser loads the account the session names. An account deleted
// since sign-in, or left without a role, ends the session.
func (s *Server) sessionUser(c echo.Context) (assessment.User, bool, error) {
	id := s.sessions.userID(c)
	if id == "" {
		return assessment.User{}, false, nil
	}
	u, err := s.accounts.User(c.Request().Context(), id)
	if assessment.ErrorCode(err) == assessment.CodeNotFound || (err == nil && len(u.Roles) == 0) {
		return assessment.User{}, false, s.sessions.signOut(c)
	}
	if err != nil {
		return assessment.User{}, false, err
	}
	return u, true, nil
}

// signInFirst answers an anonymous request for a signed-in route.
func signInFirst(c echo.Context) error {
	req := c.Request()
	if strings.HasPrefix(req.URL.Path, "/api/") {
		return echo.NewHTTPError(http.StatusUnauthorized, "Sign in first.")
	}
	target := "/login"
	if req.Method == http.MethodGet {
		target += "?next=" + url.QueryEscape(req.URL.RequestURI())
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// safeNext is where to go after sign-in: a path on this site, never another
// site ("//evil.example", "/\evil.example", "https://...").
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/dashboard"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/dashboard"
	}
	return next
}

// page is the part of every view model the layout needs: who is signed in
// (for the navigation) and the session's form token.
type page struct {
	User *userView
	CSRF string
}

type userView struct {
	Email string
	Name  string
	// Admin is true when the role in use is admin.
	Admin bool
	// Switch is the other role of an account that holds both, and
	// SwitchLabel the header's button to use it.
	Switch      assessment.Role
	SwitchLabel string
}

// pageFor fills the layout's part of a view for the request.
func (s *Server) pageFor(c echo.Context) page {
	u, ok := currentUser(c)
	if !ok {
		return page{}
	}
	inUse := currentRole(c)
	v := &userView{Email: u.Email, Name: u.Name, Admin: inUse == assessment.RoleAdmin}
	if other := otherRole(u, inUse); other != "" {
		v.Switch, v.SwitchLabel = other, roleSwitchLabels[other]
	}
	return page{User: v, CSRF: s.sessions.csrfToken(c)}
}

// noStore keeps account pages (forms with emails, password links) out of
// caches.
func noStore(c echo.Context) { c.Response().Header().Set("Cache-Control", "no-store") }

// notices are the fixed messages the sign-in page shows after a redirect;
// the query names one, so no text from the URL reaches the page.
var notices = map[string]string{
	"signed-out":   "You are signed out.",
	"password-set": "Your password is set. Sign in with it now.",
	"choice-ended": "Choosing an organisation took too long. Sign in again.",
}

type loginForm struct {
	Email    string `form:"email" validate:"required,max=320" label:"your email address"`
	Password string `form:"password" validate:"required,max=1024" label:"your password"`
	Next     string `form:"next"`
}

type loginView struct {
	page
	Form       loginForm // Password is always empty: it is never sent back
	Errors     map[string]string
	Message    string
	Notice     string
	NeedsSetup bool
}

// loginPage answers GET /login.
func (s *Server) loginPage(c echo.Context) error {
	if id := s.sessions.userID(c); id != "" {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	needs, err := s.accounts.NeedsSetup(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderLogin(c, http.StatusOK, loginView{
		Form: loginForm{Next: c.QueryParam("next")}, Notice: notices[c.QueryParam("notice")], NeedsSetup: needs})
}

// login answers POST /login: throttled per client address and per account
// at that address, the try counted before the password is checked; one
// answer for an unknown email and a wrong password. A password that
// opens accounts in several organisations leads to the page that chooses
// one.
func (s *Server) login(c echo.Context) error {
	var form loginForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	view := loginView{Form: form, Errors: problems}
	if problems != nil {
		return s.renderLogin(c, http.StatusUnprocessableEntity, view)
	}
	ctx := c.Request().Context()
	try := newLoginTry(c.RealIP(), form.Email)
	wait, ok, err := s.limits.reserve(ctx, try)
	if err != nil {
		return err
	}
	if !ok {
		retryAfter(c.Response().Header(), wait)
		view.Message = "Too many sign-in attempts. Wait a minute and try again, or reset your password."
		return s.renderLogin(c, http.StatusTooManyRequests, view)
	}
	users, err := s.accounts.Authenticate(ctx, form.Email, form.Password)
	if err != nil {
		_, msg, ok := formProblems(err)
		if !ok {
			return err
		}
		view.Message = msg
		return s.renderLogin(c, http.StatusUnprocessableEntity, view)
	}
	// The tries are given back even when the client has gone meanwhile:
	// the password was right, and the count must say so.
	if err := s.limits.succeeded(context.WithoutCancel(ctx), try); err != nil {
		return err
	}
	if len(users) > 1 {
		// The password opens accounts in several organisations: the person
		// picks one (login_choice.go).
		if err := s.sessions.awaitChoice(c, users, form.Next); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/login/organization")
	}
	if err := s.sessions.signIn(c, users[0]); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, afterSignIn(users[0], form.Next))
}

func (s *Server) renderLogin(c echo.Context, status int, view loginView) error {
	noStore(c)
	view.Form.Password = ""
	return s.render.render(c, status, "login", view)
}

// logout answers POST /logout: the session record is deleted, so the old
// cookie signs nobody in again.
func (s *Server) logout(c echo.Context) error {
	if err := s.sessions.signOut(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login?notice=signed-out")
}

// authState is the HTTP side of accounts, embedded in Server: the account
// use cases, sessions, sign-in throttles and the cross-origin guard.
type authState struct {
	accounts    *assessment.Accounts
	sessions    *sessions
	limits      *limits
	crossOrigin echo.MiddlewareFunc
	// behindTLS is true when the public base URL is https: cookies are
	// Secure and HSTS is sent even when a proxy terminates TLS.
	behindTLS bool
}

func newAuthState(deps Deps, log *slog.Logger) (*authState, error) {
	guard, err := newCrossOriginGuard(deps.BaseURL)
	if err != nil {
		return nil, err
	}
	behindTLS := strings.HasPrefix(deps.BaseURL, "https://")
	return &authState{
		accounts:    deps.Accounts,
		sessions:    newSessions(deps.Accounts, behindTLS, log),
		limits:      newLimits(deps.Service),
		crossOrigin: guard,
		behindTLS:   behindTLS,
	}, nil
}
