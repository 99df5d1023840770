package assessment_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// testPassword opens the accounts made with mustHash.
const testPassword = "tulip harbour"

// sentTo lists the account emails handed over for one address.
func sentTo(mails *assessmenttest.AccountMails, email string) []assessment.AccountEmail {
	var out []assessment.AccountEmail
	for _, e := range mails.Sent() {
		if e.To == email {
			out = append(out, e)
		}
	}
	return out
}

// adminsEnv is an organisation with one admin, Ana, signed up with a
// password, and a recording mailer.
type adminsEnv struct {
	*assessmenttest.Fixture
	acc  *assessment.Accounts
	mail *assessmenttest.AccountMails
	ana  assessment.User
}

func newAdminsEnv(t *testing.T, e assessmenttest.Engine) *adminsEnv {
	t.Helper()
	f := assessmenttest.NewFixture(t, e)
	mail := &assessmenttest.AccountMails{}
	acc := assessment.NewAccounts(f.Service, "http://lead360.test", mail)
	ana, _, err := acc.CreateAdmin(context.Background(), assessment.AdminInput{Organization: f.Org.Name, Email: "ana@example.com",
		Name: "Ana Lima", Password: "tulip harbour"})
	if err != nil {
		t.Fatal(err)
	}
	return &adminsEnv{Fixture: f, acc: acc, mail: mail, ana: ana}
}

// actions lists the organisation's audit actions on one subject, oldest
// first.
func (e *adminsEnv) actions(t *testing.T, subjectID string) []string {
	t.Helper()
	entries, err := e.Store.AuditEntries(context.Background(), e.Org.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range entries {
		if a.SubjectID == subjectID {
			out = append([]string{a.Action + " by " + a.ActorUserID}, out...)
		}
	}
	return out
}

// Inviting an admin: a new address makes an account with the admin role
// and an invitation link; a leader's address gets the admin role on the
// same account (both roles, the person kept) and, already able to sign in,
// no email; an admin's address and bad input are refused next to the
// field.
func TestInviteAdmin(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newAdminsEnv(t, eng)
			ctx := context.Background()

			bo, err := e.acc.InviteAdmin(ctx, e.ana, assessment.AdminInvite{Name: " Bo Chen ", Email: "Bo@Example.com"})
			if err != nil || bo.Email != "bo@example.com" || bo.Name != "Bo Chen" || !slices.Equal(bo.Roles, []assessment.Role{assessment.RoleAdmin}) {
				t.Fatalf("new admin: %+v, %v", bo, err)
			}
			if got := sentTo(e.mail, "bo@example.com"); len(got) != 1 || got[0].Purpose != assessment.PurposeInvite || got[0].Token == "" || got[0].CycleID != "" {
				t.Fatalf("Bo's emails: %+v; want one invitation with a link", got)
			}
			if got := e.actions(t, bo.ID); !slices.Equal(got, []string{"admin.invite by " + e.ana.ID}) {
				t.Errorf("audit of Bo: %v", got)
			}

			leader, _ := e.MustAddLeader(t, e.MustCreateCycle(t, "Spring").ID, "Cy Park", "cy@example.com")
			cy := assessment.User{OrganizationID: e.Org.ID, Email: "cy@example.com", Name: "Cy Park", PasswordHash: assessmenttest.PasswordHash(testPassword),
				Roles: []assessment.Role{assessment.RoleLeader}, PersonID: leader.PersonID}
			if err := e.Store.CreateUser(ctx, &cy); err != nil {
				t.Fatal(err)
			}
			got, err := e.acc.InviteAdmin(ctx, e.ana, assessment.AdminInvite{Name: "Cy", Email: "cy@example.com"})
			if err != nil || got.ID != cy.ID {
				t.Fatalf("a leader invited as admin: %+v, %v", got, err)
			}
			if after, err := e.acc.User(ctx, cy.ID); err != nil || !after.Has(assessment.RoleAdmin) || !after.Has(assessment.RoleLeader) ||
				after.PersonID != leader.PersonID || after.Name != "Cy Park" {
				t.Fatalf("Cy after the invitation: %+v, %v; want both roles on the same account", after, err)
			}
			if got := sentTo(e.mail, "cy@example.com"); len(got) != 0 {
				t.Errorf("Cy can sign in already and got %+v", got)
			}

			for _, tc := range []struct {
				name   string
				in     assessment.AdminInvite
				fields []string
			}{
				{"already an admin", assessment.AdminInvite{Name: "Bo", Email: "bo@example.com"}, []string{"email"}},
				{"empty", assessment.AdminInvite{}, []string{"email", "name"}},
				{"not an address", assessment.AdminInvite{Name: "Di", Email: "di at example"}, []string{"email"}},
			} {
				_, err := e.acc.InviteAdmin(ctx, e.ana, tc.in)
				var de *assessment.Error
				if !errors.As(err, &de) || !slices.Equal(slices.Sorted(maps.Keys(de.Fields)), tc.fields) {
					t.Errorf("%s: %v, want problems with %v", tc.name, err, tc.fields)
				}
			}
			admins, err := e.acc.Admins(ctx, e.Org.ID)
			if err != nil || len(admins) != 3 {
				t.Fatalf("admins: %+v, %v", admins, err)
			}
		})
	}
}

