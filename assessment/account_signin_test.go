package assessment_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// twoOrganisations is a fixture whose email ana@example.com has an account
// in its organisation ("Acme") and one in a second ("Globex"), each with
// its own password, and whose reset requests wait in a job recorder.
type twoOrganisations struct {
	*assessmenttest.Fixture
	acc        *assessment.Accounts
	mails      *assessmenttest.AccountMails
	jobs       *assessmenttest.JobTable
	acme, glob assessment.User
}

func newTwoOrganisations(t *testing.T, e assessmenttest.Engine, acmePassword, globexPassword string) *twoOrganisations {
	t.Helper()
	f := assessmenttest.NewFixture(t, e)
	mails := &assessmenttest.AccountMails{}
	w := &twoOrganisations{Fixture: f, acc: assessment.NewAccounts(f.Service, "http://lead360.test", mails), mails: mails, jobs: f.JobTable()}
	ctx := context.Background()
	var err error
	if w.acme, _, err = w.acc.CreateAdmin(ctx, assessment.AdminInput{Organization: f.Org.Name, Email: "ana@example.com", Password: acmePassword}); err != nil {
		t.Fatal(err)
	}
	f.Clock.Set(f.Clock.Now().Add(1))
	if w.glob, _, err = w.acc.CreateAdmin(ctx, assessment.AdminInput{Organization: "Globex of " + t.Name(), Email: "Ana@Example.com", Password: globexPassword}); err != nil {
		t.Fatal(err)
	}
	return w
}

func ids(users []assessment.User) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}

// One email, an account in two organisations: a password opens the
// accounts it belongs to and no other, and the choice between two names
// only organisations the password opened.
func TestSignInWithTheSameEmailInTwoOrganisations(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			w := newTwoOrganisations(t, e, "acme tulip harbour", "globex daffodil meadow")
			if got, err := w.acc.Authenticate(ctx, "ana@example.com", "acme tulip harbour"); err != nil || !slices.Equal(ids(got), []string{w.acme.ID}) {
				t.Fatalf("Acme's password: %v, %v", ids(got), err)
			}
			if got, err := w.acc.Authenticate(ctx, "ANA@example.com", "globex daffodil meadow"); err != nil || !slices.Equal(ids(got), []string{w.glob.ID}) {
				t.Fatalf("Globex's password: %v, %v", ids(got), err)
			}
			_, wrong := w.acc.Authenticate(ctx, "ana@example.com", "neither")
			_, unknown := w.acc.Authenticate(ctx, "bo@example.com", "acme tulip harbour")
			if wrong == nil || unknown == nil || wrong.Error() != unknown.Error() {
				t.Fatalf("wrong password %v, unknown email %v: want the same error", wrong, unknown)
			}

			same := newTwoOrganisations(t, e, "one tulip harbour", "one tulip harbour")
			got, err := same.acc.Authenticate(ctx, "ana@example.com", "one tulip harbour")
			if err != nil || !slices.Equal(ids(got), []string{same.acme.ID, same.glob.ID}) {
				t.Fatalf("one password for both: %v, %v; want both accounts, oldest first", ids(got), err)
			}
			choices, err := same.acc.SignInChoices(ctx, ids(got))
			if err != nil || len(choices) != 2 || choices[0].OrganizationName != same.Org.Name || !strings.HasPrefix(choices[1].OrganizationName, "Globex") ||
				choices[1].UserID != same.glob.ID || !slices.Equal(choices[1].Roles, []assessment.Role{assessment.RoleAdmin}) {
				t.Fatalf("choices: %+v, %v", choices, err)
			}
		})
	}
}

// enqueueOnly is a store that can do one thing: record jobs in a
// transaction. Any other call reaches the nil Store inside and panics, so
// a use case that works over it provably reads and writes nothing else.
type enqueueOnly struct {
	assessment.Store
	jobs []assessment.Job
}

func (s *enqueueOnly) InTx(_ context.Context, fn func(tx assessment.Store) error) error { return fn(s) }

func (s *enqueueOnly) Enqueue(_ context.Context, jobs ...assessment.Job) error {
	s.jobs = append(s.jobs, jobs...)
	return nil
}

