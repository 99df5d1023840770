package assessment

import (
	"context"
	"time"
)

// AccountStore is the persistence of dashboard accounts, their sessions and
// password links (owned by the account use cases in accounts.go). Tokens
// arrive here already hashed: the store never sees a usable secret.
type AccountStore interface {
	// User loads an account by id, in any organisation: a session names the
	// user, and the user names the organisation.
	User(ctx context.Context, id string) (User, error)
	// AdminExists reports whether any organisation has an admin.
	AdminExists(ctx context.Context) (bool, error)
	// ClaimInstallation records that the first admin was created; a second
	// claim is a CodeConflict error, even from a concurrent transaction.
	ClaimInstallation(ctx context.Context, at time.Time) error
	SetPasswordHash(ctx context.Context, userID, hash string) error
	// RecordSignIn stamps the account's last sign-in.
	RecordSignIn(ctx context.Context, userID string, at time.Time) error

	// Admins lists the organisation's admins by name, then email.
	Admins(ctx context.Context, orgID string) ([]User, error)
	// AddRole gives the organisation's account the role; personID, when
	// not empty, links it to the person it is assessed as (a leader).
	AddRole(ctx context.Context, orgID, userID string, r Role, personID string) error
	// RemoveAdmin takes the admin role from the organisation's account, but
	// never from its last admin: that is a CodeConflict error, even when
	// two admins remove each other at once. An account that is not an
	// admin is not found.
	RemoveAdmin(ctx context.Context, orgID, userID string) error

	CreatePasswordToken(ctx context.Context, t *PasswordToken) error
	PasswordToken(ctx context.Context, tokenHash string) (PasswordToken, error)
	// UsePasswordToken marks the token used only if it is unused and not
	// expired at at; otherwise it is a CodeGone error. The condition is in
	// the update, so two requests cannot both use one link.
	UsePasswordToken(ctx context.Context, tokenHash string, at time.Time) error
	// RevokePasswordTokens marks every unused token of the user used, so
	// only the newest link works.
	RevokePasswordTokens(ctx context.Context, userID string, at time.Time) error

	// Session loads a stored session, expired or not; the caller decides.
	Session(ctx context.Context, tokenHash string) (Session, error)
	// SaveSession inserts or replaces the session.
	SaveSession(ctx context.Context, s Session) error
	// DeleteSession removes the session; a missing one is not an error.
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteUserSessions(ctx context.Context, userID string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) error

	AddAudit(ctx context.Context, e *AuditEntry) error
}

// PasswordPurpose tells a reset link from a leader's invitation.
type PasswordPurpose string

const (
	PurposeReset  PasswordPurpose = "reset"
	PurposeInvite PasswordPurpose = "invite"
)

// PasswordToken is a single-use link that sets a user's password. Only the
// SHA-256 of the token is kept.
type PasswordToken struct {
	TokenHash string
	UserID    string
	Purpose   PasswordPurpose
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// Session is a stored dashboard session: opaque data from the session
// manager, the account it belongs to (empty before login) and its expiry.
type Session struct {
	TokenHash string
	UserID    string
	Data      []byte
	ExpiresAt time.Time
}

// auditTime writes a time into an audit entry's details. Details are text
// fixed when the entry is written, so they cannot follow the reader's time
// zone as the log's When column does: they say UTC.
func auditTime(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 UTC") }

// AuditEntry records who did what in an organisation.
type AuditEntry struct {
	ID             string
	OrganizationID string
	ActorUserID    string // empty for the command line, API tokens and the system
	// ActorLabel names who acted without an account, such as `API token
	// "HRIS sync"` (Service.ByOperator); empty for an account and the system.
	ActorLabel  string
	Action      string
	SubjectType string
	SubjectID   string
	Detail      string
	CreatedAt   time.Time
}
