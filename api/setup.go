package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

type setupForm struct {
	Organization string `form:"organization" validate:"required,max=200" label:"your organisation's name"`
	Name         string `form:"name" validate:"max=200"`
	Email        string `form:"email" validate:"required,email,max=320" label:"your email address"`
	Password     string `form:"password" validate:"required,min=8,max=256" label:"a password"`
}

type setupView struct {
	page
	Form    setupForm // Password is always empty
	Errors  map[string]string
	Message string
}

// setupPage answers GET /setup: the one-time form for the first admin,
// gone (404) once any admin exists.
func (s *Server) setupPage(c echo.Context) error {
	if err := s.setupOpen(c); err != nil {
		return err
	}
	return s.renderSetup(c, http.StatusOK, setupView{})
}

// setup answers POST /setup: creates the organisation and its first admin,
// and signs them in.
func (s *Server) setup(c echo.Context) error {
	if err := s.setupOpen(c); err != nil {
		return err
	}
	var form setupForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	if problems != nil {
		return s.renderSetup(c, http.StatusUnprocessableEntity, setupView{Form: form, Errors: problems})
	}
	u, err := s.accounts.SetUp(c.Request().Context(), assessment.AdminInput{
		Organization: form.Organization, Email: form.Email, Name: form.Name, Password: form.Password})
	if fields, msg, ok := formProblems(err); ok {
		return s.renderSetup(c, statusOf(assessment.ErrorCode(err)), setupView{Form: form, Errors: fields, Message: msg})
	} else if err != nil {
		return err
	}
	if err := s.sessions.signIn(c, u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard")
}

// setupOpen is nil while the installation has no admin, and a not-found
// error afterwards, so the page does not even admit it exists.
func (s *Server) setupOpen(c echo.Context) error {
	needs, err := s.accounts.NeedsSetup(c.Request().Context())
	if err != nil {
		return err
	}
	if !needs {
		return echo.ErrNotFound
	}
	return nil
}

func (s *Server) renderSetup(c echo.Context, status int, view setupView) error {
	noStore(c)
	view.Form.Password = ""
	return s.render.render(c, status, "setup", view)
}
