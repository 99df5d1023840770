package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// The organisation's email domains (assessment/email_domains.go): the one
// organisation setting HR edits here. Leaders nominate people at these
// domains, or people HR already added.

type domainsView struct {
	page
	Domains assessment.EmailDomains
	// Text is the textarea's content: the saved list, or what was typed.
	Text    string
	Errors  map[string]string
	Message string
	Notice  string
}

type domainsForm struct {
	Domains string `form:"domains" validate:"max=20000" label:"the domains"`
}

// domainsPage answers GET /org/domains.
func (s *Server) domainsPage(c echo.Context) error {
	notice := ""
	if c.QueryParam("notice") == "saved" {
		notice = "The domains are saved."
	}
	return s.renderDomains(c, http.StatusOK, nil, nil, "", notice)
}

// saveDomains answers POST /org/domains.
func (s *Server) saveDomains(c echo.Context) error {
	var form domainsForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	if problems == nil {
		u := cycleAdmin(c)
		_, err := s.svc.SetEmailDomains(c.Request().Context(), u.OrganizationID, form.Domains, u.ID)
		fields, msg, status, fatal := formOutcome(err)
		if fatal != nil {
			return fatal
		}
		if err == nil {
			return c.Redirect(http.StatusSeeOther, "/org/domains?notice=saved")
		}
		return s.renderDomains(c, status, &form.Domains, fields, msg, "")
	}
	return s.renderDomains(c, http.StatusUnprocessableEntity, &form.Domains, problems, "", "")
}

func (s *Server) renderDomains(c echo.Context, status int, typed *string, errs map[string]string, message, notice string) error {
	u := cycleAdmin(c)
	d, err := s.svc.EmailDomains(c.Request().Context(), u.OrganizationID)
	if err != nil {
		return err
	}
	v := domainsView{page: s.pageFor(c), Domains: d, Text: strings.Join(d.Domains, "\n"), Errors: errs, Message: message, Notice: notice}
	if typed != nil {
		v.Text = *typed
	}
	return s.render.render(c, status, "email_domains", v)
}
