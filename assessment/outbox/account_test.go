package outbox_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// accountEnv is a mailer fixture whose accounts send through the outbox and
// whose cycles invite their leaders when they open.
type accountEnv struct {
	*env
	accounts *assessment.Accounts
}

func newAccountEnv(t testing.TB, eng assessmenttest.Engine) *accountEnv {
	t.Helper()
	e := newEnv(t, eng)
	return &accountEnv{env: e, accounts: e.Accounts}
}

// mustUser creates an account that can sign in.
func (e *accountEnv) mustUser(t testing.TB, orgID, email string, role assessment.Role) assessment.User {
	t.Helper()
	u := assessment.User{OrganizationID: orgID, Email: email, Name: "User " + email, Roles: []assessment.Role{role}, PasswordHash: assessmenttest.PasswordHash("plum tree river lantern")}
	if err := e.Store.CreateUser(context.Background(), &u); err != nil {
		t.Fatal(err)
	}
	return u
}

// passwordTokens lists the password link tokens in the messages.
func passwordTokens(msgs []assessmenttest.SMTPMessage) []string {
	var out []string
	for _, m := range msgs {
		for _, u := range m.URLs() {
			if t, ok := strings.CutPrefix(u, baseURL+"/password/reset/"); ok {
				out = append(out, t)
			}
		}
	}
	return out
}

// assertNoRawAccountTokens searches the tables that could hold a password
// link, the job queue's included.
func assertNoRawAccountTokens(t *testing.T, st *store.Store, tokens []string) {
	t.Helper()
	if len(tokens) == 0 {
		t.Fatal("no tokens to look for")
	}
	for _, q := range []string{
		"SELECT token_hash || user_id || purpose FROM password_tokens",
		"SELECT action || subject_id || detail FROM audit_log",
		"SELECT CAST(args AS TEXT) FROM river_job",
	} {
		rows, err := st.DB().Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			for _, tok := range tokens {
				if strings.Contains(s, tok) {
					t.Fatalf("raw password token found at rest: %s", q)
				}
			}
		}
		rows.Close()
	}
}

// A reset email arrives by SMTP with a link that works once, and the token
// is nowhere in the database.
func TestPasswordResetEmailGoesThroughTheOutbox(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newAccountEnv(t, eng)
			ctx := context.Background()
			e.mustUser(t, e.Org.ID, "ana@example.com", assessment.RoleAdmin)
			if err := e.accounts.RequestPasswordReset(ctx, "Ana@Example.com"); err != nil {
				t.Fatal(err)
			}
			msgs := e.smtp.WaitFor(1, 30*time.Second)
			m := msgs[0]
			if m.EnvelopeTo[0] != "ana@example.com" || m.MessageID == "" || m.HTML == "" || !strings.Contains(m.Subject, "Reset") ||
				!strings.Contains(m.Text, "30 minutes") {
				t.Fatalf("reset email: to %v, id %q, subject %q\n%s", m.EnvelopeTo, m.MessageID, m.Subject, m.Text)
			}
			tokens := passwordTokens(msgs)
			if len(tokens) != 1 {
				t.Fatalf("links in the email: %v", m.URLs())
			}
			assertNoRawAccountTokens(t, e.st, tokens)
			if err := e.accounts.CheckPasswordLink(ctx, tokens[0]); err != nil {
				t.Fatalf("emailed link: %v", err)
			}
			if _, err := e.accounts.ResetPassword(ctx, tokens[0], "a brand new passphrase"); err != nil {
				t.Fatal(err)
			}
			if _, err := e.accounts.ResetPassword(ctx, tokens[0], "another new passphrase"); assessment.ErrorCode(err) != assessment.CodeGone {
				t.Fatalf("second use of the link: %v", err)
			}
			if _, err := e.accounts.Authenticate(ctx, "ana@example.com", "a brand new passphrase"); err != nil {
				t.Fatalf("sign in with the new password: %v", err)
			}
		})
	}
}

