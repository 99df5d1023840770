package api

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// Access rows of the webhook pages: admins only, and an endpoint of
// another organisation is not found.
func init() {
	accessRows = append(accessRows,
		accessRow{method: http.MethodGet, route: "/org/webhooks", allowed: []actor{adminX, adminY}},
		accessRow{method: http.MethodPost, route: "/org/webhooks", allowed: []actor{adminX, adminY},
			form: url.Values{"url": {"https://hooks.example.com/evil"}, "events": {"cycle.opened"}}},
		accessRow{method: http.MethodPost, route: "/org/webhooks/:wid/disable", allowed: []actor{adminX, adminY},
			path: func(w *accessWorld, a actor, own bool) string {
				return "/org/webhooks/" + mustWebhook(w.h.t, w.h, w.personFor(a, own).OrganizationID).ID + "/disable"
			}},
		accessRow{method: http.MethodPost, route: "/org/webhooks/:wid/remove", allowed: []actor{adminX, adminY},
			path: func(w *accessWorld, a actor, own bool) string {
				return "/org/webhooks/" + mustWebhook(w.h.t, w.h, w.personFor(a, own).OrganizationID).ID + "/remove"
			}},
		accessRow{method: http.MethodPost, route: "/org/webhooks/:wid/rotate", allowed: []actor{adminX, adminY},
			path: func(w *accessWorld, a actor, own bool) string {
				return "/org/webhooks/" + mustWebhook(w.h.t, w.h, w.personFor(a, own).OrganizationID).ID + "/rotate"
			}},
	)
}

// mustWebhook registers an endpoint of the organisation, as an admin would.
func mustWebhook(t testing.TB, h *harness, orgID string) assessment.WebhookEndpoint {
	t.Helper()
	e, _, err := h.fx.Service.CreateWebhook(context.Background(), orgID, "",
		assessment.NewWebhook{URL: "https://hooks.example.com/matrix", Events: []string{"cycle.closed"}, CreatedBy: "a test"})
	if err != nil {
		t.Fatalf("webhook: %v", err)
	}
	return e
}

var shownSecret = regexp.MustCompile(`value="(whsec_[^"]+)"`)

// The webhooks page keeps what was typed next to a problem, adds an
// endpoint and shows its secret once, disables and removes it, never
// touches another organisation's, and audits every change.
func TestWebhooksPage(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		x := h.fx.Org.ID
		h.user(x, "ana@example.com", assessment.RoleAdmin)
		other := mustWebhook(t, h, h.org("Elsewhere of "+t.Name()).ID)
		c := h.signedIn("ana@example.com")

		for _, tc := range []struct {
			url, want string
		}{
			{"http://hooks.example.com/in-clear", "Use an https:// address"},
			{"https://10.0.0.7/hooks", "Use a public address"},
			{"https://169.254.169.254/latest", "Use a public address"},
			{"https://[::1]/hooks", "Use a public address"},
			{"https://127.0.0.1/hooks", "Use a public address"},
			{"https://" + assessmenttest.PrivateHost + "/hooks", assessmenttest.PrivateHost + " resolves to 10.0.0.9"},
			{"https://" + assessmenttest.MissingHost + "/hooks", "No address was found for " + assessmenttest.MissingHost},
		} {
			form := c.formWith("url", tc.url)
			form["events"] = []string{"cycle.closed", "cycle.released"}
			page := resultsStatus(t, "a bad address", c.post("/org/webhooks", form), http.StatusUnprocessableEntity)
			for _, want := range []string{`<p class="error-text" id="url-error">` + tc.want, `value="` + tc.url + `"`,
				`value="cycle.closed" checked`, `value="cycle.released" checked`, `value="cycle.opened">`} {
				if !strings.Contains(page, want) {
					t.Errorf("%s: the form does not show %q", tc.url, want)
				}
			}
		}
		page := resultsStatus(t, "no event", c.post("/org/webhooks", c.formWith("url", "https://hooks.example.com/x")), http.StatusUnprocessableEntity)
		if !strings.Contains(page, `<p class="error-text" id="events-error">Choose at least one event.</p>`) {
			t.Error("an endpoint without events is not refused next to the events")
		}

		form := c.formWith("url", "https://hooks.example.com/lead360")
		form["events"] = []string{"cycle.opened"}
		page = resultsStatus(t, "a new endpoint", c.post("/org/webhooks", form), http.StatusCreated)
		m := shownSecret.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("the signing secret is not shown:\n%.3000s", page)
		}
		secret := html.UnescapeString(m[1])
		if key, err := assessment.WebhookKey(secret); err != nil || len(key) != 32 {
			t.Fatalf("the shown secret %q is not a 256-bit key: %v", secret, err)
		}
		if where := assessmenttest.FindText(t, h.fx.Store.(*store.Store), []string{secret, secret[6:]}); len(where) != 0 {
			t.Errorf("the signing secret is stored in clear in %v", where)
		}
		list := resultsStatus(t, "the webhooks page", c.get("/org/webhooks"), http.StatusOK)
		if strings.Contains(list, m[1]) || !strings.Contains(list, "https://hooks.example.com/lead360") || strings.Contains(list, "/matrix") {
			t.Error("the list shows the secret again, misses the endpoint or shows another organisation's")
		}
		hooks, err := h.fx.Service.Webhooks(context.Background(), x)
		if err != nil || len(hooks) != 1 {
			t.Fatalf("webhooks %+v, %v; want 1", hooks, err)
		}
		id := hooks[0].ID
		if rec := c.post("/org/webhooks/"+other.ID+"/rotate", c.formWith()); rec.Code != http.StatusNotFound {
			t.Errorf("rotate another organisation's secret: %d", rec.Code)
		}
		page = resultsStatus(t, "a rotation", c.post("/org/webhooks/"+id+"/rotate", c.formWith()), http.StatusOK)
		rotated := shownSecret.FindStringSubmatch(page)
		if rotated == nil || rotated[1] == m[1] || !strings.Contains(page, "has a new signing secret") || !strings.Contains(page, "signs too, until") {
			t.Fatalf("the rotated secret is not shown once, new, with the old one's grace:\n%.3000s", page)
		}
		if list := resultsStatus(t, "the webhooks page", c.get("/org/webhooks"), http.StatusOK); strings.Contains(list, rotated[1]) {
			t.Error("the list shows the rotated secret again")
		}
		for _, action := range []string{"disable", "remove"} {
			if rec := c.post("/org/webhooks/"+other.ID+"/"+action, c.formWith()); rec.Code != http.StatusNotFound {
				t.Errorf("%s another organisation's endpoint: %d", action, rec.Code)
			}
			if rec := c.post("/org/webhooks/"+id+"/"+action, c.formWith()); rec.Code != http.StatusSeeOther {
				t.Fatalf("%s: %d\n%s", action, rec.Code, rec.Body)
			}
		}
		audit := resultsStatus(t, "the audit log", c.get("/audit"), http.StatusOK)
		for _, want := range []string{"Added a webhook endpoint", "Rotated a webhook endpoint&#39;s signing secret", "Disabled a webhook endpoint", "Removed a webhook endpoint"} {
			if !strings.Contains(audit, want) {
				t.Errorf("the audit log does not show %q", want)
			}
		}
	})
}
