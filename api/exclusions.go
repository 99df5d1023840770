package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// Excluding a rater's submitted answers (assessment/exclusions.go): a
// confirmation page that says what will happen, then the exclusion. A
// revoke of a rater who submitted comes here too (revokeInvitation).

type excludeView struct {
	page
	Preview assessment.ExclusionPreview
	Errors  map[string]string
	Message string
}

type excludeForm struct {
	Confirm bool `form:"confirm"`
}

// excludePath is the confirmation page of an invitation's answers.
func excludePath(cycleID, invitationID string) string {
	return "/cycles/" + cycleID + "/invitations/" + invitationID + "/exclude"
}

// excludePage answers GET /cycles/:id/invitations/:iid/exclude.
func (s *Server) excludePage(c echo.Context) error {
	return s.renderExclude(c, http.StatusOK, nil, "")
}

// excludeResponse answers POST /cycles/:id/invitations/:iid/exclude: with
// the box ticked, the answers are excluded; then back to the invitations.
func (s *Server) excludeResponse(c echo.Context) error {
	var form excludeForm
	if _, err := bindForm(c, &form); err != nil {
		return err
	}
	if !form.Confirm {
		return s.renderExclude(c, http.StatusUnprocessableEntity, map[string]string{"confirm": "Tick the box to confirm that these answers should count nowhere."}, "")
	}
	u := cycleAdmin(c)
	err := s.svc.ExcludeResponse(c.Request().Context(), u.OrganizationID, c.Param("id"), c.Param("iid"), u.ID)
	fields, msg, status, fatal := formOutcome(err)
	switch {
	case fatal != nil:
		return fatal
	case err != nil:
		return s.renderExclude(c, status, fields, msg)
	}
	return c.Redirect(http.StatusSeeOther, "/cycles/"+c.Param("id")+"/invitations?notice=excluded")
}

func (s *Server) renderExclude(c echo.Context, status int, errs map[string]string, message string) error {
	u := cycleAdmin(c)
	p, err := s.svc.ExclusionPreview(c.Request().Context(), u.OrganizationID, c.Param("id"), c.Param("iid"))
	if err != nil {
		return err
	}
	v := excludeView{page: s.pageFor(c), Preview: p, Errors: errs, Message: message}
	return s.render.render(c, status, "exclude_response", v)
}

// revokedSubmitted sends a revoke of a rater who submitted to the
// exclusion's confirmation: revoking alone would leave the answers counted.
func revokedSubmitted(c echo.Context, err error) (bool, error) {
	if !errors.Is(err, assessment.ErrRevokeSubmitted) {
		return false, nil
	}
	return true, c.Redirect(http.StatusSeeOther, excludePath(c.Param("id"), c.Param("iid")))
}
