package store_test

import (
	"context"
	"slices"
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

			elsewhere := assessment.User{OrganizationID: "org-globex", Email: "ana@example.com", PasswordHash: "x", Roles: []assessment.Role{assessment.RoleLeader}}
			if err := s.CreateUser(ctx, &elsewhere); err != nil {
				t.Fatalf("the same email in another organisation: %v", err)
			}
			twice := assessment.User{OrganizationID: "org-acme", Email: "ana@example.com", PasswordHash: "x", Roles: []assessment.Role{assessment.RoleLeader}}
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

// Migration 00016 turns the one role of an account into flags: an admin
// stays an admin, a leader a leader with their person, nobody signed in
// yet; afterwards one account holds both roles, and an account may hold
// none (a removed admin).
func TestAccountRolesMigrationKeepsEachRole(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := storeMigratedTo(t, e, 15)
			at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			for _, stmt := range []struct {
				sql  string
				args []any
			}{
				{"INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)", []any{"org-acme", "Acme", at}},
				{"INSERT INTO people (id, organization_id, name, email, created_at) VALUES ($1, $2, $3, $4, $5)",
					[]any{"person-bo", "org-acme", "Bo Chen", "bo@example.com", at}},
				{"INSERT INTO users (id, organization_id, email, password_hash, role, created_at, name) VALUES ($1, $2, $3, $4, $5, $6, $7)",
					[]any{"user-ana", "org-acme", "ana@example.com", "$argon2id$ana", "admin", at, "Ana Lima"}},
				{"INSERT INTO users (id, organization_id, email, password_hash, role, person_id, created_at, name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
					[]any{"user-bo", "org-acme", "bo@example.com", "", "leader", "person-bo", at, "Bo Chen"}},
			} {
				if _, err := s.DB().ExecContext(ctx, stmt.sql, stmt.args...); err != nil {
					t.Fatalf("%s: %v", stmt.sql, err)
				}
			}
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			for _, want := range []struct {
				id, person string
				roles      []assessment.Role
			}{
				{"user-ana", "", []assessment.Role{assessment.RoleAdmin}},
				{"user-bo", "person-bo", []assessment.Role{assessment.RoleLeader}},
			} {
				u, err := s.User(ctx, want.id)
				if err != nil || !slices.Equal(u.Roles, want.roles) || u.PersonID != want.person || u.LastSignInAt != nil {
					t.Fatalf("%s after the migration: %+v, %v; want roles %v", want.id, u, err, want.roles)
				}
			}
			if err := s.AddRole(ctx, "org-acme", "user-bo", assessment.RoleAdmin, ""); err != nil {
				t.Fatal(err)
			}
			if bo, err := s.User(ctx, "user-bo"); err != nil || len(bo.Roles) != 2 || bo.PersonID != "person-bo" {
				t.Fatalf("Bo with both roles: %+v, %v", bo, err)
			}
			if err := s.RemoveAdmin(ctx, "org-acme", "user-ana"); err != nil {
				t.Fatal(err)
			}
			if ana, err := s.User(ctx, "user-ana"); err != nil || len(ana.Roles) != 0 {
				t.Fatalf("Ana without a role: %+v, %v", ana, err)
			}
		})
	}
}
