package api

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"
)

// renderer writes pages from templates parsed once at start-up. It renders
// into a buffer first, so a template error becomes a clean 500 instead of half
// a page.
type renderer struct {
	pages map[string]*template.Template
}

func (r *renderer) render(c echo.Context, status int, page string, view any) error {
	t, ok := r.pages[page]
	if !ok {
		return fmt.Errorf("render: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", view); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// errorView is the view model of the error page.
type errorView struct {
	Title     string
	Message   string
	RequestID string
}

func statusTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusGone:
		return "No longer available"
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusConflict:
		return "Changed in the meantime"
	case http.StatusTooManyRequests:
		return "Too many requests"
	case http.StatusServiceUnavailable:
		return "Temporarily unavailable"
	}
	if status >= 500 {
		return "Something went wrong"
	}
	return "Please check your request"
}
