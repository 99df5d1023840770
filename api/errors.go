package api

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// statusOf maps a domain error code to its HTTP status.
func statusOf(code assessment.Code) int {
	switch code {
	case assessment.CodeInvalid:
		return http.StatusUnprocessableEntity
	case assessment.CodeNotFound:
		return http.StatusNotFound
	case assessment.CodeConflict:
		return http.StatusConflict
	case assessment.CodeForbidden:
		return http.StatusForbidden
	case assessment.CodeGone:
		return http.StatusGone
	}
	return http.StatusInternalServerError
}

// errorHandler is the one place errors become responses: domain errors show
// their message, Echo's own errors their status, and anything unexpected a
// plain page with the request id while the log gets the whole chain.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	message := "The server could not complete this request. Please try again in a moment."
	var fields map[string]string
	var de *assessment.Error
	var he *echo.HTTPError
	var rp *requestProblem
	switch {
	case errors.As(err, &rp):
		status, message, fields = http.StatusBadRequest, rp.Message, rp.Fields
	case errors.As(err, &de):
		status = statusOf(de.Code)
		message = de.Message
		fields = de.Fields
	case errors.As(err, &he):
		status = he.Code
		if m, ok := he.Message.(string); ok && status < 500 {
			message = m
		} else if status < 500 {
			message = http.StatusText(status)
		}
	}
	if status == http.StatusNotFound && de == nil && rp == nil {
		message = "There is nothing at this address."
	}
	if status == http.StatusInternalServerError && (databaseUnreachable(err) || s.databaseDown(c.Request().Context())) {
		// An outage is not a bug: say so, and that it passes by itself
		// (the survey page's autosave tries again on its own).
		status = http.StatusServiceUnavailable
		message = "lead360 cannot reach its database at the moment. What was saved before is safe; please try again in a minute."
		c.Response().Header().Set("Retry-After", "5")
	}
	rid := c.Response().Header().Get(echo.HeaderXRequestID)
	if status >= 500 {
		s.log.ErrorContext(c.Request().Context(), "request failed", slog.String("request_id", rid),
			slog.String("path", c.Path()), slog.Any("err", err))
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if strings.HasPrefix(c.Request().URL.Path, apiBase+"/") {
		_ = writeProblem(c, status, message, fields, rid)
		return
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") || strings.Contains(c.Request().Header.Get(echo.HeaderAccept), echo.MIMEApplicationJSON) {
		_ = c.JSON(status, map[string]any{"error": message, "fields": fields, "request_id": rid})
		return
	}
	if rerr := s.render.render(c, status, "error", errorView{Title: statusTitle(status), Message: message, RequestID: rid}); rerr != nil {
		s.log.ErrorContext(c.Request().Context(), "render error page", slog.Any("err", rerr))
		_ = c.String(status, message)
	}
}

// databaseUnreachable reports whether err is the database connection
// failing: refused or cut, or the server shutting down or starting up. Such
// a request met an outage even when the database is back by the time the
// ping below runs, so it answers 503 like the others, not 500.
func databaseUnreachable(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	// PostgreSQL's errors carry their SQLSTATE (pgconn.PgError); api names
	// no driver, so it asks for the method.
	var coded interface{ SQLState() string }
	if errors.As(err, &coded) {
		switch code := coded.SQLState(); {
		case strings.HasPrefix(code, "08"): // connection exception
			return true
		case code == "57P01", code == "57P02", code == "57P03": // shutting down, crashed, starting up
			return true
		}
	}
	return false
}

// databaseDown reports whether the database fails a ping right now, which
// turns an unexpected error into 503 "temporarily unavailable" (TRUST.md:
// database outages answer 503 and recover by themselves).
func (s *Server) databaseDown(ctx context.Context) bool {
	if s.ping == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return s.ping(ctx) != nil
}
