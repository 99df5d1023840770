package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type dashboardView struct {
	page
}

// dashboard answers GET /dashboard, the landing page after sign-in for
// both roles; the template shows an admin's or a leader's start.
func (s *Server) dashboard(c echo.Context) error {
	return s.render.render(c, http.StatusOK, "dashboard", dashboardView{page: s.pageFor(c)})
}
