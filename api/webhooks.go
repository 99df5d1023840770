package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// The organisation's webhooks (assessment/webhooks.go): the list with each
// endpoint's latest deliveries and the status of every try, adding one
// (its signing secret shown once, on the page that answers the form),
// rotating its secret (the new one shown once the same way), disabling
// and removing one. Every change is audited by the use case.

type webhookForm struct {
	URL string `form:"url" validate:"max=2000"`
}

type webhooksView struct {
	page
	Webhooks []webhookLine
	Form     webhookForm
	// Events are the checkboxes, ticked as the form last had them.
	Events  []webhookEventChoice
	Errors  map[string]string
	Message string
	Notice  string
	// Secret is the new endpoint's signing secret, or the rotated one's
	// (Rotated): on this answer only.
	Secret    string
	SecretFor string
	Rotated   bool
	// SecretGrace is how long a rotated-out secret keeps signing.
	SecretGrace string
}

type webhookEventChoice struct {
	Name    string
	Checked bool
}

type webhookLine struct {
	ID, URL, Events, CreatedBy string
	CreatedAt                  Moment
	// Rotating: the secret the last rotation replaced still signs, until
	// PreviousSecretUntil.
	Rotating            bool
	PreviousSecretUntil Moment
	Disabled            bool
	DisabledAt          Moment
	Deliveries          []webhookDeliveryLine
}

type webhookDeliveryLine struct {
	Event     string
	CreatedAt Moment
	Delivered bool
	// GaveUp: every try failed, and there will be no other.
	GaveUp bool
	// Attempts say how each try went: a status code, or why there was none.
	Attempts []string
}

// webhookNotices are the fixed messages after a redirect.
var webhookNotices = map[string]string{
	"disabled": "The endpoint was disabled: it receives nothing more, retries included.",
	"removed":  "The endpoint was removed, with its deliveries.",
}

// webhooksPage answers GET /org/webhooks.
func (s *Server) webhooksPage(c echo.Context) error {
	return s.renderWebhooks(c, http.StatusOK, webhooksView{Notice: webhookNotices[c.QueryParam("notice")]}, nil)
}

// createWebhook answers POST /org/webhooks: the page again, with the new
// endpoint's secret shown once, or with what was typed and the problems.
func (s *Server) createWebhook(c echo.Context) error {
	var form webhookForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	events := c.Request().PostForm["events"]
	v := webhooksView{Form: form, Errors: problems}
	if problems != nil {
		return s.renderWebhooks(c, http.StatusUnprocessableEntity, v, events)
	}
	u := cycleAdmin(c)
	e, secret, err := s.svc.CreateWebhook(c.Request().Context(), u.OrganizationID, u.ID,
		assessment.NewWebhook{URL: form.URL, Events: events, CreatedBy: displayName(u)})
	fields, msg, status, fatal := formOutcome(err)
	if fatal != nil {
		return fatal
	}
	if err != nil {
		v.Errors, v.Message = fields, msg
		return s.renderWebhooks(c, status, v, events)
	}
	return s.renderWebhooks(c, http.StatusCreated, webhooksView{Secret: secret, SecretFor: e.URL}, nil)
}

// rotateWebhookSecret answers POST /org/webhooks/:wid/rotate: the list
// with the endpoint's new secret shown once, while the old one keeps
// signing for assessment.WebhookSecretGrace.
func (s *Server) rotateWebhookSecret(c echo.Context) error {
	u := cycleAdmin(c)
	ctx := c.Request().Context()
	secret, err := s.svc.RotateWebhookSecret(ctx, u.OrganizationID, u.ID, c.Param("wid"))
	if err != nil {
		return s.changeWebhook(c, err, "")
	}
	e, err := s.svc.Webhook(ctx, u.OrganizationID, c.Param("wid"))
	if err != nil {
		return err
	}
	return s.renderWebhooks(c, http.StatusOK, webhooksView{Secret: secret, SecretFor: e.URL, Rotated: true}, nil)
}

// disableWebhook answers POST /org/webhooks/:wid/disable.
func (s *Server) disableWebhook(c echo.Context) error {
	u := cycleAdmin(c)
	return s.changeWebhook(c, s.svc.DisableWebhook(c.Request().Context(), u.OrganizationID, u.ID, c.Param("wid")), "disabled")
}

// removeWebhook answers POST /org/webhooks/:wid/remove.
func (s *Server) removeWebhook(c echo.Context) error {
	u := cycleAdmin(c)
	return s.changeWebhook(c, s.svc.DeleteWebhook(c.Request().Context(), u.OrganizationID, u.ID, c.Param("wid")), "removed")
}

// changeWebhook answers a change whose outcome is err: back to the list
// with its notice, or the list with the problem.
func (s *Server) changeWebhook(c echo.Context, err error, notice string) error {
	_, msg, status, fatal := formOutcome(err)
	if fatal != nil {
		return fatal
	}
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/org/webhooks?notice="+notice)
	}
	return s.renderWebhooks(c, status, webhooksView{Message: msg}, nil)
}

// renderWebhooks fills the organisation's endpoints into v, and the event
// checkboxes ticked as checked names them.
func (s *Server) renderWebhooks(c echo.Context, status int, v webhooksView, checked []string) error {
	hooks, err := s.svc.Webhooks(c.Request().Context(), cycleAdmin(c).OrganizationID)
	if err != nil {
		return err
	}
	v.page = s.pageFor(c)
	v.SecretGrace = fmt.Sprintf("%.0f hours", assessment.WebhookSecretGrace.Hours())
	for _, ev := range assessment.WebhookEvents {
		v.Events = append(v.Events, webhookEventChoice{Name: string(ev), Checked: slices.Contains(checked, string(ev))})
	}
	for _, h := range hooks {
		v.Webhooks = append(v.Webhooks, webhookLineOf(h, s.svc.Now()))
	}
	return s.render.render(c, status, "webhooks", v)
}

func webhookLineOf(h assessment.WebhookWithLog, now time.Time) webhookLine {
	names := make([]string, len(h.Events))
	for i, ev := range h.Events {
		names[i] = string(ev)
	}
	line := webhookLine{ID: h.ID, URL: h.URL, Events: strings.Join(names, ", "), CreatedBy: h.CreatedBy,
		CreatedAt: Moment(h.CreatedAt), Disabled: h.DisabledAt != nil}
	if h.DisabledAt != nil {
		line.DisabledAt = Moment(*h.DisabledAt)
	}
	if h.PreviousSecretUntil != nil && now.Before(*h.PreviousSecretUntil) {
		line.Rotating, line.PreviousSecretUntil = true, Moment(*h.PreviousSecretUntil)
	}
	for _, d := range h.Deliveries {
		dl := webhookDeliveryLine{Event: string(d.Event), CreatedAt: Moment(d.CreatedAt), Delivered: d.DeliveredAt != nil}
		for _, a := range d.Attempts {
			what := strconv.Itoa(a.StatusCode)
			if a.Failure != "" {
				what = a.Failure
			}
			dl.Attempts = append(dl.Attempts, what)
		}
		dl.GaveUp = !dl.Delivered && len(d.Attempts) >= assessment.WebhookMaxAttempts
		line.Deliveries = append(line.Deliveries, dl)
	}
	return line
}
