package api

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/lead360/lead360/assessment"
)

// auditActions lists the actions of the organisation's audit log, newest
// first.
func auditActionsOf(t *testing.T, h *harness, orgID string) []assessment.AuditRecord {
	t.Helper()
	entries, _, _, err := h.fx.Service.AuditPage(context.Background(), orgID, 1, 200)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// countAudit counts the entries of an action and gives the newest's detail.
func countAudit(entries []assessment.AuditRecord, action string) (n int, detail string) {
	n, newest := newestAudit(entries, action)
	return n, newest.Detail
}

// countAuditBy counts the entries of an action and says who made the
// newest without an account: its actor label, such as an API token's.
func countAuditBy(entries []assessment.AuditRecord, action string) (n int, by string) {
	n, newest := newestAudit(entries, action)
	return n, newest.ActorLabel
}

// newestAudit counts the entries of an action, newest first, and gives the
// newest.
func newestAudit(entries []assessment.AuditRecord, action string) (n int, newest assessment.AuditRecord) {
	for _, e := range entries {
		if e.Action == action {
			if n == 0 {
				newest = e
			}
			n++
		}
	}
	return n, newest
}

// The contact form: each problem next to its field with what was typed
// kept; a saved contact is shown as emails will say it, audited; both
// fields empty remove it.
func TestOrgContactPage(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		org := h.fx.Org.ID
		h.user(org, "hr@acme.test", assessment.RoleAdmin)
		admin := h.signedIn("hr@acme.test")
		wantPage(t, "no contact", admin.get("/org/contact"), http.StatusOK, "No contact yet")
		for _, tc := range []struct {
			name        string
			form        url.Values
			wantProblem []string
		}{
			{"not an address", url.Values{"contact_name": {"Zoë Martin, People team"}, "contact_email": {"people at example"}},
				[]string{`id="contact_email-error">Enter an email address like name@example.com.`, `value="Zoë Martin, People team"`, `value="people at example"`}},
			{"no name", url.Values{"contact_name": {"  "}, "contact_email": {"people@example.com"}},
				[]string{`id="contact_name-error">Enter the name emails show, like Zoë Martin, People team.`, `value="people@example.com"`}},
			{"no address", url.Values{"contact_name": {"People team"}, "contact_email": {""}},
				[]string{`id="contact_email-error">Enter the address replies go to, like people@example.com.`, `value="People team"`}},
			{"two lines", url.Values{"contact_name": {"People\r\nBcc: x@evil.test"}, "contact_email": {"people@example.com"}},
				[]string{`id="contact_name-error">Use a single line of text.`}},
			{"look-alike letters", url.Values{"contact_name": {"People team"}, "contact_email": {"people@exаmple.com"}},
				[]string{`id="contact_email-error">This address mixes alphabets`}},
		} {
			wantPage(t, tc.name, admin.postForm("/org/contact", tc.form), http.StatusUnprocessableEntity, tc.wantProblem...)
		}
		if n, _ := countAudit(auditActionsOf(t, h, org), assessment.ActionOrgContact); n != 0 {
			t.Fatalf("%d contact audit entries after refused forms", n)
		}
		rec := admin.postForm("/org/contact", url.Values{"contact_name": {" Zoë Martin, People team "}, "contact_email": {"People@Example.com"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/org/contact?notice=saved" {
			t.Fatalf("save: %d to %q\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
		}
		wantPage(t, "saved", admin.get("/org/contact?notice=saved"), http.StatusOK, "The contact is saved",
			"Questions? Contact Zoë Martin, People team (people@example.com).")
		if n, detail := countAudit(auditActionsOf(t, h, org), assessment.ActionOrgContact); n != 1 || detail != "Contact: Zoë Martin, People team (people@example.com)" {
			t.Fatalf("audit after saving: %d entries, last %q", n, detail)
		}
		rec = admin.postForm("/org/contact", url.Values{"contact_name": {""}, "contact_email": {""}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/org/contact?notice=removed" {
			t.Fatalf("remove: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		wantPage(t, "removed", admin.get("/org/contact?notice=removed"), http.StatusOK, "The contact is removed", "No contact yet")
		if n, _ := countAudit(auditActionsOf(t, h, org), assessment.ActionOrgContact); n != 2 {
			t.Fatalf("audit after removing: %d entries", n)
		}
	})
}

// "Invite leaders to nominate" asks first, then emails each leader once
// (a set-password link without an account, a sign-in note with one), says
// how many were emailed and how many had been, and is audited; a cycle that
// does not let leaders nominate refuses with the reason on its page.
func TestInviteLeadersToNominateFromTheCyclePage(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		org := h.fx.Org.ID
		h.user(org, "hr@acme.test", assessment.RoleAdmin)
		h.user(org, "lea@acme.test", assessment.RoleLeader)
		admin := h.signedIn("hr@acme.test")
		c := h.fx.MustCreateCycle(t, "Spring feedback")
		mustNominate(t, h, c, assessment.GroupLimit{Relationship: assessment.Peer, Min: 1, Max: 5})
		h.fx.MustAddLeader(t, c.ID, "Lea Stone", "lea@acme.test")
		h.fx.MustAddLeader(t, c.ID, "Ana Lima", "ana@acme.test")
		invite := "/cycles/" + c.ID + "/nominations/invite"
		wantPage(t, "cycle page", admin.get("/cycles/"+c.ID), http.StatusOK, "Invite leaders to nominate…")
		wantPage(t, "confirmation", admin.postForm(invite, nil), http.StatusOK, "Ask the leaders of Spring feedback to nominate their raters?")
		if n := len(h.mail.Sent()); n != 0 {
			t.Fatalf("%d emails before confirming", n)
		}
		for i, want := range []string{"n0=2&n1=0", "n0=0&n1=2"} {
			rec := admin.postForm(invite, url.Values{"confirm": {"1"}})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/cycles/"+c.ID+"?"+want+"&notice=nominators" {
				t.Fatalf("click %d: %d to %q", i+1, rec.Code, rec.Header().Get("Location"))
			}
		}
		wantPage(t, "notice", admin.get("/cycles/"+c.ID+"?n0=0&n1=2&notice=nominators"), http.StatusOK,
			"Leaders asked to nominate their raters: 0 emailed now, 2 had been asked already.")
		sent := map[string]assessment.PasswordPurpose{}
		for _, m := range h.mail.Sent() {
			if _, twice := sent[m.To]; twice {
				t.Errorf("%s emailed twice", m.To)
			}
			sent[m.To] = m.Purpose
		}
		if len(sent) != 2 || sent["lea@acme.test"] != assessment.PurposeNominate || sent["ana@acme.test"] != assessment.PurposeNominateInvite {
			t.Fatalf("emails: %v", sent)
		}
		if n, detail := countAudit(auditActionsOf(t, h, org), assessment.ActionNominationsInvite); n != 2 ||
			detail != `Asked the leaders of "Spring feedback" to nominate: 0 emailed now, 2 asked before` {
			t.Fatalf("audit: %d entries, last %q", n, detail)
		}

		plain := h.fx.MustCreateCycle(t, "HR chooses")
		wantPage(t, "no nominations", admin.postForm("/cycles/"+plain.ID+"/nominations/invite", url.Values{"confirm": {"1"}}),
			http.StatusConflict, "does not let leaders nominate their raters. Turn it on in the cycle&#39;s settings first.")
	})
}