// A reset request for an address with an account in two organisations
// goes through the queue as one request job, then one email per account,
// each naming its organisation and carrying its own link; the job table
// never holds the address in clear, and an unknown address gets nothing.
func TestPasswordResetRequestMailsEveryAccountOfTheAddress(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newAccountEnv(t, eng)
			ctx := context.Background()
			globex, err := e.Service.CreateOrganization(ctx, "Globex of "+t.Name())
			if err != nil {
				t.Fatal(err)
			}
			e.mustUser(t, e.Org.ID, "ana@example.com", assessment.RoleAdmin)
			e.mustUser(t, globex.ID, "ana@example.com", assessment.RoleLeader)
			for _, email := range []string{"nobody@example.com", "ana@example.com"} {
				if err := e.accounts.RequestPasswordReset(ctx, email); err != nil {
					t.Fatal(err)
				}
			}
			msgs := e.smtp.WaitFor(2, 30*time.Second)
			var orgs []string
			for _, m := range msgs {
				if m.EnvelopeTo[0] != "ana@example.com" {
					t.Fatalf("a reset email went to %v", m.EnvelopeTo)
				}
				for _, name := range []string{e.Org.Name, globex.Name} {
					if strings.Contains(m.Text, "account at "+name) {
						orgs = append(orgs, name)
					}
				}
			}
			tokens := passwordTokens(msgs)
			if len(orgs) != 2 || orgs[0] == orgs[1] || len(tokens) != 2 || tokens[0] == tokens[1] {
				t.Fatalf("reset emails name %v with links %v; want one per organisation", orgs, tokens)
			}
			assertNoRawAccountTokens(t, e.st, append(tokens, "ana@example.com", "nobody@example.com"))
			// Two request jobs and two email jobs, all done: no third email
			// is on its way.
			waitFor(t, "every job to finish", func() bool {
				var n int
				err := e.st.DB().QueryRow("SELECT count(*) FROM river_job WHERE kind IN ('password_reset_request', 'account_mail') AND state = 'completed'").Scan(&n)
				return err == nil && n == 4
			})
			if n := len(e.smtp.Messages()); n != 2 {
				t.Fatalf("%d reset emails, want 2", n)
			}
		})
	}
}

// Opening a cycle gives a leader without an account an invitation to set a
// password (the link works once), a leader who can sign in a note, and
// someone with an account only in another organisation an account and an
// invitation here, leaving the other account as it was; the survey emails
// go out as before.
func TestOpeningACycleInvitesItsLeaders(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newAccountEnv(t, eng)
			ctx := context.Background()
			other, err := e.Service.CreateOrganization(ctx, "Other of "+t.Name())
			if err != nil {
				t.Fatal(err)
			}
			boAdmin := e.mustUser(t, e.Org.ID, "bo@example.com", assessment.RoleAdmin)      // an admin who is also assessed
			cyElsewhere := e.mustUser(t, other.ID, "cy@example.com", assessment.RoleLeader) // an account elsewhere
			c := e.MustCreateCycle(t, "Spring feedback")
			e.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
			e.MustAddLeader(t, c.ID, "Bo Chen", "bo@example.com")
			e.MustAddLeader(t, c.ID, "Cy Park", "cy@example.com")
			if _, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", e.Accounts); err != nil {
				t.Fatal(err)
			}
			// 3 self-assessments, Ana's and Cy's invitations, Bo's note.
			to := byRecipient(e.smtp.WaitFor(6, 30*time.Second))
			var invite, note assessmenttest.SMTPMessage
			for _, m := range to["ana@example.com"] {
				if strings.Contains(m.Subject, "account") {
					invite = m
				}
			}
			for _, m := range to["bo@example.com"] {
				if strings.Contains(m.Subject, "has opened") {
					note = m
				}
			}
			if len(to["cy@example.com"]) != 2 || invite.MessageID == "" || note.MessageID == "" {
				t.Fatalf("emails: ana %d, bo %d, cy %d", len(to["ana@example.com"]), len(to["bo@example.com"]), len(to["cy@example.com"]))
			}
			if !strings.Contains(invite.Text, "Spring feedback") || !strings.Contains(invite.Text, "7 days") {
				t.Errorf("invitation:\n%s", invite.Text)
			}
			if len(passwordTokens([]assessmenttest.SMTPMessage{note})) != 0 || note.URL(baseURL+"/login") == "" {
				t.Errorf("the note must link to sign-in, not set a password: %v", note.URLs())
			}
			tokens := passwordTokens([]assessmenttest.SMTPMessage{invite})
			if len(tokens) != 1 {
				t.Fatalf("links in the invitation: %v", invite.URLs())
			}
			assertNoRawAccountTokens(t, e.st, tokens)

			// Ana's account exists as a leader of her person, with no
			// usable password until she sets one with the link, once.
			ana, err := e.Store.UserByEmail(ctx, e.Org.ID, "ana@example.com")
			if err != nil || !ana.Has(assessment.RoleLeader) || ana.PersonID == "" || ana.OrganizationID != e.Org.ID {
				t.Fatalf("Ana's account: %+v, %v", ana, err)
			}
			if _, err := e.accounts.Authenticate(ctx, "ana@example.com", ""); err == nil {
				t.Fatal("an invited account signs in without a password")
			}
			if _, err := e.accounts.ResetPassword(ctx, tokens[0], "a brand new passphrase"); err != nil {
				t.Fatal(err)
			}
			if _, err := e.accounts.ResetPassword(ctx, tokens[0], "a brand new passphrase"); assessment.ErrorCode(err) != assessment.CodeGone {
				t.Fatalf("second use of the invitation: %v", err)
			}
			if _, err := e.accounts.Authenticate(ctx, "ana@example.com", "a brand new passphrase"); err != nil {
				t.Fatal(err)
			}
			cyOther, errOther := e.Store.UserByEmail(ctx, other.ID, "cy@example.com")
			cyHere, errHere := e.Store.UserByEmail(ctx, e.Org.ID, "cy@example.com")
			if errOther != nil || cyOther.ID != cyElsewhere.ID || cyOther.PasswordHash != cyElsewhere.PasswordHash || errHere != nil || !cyHere.Has(assessment.RoleLeader) || cyHere.PasswordHash != "" {
				t.Fatalf("Cy's accounts: elsewhere %+v (%v), here %+v (%v); want the other organisation's unchanged and a new one here",
					cyOther, errOther, cyHere, errHere)
			}
			// Bo's admin account got the leader role, linked to Bo the
			// person: one account, one sign-in, both roles.
			bo, err := e.Store.UserByEmail(ctx, e.Org.ID, "bo@example.com")
			if err != nil || bo.ID != boAdmin.ID || !slices.Equal(bo.Roles, []assessment.Role{assessment.RoleAdmin, assessment.RoleLeader}) ||
				bo.PersonID == "" || bo.PasswordHash != boAdmin.PasswordHash {
				t.Fatalf("Bo's account: %+v, %v; want the admin account with the leader role added", bo, err)
			}
		})
	}
}

