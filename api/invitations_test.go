package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// mailHarness is the account harness over a fixture whose job queue sends
// to an in-process SMTP server, with account emails through the outbox and
// leaders invited when a cycle opens: the production wiring.
type mailHarness struct {
	*harness
	m *assessmenttest.Mailer
}

func newMailHarness(t *testing.T, eng assessmenttest.Engine) *mailHarness {
	t.Helper()
	m := assessmenttest.NewMailer(t, eng, testBaseURL)
	accounts := m.Accounts
	srv, err := NewServer(Deps{Service: m.Service, Accounts: accounts, BaseURL: testBaseURL,
		Ping: func(context.Context) error { return nil }, Threshold: 3,
		Logger: slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatal(err)
	}
	return &mailHarness{harness: &harness{t: t, fx: m.Fixture, accounts: accounts, srv: srv, e: srv.Routes()}, m: m}
}

func forMailEngine(t *testing.T, test func(t *testing.T, h *mailHarness)) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			test(t, newMailHarness(t, eng))
		})
	}
}

// postForm posts with the session's form token.
func (c *client) postForm(path string, form url.Values) *httptest.ResponseRecorder {
	if form == nil {
		form = url.Values{}
	}
	form.Set(csrfField, c.csrf())
	return c.post(path, form)
}

// emailed waits for the nth message to addr (1-based) and returns it.
func (h *mailHarness) emailed(addr string, n int, subject string) assessmenttest.SMTPMessage {
	h.t.Helper()
	var found []assessmenttest.SMTPMessage
	assessmenttest.WaitFor(h.t, "email to "+addr, func() bool {
		found = found[:0]
		for _, m := range assessmenttest.ByRecipient(h.m.SMTP.Messages())[addr] {
			if strings.Contains(m.Subject, subject) {
				found = append(found, m)
			}
		}
		return len(found) >= n
	})
	return found[n-1]
}

