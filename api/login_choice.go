package api

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
)

// Choosing an organisation at sign-in. An account belongs to one
// organisation, so one email may have accounts in several; when a password
// opens more than one of them, the person picks where to sign in. Only the
// accounts the password opened are listed: which organisations an email has
// accounts in is never shown before the password is proved.

type chooseForm struct {
	Account string `form:"account" validate:"required,max=100" label:"an organisation"`
}

type chooseView struct {
	page
	Choices []choiceView
	Message string
	Errors  map[string]string
}

type choiceView struct {
	UserID       string
	Organization string
	Role         string
}

// choosePage answers GET /login/organization: the organisations the
// password just opened, or the sign-in page when there is no choice to make
// (none, or it took too long).
func (s *Server) choosePage(c echo.Context) error {
	ids, _ := s.sessions.choice(c)
	if ids == nil {
		return choiceEnded(c)
	}
	return s.renderChoose(c, http.StatusOK, ids, "")
}

// choose answers POST /login/organization: signs in to the chosen account,
// which must be one the password opened, and goes on to where the sign-in
// was headed.
func (s *Server) choose(c echo.Context) error {
	ids, next := s.sessions.choice(c)
	if ids == nil {
		return choiceEnded(c)
	}
	if err := s.checkCSRFToken(c); err != nil {
		return err
	}
	var form chooseForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	if problems != nil || !slices.Contains(ids, form.Account) {
		return s.renderChoose(c, http.StatusUnprocessableEntity, ids, "Choose one of the organisations below.")
	}
	u, err := s.accounts.User(c.Request().Context(), form.Account)
	if err != nil {
		return err
	}
	if err := s.sessions.signIn(c, u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, afterSignIn(u, next))
}

// choiceEnded sends the person back to sign in when there is nothing to
// choose from.
func choiceEnded(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/login?notice=choice-ended")
}

func (s *Server) renderChoose(c echo.Context, status int, ids []string, message string) error {
	noStore(c)
	choices, err := s.accounts.SignInChoices(c.Request().Context(), ids)
	if err != nil {
		return err
	}
	view := chooseView{page: page{CSRF: s.sessions.csrfToken(c)}, Message: message}
	for _, ch := range choices {
		role := rolesInWords(ch.Roles)
		view.Choices = append(view.Choices, choiceView{UserID: ch.UserID, Organization: ch.OrganizationName, Role: role})
	}
	return s.render.render(c, status, "login_organization", view)
}
