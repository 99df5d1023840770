package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// The organisation's API tokens (assessment/api_tokens.go): the list with
// each token's last use, making one (its secret shown once, on the page
// that answers the form, never in a URL) and revoking one. Every change is
// audited by the use case.

type tokenForm struct {
	Name  string `form:"name" validate:"max=100"`
	Scope string `form:"scope" validate:"max=10"`
}

type tokensView struct {
	page
	Tokens  []tokenLine
	Form    tokenForm
	Errors  map[string]string
	Message string
	Notice  string
	// Secret is the token just made: on this answer only.
	Secret    string
	SecretFor string
}

type tokenLine struct {
	ID, Name, Scope, CreatedBy string
	CreatedAt, LastUsed        Moment
	Revoked                    bool
	RevokedAt                  Moment
}

// tokenNotices are the fixed messages after a redirect.
var tokenNotices = map[string]string{
	"revoked": "The token was revoked: it opens nothing from now on.",
}

// tokensPage answers GET /org/tokens.
func (s *Server) tokensPage(c echo.Context) error {
	return s.renderTokens(c, http.StatusOK, tokensView{Notice: tokenNotices[c.QueryParam("notice")], Form: tokenForm{Scope: "read"}})
}

// createToken answers POST /org/tokens: the page again, with the new
// token's secret shown once, or with what was typed and the problems.
func (s *Server) createToken(c echo.Context) error {
	var form tokenForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	v := tokensView{Form: form, Errors: problems}
	if problems != nil {
		return s.renderTokens(c, http.StatusUnprocessableEntity, v)
	}
	u := cycleAdmin(c)
	t, secret, err := s.svc.CreateAPIToken(c.Request().Context(), u.OrganizationID, u.ID,
		assessment.NewAPIToken{Name: form.Name, Scope: form.Scope, CreatedBy: displayName(u)})
	fields, msg, status, fatal := formOutcome(err)
	if fatal != nil {
		return fatal
	}
	if err != nil {
		v.Errors, v.Message = fields, msg
		return s.renderTokens(c, status, v)
	}
	return s.renderTokens(c, http.StatusCreated, tokensView{Secret: secret, SecretFor: t.Name, Form: tokenForm{Scope: "read"}})
}

// revokeToken answers POST /org/tokens/:tid/revoke.
func (s *Server) revokeToken(c echo.Context) error {
	u := cycleAdmin(c)
	err := s.svc.RevokeAPIToken(c.Request().Context(), u.OrganizationID, u.ID, c.Param("tid"))
	_, msg, status, fatal := formOutcome(err)
	if fatal != nil {
		return fatal
	}
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/org/tokens?notice=revoked")
	}
	return s.renderTokens(c, status, tokensView{Message: msg, Form: tokenForm{Scope: "read"}})
}

// renderTokens fills the organisation's tokens into v.
func (s *Server) renderTokens(c echo.Context, status int, v tokensView) error {
	ts, err := s.svc.APITokens(c.Request().Context(), cycleAdmin(c).OrganizationID)
	if err != nil {
		return err
	}
	v.page = s.pageFor(c)
	for _, t := range ts {
		line := tokenLine{ID: t.ID, Name: t.Name, Scope: string(t.Scope), CreatedBy: t.CreatedBy, CreatedAt: Moment(t.CreatedAt), Revoked: t.RevokedAt != nil}
		if t.LastUsedAt != nil {
			line.LastUsed = Moment(*t.LastUsedAt)
		}
		if t.RevokedAt != nil {
			line.RevokedAt = Moment(*t.RevokedAt)
		}
		v.Tokens = append(v.Tokens, line)
	}
	return s.render.render(c, status, "tokens", v)
}

// displayName is how a list names an account: its name, or its address.
func displayName(u assessment.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}
