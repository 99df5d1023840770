package api

import (
	"github.com/labstack/echo/v4"
)

// inviteToNominate answers POST /cycles/:id/nominations/invite: after
// confirmation on the cycle page, it asks the draft cycle's leaders to
// nominate their raters (accounts for those without, one email each, never
// twice) and says how many were emailed now and how many before.
func (s *Server) inviteToNominate(c echo.Context) error {
	if ok, err := s.confirmed(c, "invite-nominate"); !ok {
		return err
	}
	u := cycleAdmin(c)
	got, err := s.svc.InviteToNominate(c.Request().Context(), u.OrganizationID, c.Param("id"), u.ID, s.accounts)
	if err != nil {
		return s.actionFailed(c, err)
	}
	return redirectNotice(c, "/cycles/"+c.Param("id"), "nominators", got.Invited, got.Already)
}