// A reset request does the same work for every address: it looks nothing
// up and hashes nothing, and records exactly one job whose only content is
// the sealed address (no address in clear). Whether the address has
// accounts is decided later, in the job, away from the request's timing.
func TestPasswordResetRequestDoesTheSameWorkForEveryAddress(t *testing.T) {
	t.Parallel()
	st := &enqueueOnly{}
	acc := assessment.NewAccounts(assessment.NewService(st, assessmenttest.Tokens(), nil), "http://lead360.test", &assessmenttest.AccountMails{})
	ctx := context.Background()
	for _, email := range []string{"ana@example.com", "bob@example.com", " Ana@Example.COM "} {
		before := len(st.jobs)
		if err := acc.RequestPasswordReset(ctx, email); err != nil {
			t.Fatalf("%q: %v", email, err)
		}
		if len(st.jobs) != before+1 {
			t.Fatalf("%q recorded %d jobs, want 1", email, len(st.jobs)-before)
		}
		job, ok := st.jobs[before].Args.(assessment.PasswordResetJob)
		if !ok || job.SealedEmail == "" || strings.Contains(strings.ToLower(job.SealedEmail), "example") || !st.jobs[before].At.IsZero() {
			t.Fatalf("%q: job %+v", email, st.jobs[before])
		}
	}
	if a, b := st.jobs[0].Args.(assessment.PasswordResetJob), st.jobs[1].Args.(assessment.PasswordResetJob); len(a.SealedEmail) != len(b.SealedEmail) {
		t.Fatalf("addresses of the same length give jobs of different sizes: %d, %d", len(a.SealedEmail), len(b.SealedEmail))
	}
	err := acc.RequestPasswordReset(ctx, "not an address")
	if assessment.ErrorCode(err) != assessment.CodeInvalid || len(st.jobs) != 3 {
		t.Fatalf("a non-address: %v, %d jobs", err, len(st.jobs))
	}
}

// The job of a reset request mails each account of the address its own
// link, bound to that account: Acme's link sets Acme's password and leaves
// Globex's as it was. Until the job runs, nothing is sent, for a known
// address as for an unknown one.
func TestPasswordResetLinksAreBoundToOneAccount(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			w := newTwoOrganisations(t, e, "acme tulip harbour", "globex daffodil meadow")
			for _, email := range []string{"ana@example.com", "bob@example.com"} {
				if err := w.acc.RequestPasswordReset(ctx, email); err != nil {
					t.Fatal(err)
				}
			}
			if n := len(w.mails.Sent()); n != 0 {
				t.Fatalf("%d emails before the job ran", n)
			}
			w.jobs.WorkPasswordResets(t, w.acc)
			mails := w.mails.Sent()
			if len(mails) != 2 || mails[0].UserID != w.acme.ID || mails[1].UserID != w.glob.ID ||
				mails[0].OrganizationID != w.Org.ID || mails[1].OrganizationID != w.glob.OrganizationID || mails[0].Link == mails[1].Link {
				t.Fatalf("reset emails: %+v", mails)
			}
			acmeToken := strings.TrimPrefix(mails[0].Link, "http://lead360.test/password/reset/")
			u, err := w.acc.ResetPassword(ctx, acmeToken, "a new acme passphrase")
			if err != nil || u.ID != w.acme.ID {
				t.Fatalf("reset with Acme's link: %+v, %v", u, err)
			}
			if got, err := w.acc.Authenticate(ctx, "ana@example.com", "a new acme passphrase"); err != nil || !slices.Equal(ids(got), []string{w.acme.ID}) {
				t.Fatalf("new Acme password: %v, %v", ids(got), err)
			}
			if got, err := w.acc.Authenticate(ctx, "ana@example.com", "globex daffodil meadow"); err != nil || !slices.Equal(ids(got), []string{w.glob.ID}) {
				t.Fatalf("Globex's password after Acme's reset: %v, %v", ids(got), err)
			}
			globexToken := strings.TrimPrefix(mails[1].Link, "http://lead360.test/password/reset/")
			if err := w.acc.CheckPasswordLink(ctx, globexToken); err != nil {
				t.Fatalf("Globex's link after Acme's reset: %v", err)
			}
		})
	}
}