// The forgot-password page sends a reset email through the outbox; its link
// sets the password once, and the token is not stored anywhere in clear.
func TestPasswordResetEmailArrivesBySMTP(t *testing.T) {
	forMailEngine(t, func(t *testing.T, h *mailHarness) {
		h.user(h.fx.Org.ID, "ana@example.com", assessment.RoleAdmin)
		if rec := h.client().post("/password/forgot", url.Values{"email": {"ana@example.com"}}); rec.Code != http.StatusOK {
			t.Fatalf("forgot: %d", rec.Code)
		}
		msg := h.emailed("ana@example.com", 1, "Reset")
		link := msg.URL(testBaseURL + "/password/reset/")
		if link == "" {
			t.Fatalf("no reset link in:\n%s", msg.Text)
		}
		path := linkPath(t, link)
		assertNotStored(t, h.m, strings.TrimPrefix(path, "/password/reset/"))
		c := h.client()
		if rec := c.get(path); rec.Code != http.StatusOK {
			t.Fatalf("GET link: %d", rec.Code)
		}
		if rec := c.post(path, url.Values{"password": {"a brand new passphrase"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("POST link: %d\n%s", rec.Code, rec.Body)
		}
		if rec := c.get(path); rec.Code != http.StatusGone {
			t.Fatalf("GET used link: %d", rec.Code)
		}
		if rec := c.post("/login", url.Values{"email": {"ana@example.com"}, "password": {"a brand new passphrase"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("sign in with the new password: %d", rec.Code)
		}
	})
}

// assertNotStored looks for a raw token in every table that could hold one.
func assertNotStored(t *testing.T, m *assessmenttest.Mailer, token string) {
	t.Helper()
	for _, q := range []string{
		"SELECT token_hash || user_id FROM password_tokens",
		"SELECT token_hash || token_sealed || failure FROM invitations",
		"SELECT detail FROM audit_log",
		"SELECT CAST(args AS TEXT) FROM river_job",
	} {
		rows, err := m.DB.DB().Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(s, token) {
				t.Fatalf("raw token at rest: %s", q)
			}
		}
		rows.Close()
	}
}

// HR sees failed emails first with the server's answer; a resend emails a
// new link and the old one answers like an unknown token; the leader's
// emailed invitation sets a password once.
func TestInvitationsPageResendAndLeaderInvite(t *testing.T) {
	forMailEngine(t, func(t *testing.T, h *mailHarness) {
		ctx := context.Background()
		h.user(h.fx.Org.ID, "admin@example.com", assessment.RoleAdmin)
		admin := h.signedIn("admin@example.com")
		c := h.fx.MustCreateCycle(t, "Spring feedback")
		ana, _ := h.fx.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
		h.fx.MustAddRater(t, ana.ID, "Cy Park", "cy@example.com", assessment.Peer)
		h.fx.MustAddRater(t, ana.ID, "Dee Roe", "dee@example.com", assessment.Manager)
		h.m.SMTP.FailRecipient("dee@example.com", 550)
		if _, err := h.fx.Service.OpenCycle(ctx, h.fx.Org.ID, c.ID, "", h.accounts); err != nil {
			t.Fatal(err)
		}
		oldLink := h.emailed("cy@example.com", 1, "Feedback for").URL(testBaseURL + "/s/")
		assessmenttest.WaitFor(t, "Dee's failure to be recorded", func() bool {
			_, list, err := h.fx.Service.CycleInvitations(ctx, h.fx.Org.ID, c.ID, "")
			return err == nil && len(list) == 3 && list[0].State() == assessment.InvitationFailed
		})

		page := admin.get("/cycles/" + c.ID + "/invitations")
		body := page.Body.String()
		if page.Code != http.StatusOK || !strings.Contains(body, "Email failed") || !strings.Contains(body, "550") {
			t.Fatalf("invitations page: %d\n%s", page.Code, body)
		}
		if strings.Index(body, "Dee Roe") > strings.Index(body, "Cy Park") {
			t.Error("the failed invitation is not listed first")
		}

		// Resend Cy's link: the old one dies, the new one works.
		_, list, _ := h.fx.Service.CycleInvitations(ctx, h.fx.Org.ID, c.ID, "")
		var cyInv string
		for _, st := range list {
			if st.Rater.Email == "cy@example.com" {
				cyInv = st.Invitation.ID
			}
		}
		rec := admin.postForm("/cycles/"+c.ID+"/invitations/"+cyInv+"/resend", nil)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("resend: %d\n%s", rec.Code, rec.Body)
		}
		newLink := h.emailed("cy@example.com", 2, "Feedback for").URL(testBaseURL + "/s/")
		if newLink == "" || newLink == oldLink {
			t.Fatalf("resent link %q (old %q)", newLink, oldLink)
		}
		unknown := h.client().get("/s/" + strings.Repeat("A", 43))
		old := h.client().get(strings.TrimPrefix(oldLink, testBaseURL))
		if old.Code != http.StatusNotFound || old.Code != unknown.Code || !strings.Contains(old.Body.String(), "cannot be used") {
			t.Fatalf("old link: %d, unknown token: %d\n%s", old.Code, unknown.Code, old.Body)
		}
		if rec := h.client().get(strings.TrimPrefix(newLink, testBaseURL)); rec.Code != http.StatusOK {
			t.Fatalf("new link: %d", rec.Code)
		}
		// The replaced link cannot be revoked again: a stale page's click changes nothing.
		if rec := admin.postForm("/cycles/"+c.ID+"/invitations/"+cyInv+"/revoke", nil); rec.Code != http.StatusConflict {
			t.Fatalf("revoke of a replaced link: %d", rec.Code)
		}

		// Ana was invited to the dashboard; the link works once.
		invite := h.emailed("ana@example.com", 1, "account")
		path := linkPath(t, invite.URL(testBaseURL+"/password/reset/"))
		assertNotStored(t, h.m, strings.TrimPrefix(path, "/password/reset/"))
		if rec := h.client().post(path, url.Values{"password": {"a brand new passphrase"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("set password from the invitation: %d", rec.Code)
		}
		if rec := h.client().post(path, url.Values{"password": {"another passphrase here"}}); rec.Code != http.StatusGone {
			t.Fatalf("second use of the invitation: %d", rec.Code)
		}
		leader := h.client()
		if rec := leader.post("/login", url.Values{"email": {"ana@example.com"}, "password": {"a brand new passphrase"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("leader sign-in: %d", rec.Code)
		}

		// Once closed, nothing can be resent (the clock's jump ended the
		// session, so the admin signs in again).
		h.fx.Clock.Set(c.ClosesAt.Add(time.Minute))
		admin = h.signedIn("admin@example.com")
		if rec := admin.postForm("/cycles/"+c.ID+"/invitations/"+cyInv+"/resend", nil); rec.Code != http.StatusConflict {
			t.Fatalf("resend after close: %d", rec.Code)
		}
	})
}
