package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// The organisation's contact (assessment/org_contact.go): who every email
// names under "Questions?" and replies go to. An organisation setting next
// to the email domains.

type contactView struct {
	page
	// Saved is the contact emails use now; Form what the fields show: the
	// saved contact, or what was typed.
	Saved   assessment.OrgContact
	Form    contactForm
	Errors  map[string]string
	Message string
	Notice  string
}

type contactForm struct {
	Name  string `form:"contact_name" validate:"max=400" label:"the contact's name"`
	Email string `form:"contact_email" validate:"max=400" label:"the contact's email address"`
}

var contactNotices = map[string]string{
	"saved":   "The contact is saved. Every email from now on names them and replies go to them.",
	"removed": "The contact is removed. Emails name the sender again.",
}

// contactPage answers GET /org/contact.
func (s *Server) contactPage(c echo.Context) error {
	return s.renderContact(c, http.StatusOK, nil, nil, "")
}

// saveContact answers POST /org/contact.
func (s *Server) saveContact(c echo.Context) error {
	var form contactForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	if problems != nil {
		return s.renderContact(c, http.StatusUnprocessableEntity, &form, problems, "")
	}
	u := cycleAdmin(c)
	saved, err := s.svc.SetOrgContact(c.Request().Context(), u.OrganizationID, assessment.OrgContact{Name: form.Name, Email: form.Email}, u.ID)
	fields, msg, status, fatal := formOutcome(err)
	switch {
	case fatal != nil:
		return fatal
	case err != nil:
		return s.renderContact(c, status, &form, fields, msg)
	case saved.IsZero():
		return c.Redirect(http.StatusSeeOther, "/org/contact?notice=removed")
	}
	return c.Redirect(http.StatusSeeOther, "/org/contact?notice=saved")
}

func (s *Server) renderContact(c echo.Context, status int, typed *contactForm, errs map[string]string, message string) error {
	u := cycleAdmin(c)
	saved, err := s.svc.OrgContact(c.Request().Context(), u.OrganizationID)
	if err != nil {
		return err
	}
	v := contactView{page: s.pageFor(c), Saved: saved, Form: contactForm{Name: saved.Name, Email: saved.Email},
		Errors: errs, Message: message, Notice: contactNotices[c.QueryParam("notice")]}
	if typed != nil {
		v.Form = *typed
	}
	return s.render.render(c, status, "org_contact", v)
}
