package api

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// healthz answers GET /healthz: the process is alive.
func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// readyz answers GET /readyz: the database answers and the server is not
// shutting down.
func (s *Server) readyz(c echo.Context) error {
	if s.draining.Load() {
		return c.String(http.StatusServiceUnavailable, "shutting down\n")
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.ping(ctx); err != nil {
		return c.String(http.StatusServiceUnavailable, "database unavailable\n")
	}
	return c.String(http.StatusOK, "ready\n")
}

type homeView struct {
	Threshold int
	// Minutes are the survey times of the built-in forms, the estimate
	// every email and survey page gives.
	Minutes formMinutes
	// NeedsSetup points a new installation's first visitor to the set-up
	// page instead of a sign-in form nobody can use yet.
	NeedsSetup bool
}

// builtinMinutes is the survey time of the built-in short and full forms;
// the embedded files are parsed once.
var builtinMinutes = sync.OnceValues(func() (formMinutes, error) {
	short, err := assessment.BuiltinShortForm()
	if err != nil {
		return formMinutes{}, err
	}
	full, err := assessment.BuiltinInstrument()
	if err != nil {
		return formMinutes{}, err
	}
	return formMinutes{Short: assessment.EstimatedMinutes(&short), Full: assessment.EstimatedMinutes(&full)}, nil
})

type formMinutes struct{ Short, Full int }

// home answers GET /: what lead360 is, and the way to the dashboard.
func (s *Server) home(c echo.Context) error {
	minutes, err := builtinMinutes()
	if err != nil {
		return err
	}
	view := homeView{Threshold: s.deps.Threshold, Minutes: minutes}
	if s.accounts != nil {
		needs, err := s.accounts.NeedsSetup(c.Request().Context())
		if err != nil {
			return err
		}
		view.NeedsSetup = needs
	}
	return s.render.render(c, http.StatusOK, "home", view)
}
