package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// The role in use. Roles belong to the account: an HR admin who is also
// assessed holds admin and leader, and uses one at a time, kept in the
// session. Admin pages need the admin role in use and /me pages the leader
// role, so an admin-leader reads their own results only as any leader does
// (and sees their own raters' progress never: the admin pages leave it out
// whatever the role, assessment.Service.CycleProgress). After sign-in such
// an account chooses (GET /role); the header's button switches (POST /role).

const roleKey = "lead360.role"

// currentRole is the role in use put in the context by requireRole; "" for
// an account that holds both roles and has not chosen yet.
func currentRole(c echo.Context) assessment.Role {
	r, _ := c.Get(roleKey).(assessment.Role)
	return r
}

// roleInUse is the role the account uses for this request: the one chosen
// in the session while the account still holds it, else its only role; ""
// when it holds both and has not chosen.
func (s *Server) roleInUse(c echo.Context, u assessment.User) assessment.Role {
	if r := s.sessions.role(c); r != "" && u.Has(r) {
		return r
	}
	if len(u.Roles) == 1 {
		return u.Roles[0]
	}
	return ""
}

// otherRole is the role an account that holds both may switch to, or "".
func otherRole(u assessment.User, inUse assessment.Role) assessment.Role {
	if len(u.Roles) < 2 {
		return ""
	}
	for _, r := range u.Roles {
		if r != inUse {
			return r
		}
	}
	return ""
}

// roleSwitchLabels are the header's buttons, by the role they switch to.
var roleSwitchLabels = map[assessment.Role]string{
	assessment.RoleAdmin:  "Switch to HR admin",
	assessment.RoleLeader: "Switch to my own results",
}

// rolesInWords says in what roles an account signs in, for the choice of
// an organisation.
func rolesInWords(roles []assessment.Role) string {
	switch {
	case len(roles) > 1:
		return "as an admin and a leader"
	case len(roles) == 1 && roles[0] == assessment.RoleAdmin:
		return "as an admin"
	}
	return "as a leader"
}

// wrongRole answers a signed-in request for a page of another role. An
// account that holds the role but has not chosen one yet chooses first
// (pages only); one that uses its other role is told how to switch.
func wrongRole(c echo.Context, u assessment.User, inUse assessment.Role, roles []assessment.Role) error {
	var held assessment.Role
	for _, r := range roles {
		if u.Has(r) {
			held = r
		}
	}
	switch {
	case held == "":
		return assessment.Errorf(assessment.CodeForbidden, "This page is not available to your account.")
	case inUse == "" && c.Request().Method == http.MethodGet:
		return chooseRoleFirst(c)
	case held == assessment.RoleAdmin:
		return assessment.Errorf(assessment.CodeForbidden, "You are using lead360 for your own results. Use “Switch to HR admin” at the top of the page to open this page.")
	}
	return assessment.Errorf(assessment.CodeForbidden, "You are using lead360 as an HR admin. Use “Switch to my own results” at the top of the page to open this page.")
}

// chooseRoleFirst sends an account that holds both roles to choose one,
// coming back to the page afterwards.
func chooseRoleFirst(c echo.Context) error {
	target := "/role"
	if req := c.Request(); req.Method == http.MethodGet {
		target += "?next=" + url.QueryEscape(req.URL.RequestURI())
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// afterSignIn is where a sign-in goes: the role choice for an account that
// holds both roles, else the page the sign-in was headed to.
func afterSignIn(u assessment.User, next string) string {
	if len(u.Roles) > 1 {
		return "/role?next=" + url.QueryEscape(safeNext(next))
	}
	return safeNext(next)
}

type roleForm struct {
	Role string `form:"role" validate:"required,max=20" label:"a role"`
	Next string `form:"next"`
}

type roleView struct {
	page
	Next    string
	Errors  map[string]string // none: the choice is two buttons
	Message string
}

// rolePage answers GET /role: an account that holds both roles chooses
// which to use; any other goes on to the dashboard.
func (s *Server) rolePage(c echo.Context) error {
	u, _ := currentUser(c)
	if len(u.Roles) < 2 {
		return c.Redirect(http.StatusSeeOther, "/dashboard")
	}
	return s.renderRole(c, http.StatusOK, c.QueryParam("next"), "")
}

// useRole answers POST /role, from the choice after sign-in and from the
// header's switch: the role must be one the account holds.
func (s *Server) useRole(c echo.Context) error {
	u, _ := currentUser(c)
	var form roleForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	r := assessment.Role(strings.TrimSpace(form.Role))
	if problems != nil || !u.Has(r) {
		if len(u.Roles) < 2 {
			return assessment.Errorf(assessment.CodeForbidden, "This account has one role only.")
		}
		return s.renderRole(c, http.StatusUnprocessableEntity, form.Next, "Choose one of the two ways to use lead360 below.")
	}
	s.sessions.useRole(c, r)
	return c.Redirect(http.StatusSeeOther, safeNext(form.Next))
}

func (s *Server) renderRole(c echo.Context, status int, next, message string) error {
	v := roleView{page: s.pageFor(c), Next: safeNext(next), Message: message}
	return s.render.render(c, status, "role", v)
}
