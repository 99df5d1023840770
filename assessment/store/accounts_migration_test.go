package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// Migration 00011 rebuilds users, and the sessions, password links and
// audit log that refer to it, to make an email unique per organisation.
// An installation's rows come through unchanged, the references still act
// afterwards (deleting an account ends its sessions and links and keeps its
// audit entries without an actor), and an email may then have one account
// in each organisation, still one per organisation.
func TestAccountsPerOrganizationMigrationKeepsEveryRow(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := storeMigratedTo(t, e, 10)

			at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			hash := func(c string) string { return strings.Repeat(c, 64) }
			for _, stmt := range []struct {
				sql  string
				args []any
			}{
				{"INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)", []any{"org-acme", "Acme", at}},
				{"INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)", []any{"org-globex", "Globex", at}},
				{"INSERT INTO users (id, organization_id, email, password_hash, role, created_at, name) VALUES ($1, $2, $3, $4, $5, $6, $7)",
					[]any{"user-ana", "org-acme", "ana@example.com", "$argon2id$ana", "admin", at, "Ana Lima"}},
				{"INSERT INTO sessions (token_hash, user_id, data, expires_at) VALUES ($1, $2, $3, $4)", []any{hash("a"), "user-ana", "c2Vzc2lvbg==", at.Add(time.Hour)}},
				{"INSERT INTO sessions (token_hash, data, expires_at) VALUES ($1, $2, $3)", []any{hash("b"), "YW5vbnltb3Vz", at.Add(time.Hour)}},
				{"INSERT INTO password_tokens (token_hash, user_id, purpose, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)",
					[]any{hash("c"), "user-ana", "reset", at.Add(30 * time.Minute), at}},
				{"INSERT INTO audit_log (id, organization_id, actor_user_id, action, subject_type, subject_id, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
					[]any{"audit-1", "org-acme", "user-ana", "admin.create", "user", "user-ana", "", at}},
			} {
				if _, err := s.DB().ExecContext(ctx, stmt.sql, stmt.args...); err != nil {
					t.Fatalf("%s: %v", stmt.sql, err)
				}
			}
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatalf("migrate: %v", err)
			}

			users, err := s.UsersByEmail(ctx, "ana@example.com")
			if err != nil || len(users) != 1 || users[0].ID != "user-ana" || users[0].Name != "Ana Lima" ||
				users[0].PasswordHash != "$argon2id$ana" || users[0].OrganizationID != "org-acme" || !users[0].CreatedAt.Equal(at) {
				t.Fatalf("accounts after the migration: %+v, %v", users, err)
			}
			if sess, err := s.Session(ctx, hash("a")); err != nil || sess.UserID != "user-ana" || string(sess.Data) != "session" {
				t.Fatalf("signed-in session: %+v, %v", sess, err)
			}
			if _, err := s.Session(ctx, hash("b")); err != nil {
				t.Fatalf("anonymous session: %v", err)
			}
			if tok, err := s.PasswordToken(ctx, hash("c")); err != nil || tok.UserID != "user-ana" || !tok.ExpiresAt.Equal(at.Add(30*time.Minute)) {
				t.Fatalf("password link: %+v, %v", tok, err)
			}
			audit, err := s.AuditEntries(ctx, "org-acme", 0, 10)
			if err != nil || len(audit) != 1 || audit[0].ActorUserID != "user-ana" || audit[0].ActorEmail != "ana@example.com" {
				t.Fatalf("audit log: %+v, %v", audit, err)
			}

			elsewhere := assessment.User{OrganizationID: "org-globex", Email: "ana@example.com", PasswordHash: "x", Role: assessment.RoleLeader}
			if err := s.CreateUser(ctx, &elsewhere); err != nil {
				t.Fatalf("the same email in another organisation: %v", err)
			}
			twice := assessment.User{OrganizationID: "org-acme", Email: "ana@example.com", PasswordHash: "x", Role: assessment.RoleLeader}
			if err := s.CreateUser(ctx, &twice); assessment.ErrorCode(err) != assessment.CodeConflict {
				t.Fatalf("the same email twice in one organisation: %v, want a conflict", err)
			}
			if u, err := s.UserByEmail(ctx, "org-globex", "ana@example.com"); err != nil || u.ID != elsewhere.ID {
				t.Fatalf("Globex's account: %+v, %v", u, err)
			}

			if _, err := s.DB().ExecContext(ctx, "DELETE FROM users WHERE id = $1", "user-ana"); err != nil {
				t.Fatalf("delete the account: %v", err)
			}
			if _, err := s.Session(ctx, hash("a")); assessment.ErrorCode(err) != assessment.CodeNotFound {
				t.Fatalf("session of a deleted account: %v", err)
			}
			if _, err := s.PasswordToken(ctx, hash("c")); assessment.ErrorCode(err) != assessment.CodeNotFound {
				t.Fatalf("link of a deleted account: %v", err)
			}
			if audit, err := s.AuditEntries(ctx, "org-acme", 0, 10); err != nil || len(audit) != 1 || audit[0].ActorUserID != "" {
				t.Fatalf("audit entry of a deleted account: %+v, %v", audit, err)
			}
		})
	}
}
