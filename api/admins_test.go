package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
)

// The admins page lists the organisation's admins with their last
// sign-in, invites one (the form keeps what was typed and says what to
// change next to the field) and removes one (never oneself: the page says
// why); every change is in the audit log, and a removed admin is signed
// out at once.
func TestAdminsPage(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		x := h.fx.Org.ID
		ana := h.user(x, "ana@example.com", assessment.RoleAdmin)
		h.user(x, "never@example.com", assessment.RoleAdmin)
		h.user(h.org("Elsewhere of "+t.Name()).ID, "elsewhere@example.com", assessment.RoleAdmin)
		c := h.signedIn("ana@example.com")
		list := resultsStatus(t, "the admins page", c.get("/org/admins"), http.StatusOK)
		for _, want := range []string{"ana@example.com", "(you)", "Another admin can remove you", "never@example.com", "Never signed in",
			`<time datetime="2026-03-02T09:00:00Z">`} {
			if !strings.Contains(list, want) {
				t.Errorf("the admins page does not show %q", want)
			}
		}
		if strings.Contains(list, "elsewhere@example.com") || strings.Contains(list, "/org/admins/"+ana.ID+"/remove") {
			t.Error("the admins page shows another organisation's admin, or a button to remove oneself")
		}

		page := resultsStatus(t, "an invitation with mistakes", c.post("/org/admins", c.formWith("name", "", "email", "dee at example")), http.StatusUnprocessableEntity)
		for _, want := range []string{`<p class="error-text" id="name-error">Enter a name.</p>`,
			`<p class="error-text" id="email-error">Enter an email address like name@example.com.</p>`, `value="dee at example"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the invitation with mistakes does not show %q", want)
			}
		}
		page = resultsStatus(t, "an admin invited twice", c.post("/org/admins", c.formWith("name", "Never", "email", "never@example.com")), http.StatusConflict)
		if !strings.Contains(page, "This person is already an admin of the organisation.") || !strings.Contains(page, `value="Never"`) {
			t.Error("inviting an admin again does not say so next to the email, with the name kept")
		}
		if rec := c.post("/org/admins", c.formWith("name", "Dee Diaz", "email", "Dee@Example.com")); rec.Code != http.StatusSeeOther {
			t.Fatalf("invite Dee: %d\n%s", rec.Code, rec.Body)
		}
		dee, err := h.fx.Store.UserByEmail(context.Background(), x, "dee@example.com")
		if err != nil || !dee.Has(assessment.RoleAdmin) || dee.PasswordHash != "" {
			t.Fatalf("Dee's account: %+v, %v", dee, err)
		}
		var invite []assessment.AccountEmail
		for _, m := range h.mail.Sent() {
			if m.To == "dee@example.com" && m.Purpose == assessment.PurposeInvite && m.Link != "" {
				invite = append(invite, m)
			}
		}
		if len(invite) != 1 {
			t.Errorf("Dee's invitation emails: %+v", invite)
		}

		page = resultsStatus(t, "removing oneself", c.post("/org/admins/"+ana.ID+"/remove", c.formWith()), http.StatusConflict)
		if !strings.Contains(page, "You cannot remove yourself. Ask another admin to remove you.") {
			t.Error("removing oneself does not say why it is refused")
		}
		never := h.signedIn("never@example.com")
		never2, _ := h.fx.Store.UserByEmail(context.Background(), x, "never@example.com")
		if rec := c.post("/org/admins/"+never2.ID+"/remove", c.formWith()); rec.Code != http.StatusSeeOther {
			t.Fatalf("remove an admin: %d\n%s", rec.Code, rec.Body)
		}
		if never.isSignedIn() {
			t.Error("a removed admin is still signed in")
		}
		if rec := c.post("/org/admins/"+never2.ID+"/remove", c.formWith()); rec.Code != http.StatusNotFound {
			t.Errorf("removing a removed admin: %d, want 404", rec.Code)
		}
		audit := resultsStatus(t, "the audit log", c.get("/audit"), http.StatusOK)
		for _, want := range []string{"Invited an admin", "Removed an admin"} {
			if !strings.Contains(audit, want) {
				t.Errorf("the audit log does not say %q", want)
			}
		}
	})
}
