package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// The organisation's admins (assessment/account_admins.go): who they are
// and when they last signed in, inviting one and removing one. Every change
// is audited by the use case.

type adminForm struct {
	Name  string `form:"name" validate:"max=200"`
	Email string `form:"email" validate:"max=320"`
}

type adminsView struct {
	page
	Admins  []adminLine
	Form    adminForm
	Errors  map[string]string
	Message string
	Notice  string
}

type adminLine struct {
	ID, Name, Email string
	LastSignIn      Moment
	You             bool
	// Error says why this admin was not removed.
	Error string
}

// adminNotices are the fixed messages after a redirect; the query names
// one, so no text from the URL reaches the page.
var adminNotices = map[string]string{
	"invited": "The admin is invited. Someone without a password gets an email with a link to set one.",
	"removed": "The admin was removed. Their sessions ended; a leader keeps their own results.",
}

// adminsPage answers GET /org/admins.
func (s *Server) adminsPage(c echo.Context) error {
	return s.renderAdmins(c, http.StatusOK, adminsView{Notice: adminNotices[c.QueryParam("notice")]}, "")
}

// inviteAdmin answers POST /org/admins: a new admin, or the admin role for
// a leader's account; the form is shown again with what was typed when a
// field needs a change.
func (s *Server) inviteAdmin(c echo.Context) error {
	var form adminForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	v := adminsView{Form: form, Errors: problems}
	if problems != nil {
		return s.renderAdmins(c, http.StatusUnprocessableEntity, v, "")
	}
	_, err = s.accounts.InviteAdmin(c.Request().Context(), cycleAdmin(c), assessment.AdminInvite{Name: form.Name, Email: form.Email})
	fields, msg, status, fatal := formOutcome(err)
	if fatal != nil {
		return fatal
	}
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/org/admins?notice=invited")
	}
	v.Errors, v.Message = fields, msg
	return s.renderAdmins(c, status, v, "")
}

// removeAdmin answers POST /org/admins/:uid/remove: the admin role only;
// never oneself, never the last admin (the page says why, on that row).
func (s *Server) removeAdmin(c echo.Context) error {
	uid := c.Param("uid")
	err := s.accounts.RemoveAdmin(c.Request().Context(), cycleAdmin(c), uid)
	_, msg, status, fatal := formOutcome(err)
	if fatal != nil {
		return fatal
	}
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/org/admins?notice=removed")
	}
	return s.renderAdmins(c, status, adminsView{Message: msg}, uid)
}

// renderAdmins fills the list into v; failedRemoval names the row whose
// removal v.Message explains.
func (s *Server) renderAdmins(c echo.Context, status int, v adminsView, failedRemoval string) error {
	u := cycleAdmin(c)
	admins, err := s.accounts.Admins(c.Request().Context(), u.OrganizationID)
	if err != nil {
		return err
	}
	v.page = s.pageFor(c)
	for _, a := range admins {
		line := adminLine{ID: a.ID, Name: a.Name, Email: a.Email, You: a.ID == u.ID}
		if a.LastSignInAt != nil {
			line.LastSignIn = Moment(*a.LastSignInAt)
		}
		if a.ID == failedRemoval {
			line.Error = v.Message
		}
		v.Admins = append(v.Admins, line)
	}
	return s.render.render(c, status, "admins", v)
}