// Removing an admin takes the role only: a leader keeps their own pages,
// an admin-only account keeps its row (for the audit log) and signs in
// nowhere; their sessions end. Nobody removes themself, and two admins
// removing each other at once leave one admin.
func TestRemoveAdmin(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newAdminsEnv(t, eng)
			ctx := context.Background()
			if err := e.acc.RemoveAdmin(ctx, e.ana, e.ana.ID); assessment.ErrorCode(err) != assessment.CodeConflict {
				t.Fatalf("removing oneself: %v, want a conflict", err)
			}
			bo, err := e.acc.InviteAdmin(ctx, e.ana, assessment.AdminInvite{Name: "Bo Chen", Email: "bo@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			if err := e.Store.SetPasswordHash(ctx, bo.ID, assessmenttest.PasswordHash(testPassword)); err != nil {
				t.Fatal(err)
			}
			if err := e.acc.SaveSession(ctx, "bo-session", bo.ID, []byte("x"), e.Clock.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := e.acc.RemoveAdmin(ctx, e.ana, bo.ID); err != nil {
				t.Fatal(err)
			}
			if after, err := e.acc.User(ctx, bo.ID); err != nil || len(after.Roles) != 0 {
				t.Fatalf("Bo after removal: %+v, %v; want the account without a role", after, err)
			}
			if _, found, err := e.acc.FindSession(ctx, "bo-session"); found || err != nil {
				t.Errorf("Bo's session survived the removal: %v", err)
			}
			if _, err := e.acc.Authenticate(ctx, "bo@example.com", testPassword); err == nil {
				t.Error("a removed admin still signs in")
			}
			if got := e.actions(t, bo.ID); !slices.Equal(got, []string{"admin.invite by " + e.ana.ID, "admin.remove by " + e.ana.ID}) {
				t.Errorf("audit of Bo: %v", got)
			}
			if err := e.acc.RemoveAdmin(ctx, e.ana, bo.ID); assessment.ErrorCode(err) != assessment.CodeNotFound {
				t.Errorf("removing a removed admin: %v, want not found", err)
			}

			// Ana and Bo (admin again) remove each other at the same moment:
			// one wins, the other is told they are the last admin.
			if bo, err = e.acc.InviteAdmin(ctx, e.ana, assessment.AdminInvite{Name: "Bo Chen", Email: "bo@example.com"}); err != nil {
				t.Fatal(err)
			}
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i, pair := range [][2]assessment.User{{e.ana, bo}, {bo, e.ana}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = e.acc.RemoveAdmin(ctx, pair[0], pair[1].ID)
				}()
			}
			wg.Wait()
			admins, err := e.acc.Admins(ctx, e.Org.ID)
			if err != nil || len(admins) != 1 || (errs[0] == nil) == (errs[1] == nil) {
				t.Fatalf("after a crossed removal: admins %+v (%v), errors %v", admins, err, errs)
			}
			for _, err := range errs {
				if err != nil && assessment.ErrorCode(err) != assessment.CodeConflict {
					t.Errorf("the crossed removal that lost: %v, want a conflict", err)
				}
			}
		})
	}
}