// capturing records the jobs an outbox mailer would enqueue, without a
// queue, so a test can run them at a moment it chooses.
type capturing struct {
	svc  *assessment.Service
	mu   sync.Mutex
	jobs []assessment.AccountMailJob
}

func (c *capturing) SendAccountEmail(_ context.Context, _ assessment.Store, m assessment.AccountEmail) error {
	j, err := c.svc.AccountMailJob(m)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.jobs = append(c.jobs, j.Args.(assessment.AccountMailJob))
	return nil
}

// A job whose link was replaced, used or expired sends nothing: a retry or
// a slow queue never mails a dead link.
func TestStaleAccountEmailIsNotSent(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, eng)
			ctx := context.Background()
			capt := &capturing{svc: f.Service}
			acc := assessment.NewAccounts(f.Service, baseURL, capt)
			requests := f.JobTable()
			u := assessment.User{OrganizationID: f.Org.ID, Email: "ana@example.com", Roles: []assessment.Role{assessment.RoleAdmin}, PasswordHash: assessmenttest.PasswordHash("plum tree river lantern")}
			if err := f.Store.CreateUser(ctx, &u); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if err := acc.RequestPasswordReset(ctx, "ana@example.com"); err != nil {
					t.Fatal(err)
				}
				requests.WorkPasswordResets(t, acc)
			}
			if len(capt.jobs) != 2 || capt.jobs[0].SealedToken == "" || capt.jobs[0].UserID != u.ID {
				t.Fatalf("jobs: %+v", capt.jobs)
			}
			first, err := f.Service.AccountMailFor(ctx, capt.jobs[0])
			if err != nil || !first.Stale {
				t.Fatalf("replaced link: stale %v, %v", first.Stale, err)
			}
			second, err := f.Service.AccountMailFor(ctx, capt.jobs[1])
			if err != nil || second.Stale || second.Token == "" || second.User.Email != "ana@example.com" {
				t.Fatalf("live link: %+v, %v", second, err)
			}
			f.Clock.Set(f.Clock.Now().Add(assessment.ResetLinkLifetime))
			if expired, err := f.Service.AccountMailFor(ctx, capt.jobs[1]); err != nil || !expired.Stale {
				t.Fatalf("expired link: stale %v, %v", expired.Stale, err)
			}
			// A sealed token moved into another user's job does not open.
			bo := assessment.User{OrganizationID: f.Org.ID, Email: "bo@example.com", Roles: []assessment.Role{assessment.RoleAdmin}, PasswordHash: assessmenttest.PasswordHash("plum tree river lantern")}
			if err := f.Store.CreateUser(ctx, &bo); err != nil {
				t.Fatal(err)
			}
			moved := capt.jobs[1]
			moved.UserID = bo.ID
			if _, err := f.Service.AccountMailFor(ctx, moved); err == nil {
				t.Fatal("a sealed token opened for another user")
			}
		})
	}
}

// A permanent failure of an account email is recorded in the audit log.
func TestAccountEmailFailureIsAudited(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newAccountEnv(t, eng)
			ctx := context.Background()
			e.mustUser(t, e.Org.ID, "gone@example.com", assessment.RoleAdmin)
			e.smtp.FailRecipient("gone@example.com", 550)
			if err := e.accounts.RequestPasswordReset(ctx, "gone@example.com"); err != nil {
				t.Fatal(err)
			}
			var detail string
			waitFor(t, "the failure in the audit log", func() bool {
				row := e.st.DB().QueryRow("SELECT detail FROM audit_log WHERE action = 'email.failed'")
				return row.Scan(&detail) == nil
			})
			if !strings.Contains(detail, "550") || !strings.HasPrefix(detail, "reset email") {
				t.Fatalf("audit detail %q", detail)
			}
		})
	}
}
