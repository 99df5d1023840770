package assessment_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		password, email string
		refused         string // part of the message, "" when accepted
	}{
		{"short", "", "at least 8"},
		{"1234567", "", "at least 8"},
		{"password123", "", "most common"},
		{"PassWord123", "", "most common"}, // case does not make a common password rare
		{"qwertyuiop", "", "most common"},
		{"ana@example.com", "ana@example.com", "email address"},
		{strings.Repeat("long passphrase ", 16), "", ""}, // 256 characters
		{strings.Repeat("x", 257), "", "at most 256"},
		{"tulip harbour", "", ""},
		{"ünïcödé!", "", ""}, // 8 characters, 12 bytes
	}
	for _, tc := range tests {
		err := assessment.CheckPasswordPolicy("password", tc.password, tc.email)
		switch {
		case tc.refused == "" && err != nil:
			t.Errorf("%.20q refused: %v", tc.password, err)
		case tc.refused != "" && (err == nil || !strings.Contains(err.Error(), tc.refused)):
			t.Errorf("%.20q: %v, want a refusal about %q", tc.password, err, tc.refused)
		case err != nil && assessment.ErrorCode(err) != assessment.CodeInvalid:
			t.Errorf("%.20q: code %s", tc.password, assessment.ErrorCode(err))
		}
	}
}

func newAccounts(t *testing.T, e assessmenttest.Engine) (*assessmenttest.Fixture, *assessment.Accounts) {
	f := assessmenttest.NewFixture(t, e)
	return f, assessment.NewAccounts(f.Service, "http://lead360.test", nil)
}

// The command line creates admins at any time, with a generated password
// when none is given; the setup page only while there is no admin, and two
// concurrent setups cannot both win.
func TestCreatingAdmins(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f, acc := newAccounts(t, e)
			ctx := context.Background()

			var wg sync.WaitGroup
			results := make([]error, 2)
			for i := range results {
				wg.Go(func() {
					_, results[i] = acc.SetUp(ctx, assessment.AdminInput{Organization: "Acme", Email: []string{"a@example.com", "b@example.com"}[i], Password: "tulip harbour"})
				})
			}
			wg.Wait()
			won := 0
			for _, err := range results {
				switch assessment.ErrorCode(err) {
				case "":
					if err == nil {
						won++
					} else {
						t.Fatalf("setup: %v", err)
					}
				case assessment.CodeNotFound:
				default:
					t.Fatalf("losing setup: %v", err)
				}
			}
			if won != 1 {
				t.Fatalf("%d concurrent setups won, want 1 (%v)", won, results)
			}
			if needs, err := acc.NeedsSetup(ctx); err != nil || needs {
				t.Fatalf("needs setup after setup: %v %v", needs, err)
			}

			u, generated, err := acc.CreateAdmin(ctx, assessment.AdminInput{Organization: f.Org.Name, Email: "Carla@Example.com", Name: "Carla"})
			if err != nil || generated == "" || u.Email != "carla@example.com" || u.OrganizationID != f.Org.ID || !u.Has(assessment.RoleAdmin) {
				t.Fatalf("create admin: %+v %q %v", u, generated, err)
			}
			if _, err := acc.Authenticate(ctx, "carla@example.com", generated); err != nil {
				t.Fatalf("sign in with the generated password: %v", err)
			}
			// An account belongs to one organisation: the same email may
			// have one in another organisation, not a second in this one.
			_, _, err = acc.CreateAdmin(ctx, assessment.AdminInput{Organization: f.Org.Name, Email: "carla@example.com", Password: "tulip harbour"})
			if assessment.ErrorCode(err) != assessment.CodeConflict || !strings.Contains(err.Error(), "email") {
				t.Fatalf("second account with the same email in one organisation: %v", err)
			}
			other, _, err := acc.CreateAdmin(ctx, assessment.AdminInput{Organization: "Other", Email: "carla@example.com", Password: "tulip harbour"})
			if err != nil || other.OrganizationID == f.Org.ID {
				t.Fatalf("an account with the same email in another organisation: %+v, %v", other, err)
			}
		})
	}
}

// A wrong password and an unknown account give the same error.
func TestAuthenticateAnswersAlike(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f, acc := newAccounts(t, e)
			ctx := context.Background()
			if _, _, err := acc.CreateAdmin(ctx, assessment.AdminInput{Organization: f.Org.Name, Email: "ana@example.com", Password: "tulip harbour"}); err != nil {
				t.Fatal(err)
			}
			_, wrong := acc.Authenticate(ctx, "ana@example.com", "tulip harbour!")
			_, unknown := acc.Authenticate(ctx, "bo@example.com", "tulip harbour")
			_, garbage := acc.Authenticate(ctx, "not an email", "tulip harbour")
			if wrong == nil || wrong.Error() != unknown.Error() || wrong.Error() != garbage.Error() ||
				assessment.ErrorCode(wrong) != assessment.ErrorCode(unknown) {
				t.Fatalf("wrong %v / unknown %v / garbage %v", wrong, unknown, garbage)
			}
		})
	}
}

// Changing the password needs the current one, applies the policy to the
// new one and ends every session of the account.
func TestChangePassword(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f, acc := newAccounts(t, e)
			ctx := context.Background()
			u, _, err := acc.CreateAdmin(ctx, assessment.AdminInput{Organization: f.Org.Name, Email: "ana@example.com", Password: "tulip harbour"})
			if err != nil {
				t.Fatal(err)
			}
			if err := acc.SaveSession(ctx, "token-1", u.ID, []byte{0, 1, 2}, f.Clock.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			err = acc.ChangePassword(ctx, u.ID, "wrong", "password1")
			if assessment.ErrorCode(err) != assessment.CodeInvalid || !strings.Contains(err.Error(), "current_password") || !strings.Contains(err.Error(), "common") {
				t.Fatalf("bad change: %v", err)
			}
			if err := acc.ChangePassword(ctx, u.ID, "tulip harbour", "daffodil meadow"); err != nil {
				t.Fatalf("change: %v", err)
			}
			if _, found, _ := acc.FindSession(ctx, "token-1"); found {
				t.Fatal("a session survived the password change")
			}
			if _, err := acc.Authenticate(ctx, "ana@example.com", "daffodil meadow"); err != nil {
				t.Fatalf("new password: %v", err)
			}
		})
	}
}
