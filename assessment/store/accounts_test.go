package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// Sessions keep arbitrary bytes, are replaced in place, and are deleted
// singly, per user and when expired, on both engines.
func TestSessionRecords(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			s, ctx, now := f.Store, context.Background(), f.Clock.Now()
			u := assessment.User{OrganizationID: f.Org.ID, Email: "ana@example.com", PasswordHash: "x", Roles: []assessment.Role{assessment.RoleAdmin}}
			if err := s.CreateUser(ctx, &u); err != nil {
				t.Fatal(err)
			}
			all := make([]byte, 256)
			for i := range all {
				all[i] = byte(i)
			}
			hash := func(c string) string { return strings.Repeat(c, 64) }
			for _, sess := range []assessment.Session{
				{TokenHash: hash("a"), Data: []byte("anonymous"), ExpiresAt: now.Add(time.Hour)},
				{TokenHash: hash("a"), UserID: u.ID, Data: all, ExpiresAt: now.Add(2 * time.Hour)}, // replaces
				{TokenHash: hash("b"), UserID: u.ID, Data: []byte("b"), ExpiresAt: now.Add(time.Hour)},
				{TokenHash: hash("c"), Data: []byte("old"), ExpiresAt: now.Add(-time.Second)},
			} {
				if err := s.SaveSession(ctx, sess); err != nil {
					t.Fatalf("save %s: %v", sess.TokenHash[:1], err)
				}
			}
			got, err := s.Session(ctx, hash("a"))
			if err != nil || !bytes.Equal(got.Data, all) || got.UserID != u.ID || !got.ExpiresAt.Equal(now.Add(2*time.Hour)) {
				t.Fatalf("session a: %+v %v", got, err)
			}
			if err := s.DeleteExpiredSessions(ctx, now); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Session(ctx, hash("c")); assessment.ErrorCode(err) != assessment.CodeNotFound {
				t.Fatalf("expired session after purge: %v", err)
			}
			if err := s.DeleteUserSessions(ctx, u.ID); err != nil {
				t.Fatal(err)
			}
			for _, c := range []string{"a", "b"} {
				if _, err := s.Session(ctx, hash(c)); assessment.ErrorCode(err) != assessment.CodeNotFound {
					t.Fatalf("session %s after ending the user's sessions: %v", c, err)
				}
			}
			if err := s.DeleteSession(ctx, hash("z")); err != nil {
				t.Fatalf("deleting a missing session: %v", err)
			}
		})
	}
}

// A password link is used once, only before it expires; the installation
// is claimed once.
func TestPasswordTokensAndInstallation(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			s, ctx, now := f.Store, context.Background(), f.Clock.Now()
			u := assessment.User{OrganizationID: f.Org.ID, Email: "ana@example.com", PasswordHash: "x", Roles: []assessment.Role{assessment.RoleLeader}}
			if err := s.CreateUser(ctx, &u); err != nil {
				t.Fatal(err)
			}
			if exists, err := s.AdminExists(ctx); err != nil || exists {
				t.Fatalf("admin exists with only a leader: %v %v", exists, err)
			}
			for _, c := range []string{"1", "2"} {
				tok := assessment.PasswordToken{TokenHash: strings.Repeat(c, 64), UserID: u.ID, Purpose: assessment.PurposeReset,
					ExpiresAt: now.Add(30 * time.Minute), CreatedAt: now}
				if err := s.CreatePasswordToken(ctx, &tok); err != nil {
					t.Fatal(err)
				}
			}
			one := strings.Repeat("1", 64)
			if err := s.UsePasswordToken(ctx, one, now.Add(30*time.Minute)); assessment.ErrorCode(err) != assessment.CodeGone {
				t.Fatalf("use at expiry: %v", err)
			}
			if err := s.UsePasswordToken(ctx, one, now); err != nil {
				t.Fatalf("use: %v", err)
			}
			if err := s.UsePasswordToken(ctx, one, now); assessment.ErrorCode(err) != assessment.CodeGone {
				t.Fatalf("second use: %v", err)
			}
			if err := s.RevokePasswordTokens(ctx, u.ID, now); err != nil {
				t.Fatal(err)
			}
			if got, err := s.PasswordToken(ctx, strings.Repeat("2", 64)); err != nil || got.UsedAt == nil || got.Purpose != assessment.PurposeReset {
				t.Fatalf("revoked token: %+v %v", got, err)
			}
			if err := s.ClaimInstallation(ctx, now); err != nil {
				t.Fatal(err)
			}
			if err := s.ClaimInstallation(ctx, now); assessment.ErrorCode(err) != assessment.CodeConflict {
				t.Fatalf("second claim: %v", err)
			}
			if err := s.AddAudit(ctx, &assessment.AuditEntry{OrganizationID: f.Org.ID, Action: "test", CreatedAt: now}); err != nil {
				t.Fatalf("audit: %v", err)
			}
		})
	}
}
