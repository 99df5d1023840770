package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/lead360/lead360/assessment"
)

// Accounts: users (migrations/00001, 00004, 00011, 00016) and what hangs on them,
// sessions, password links (password_tokens) and the installation's claim by
// its first admin (00004). A session or a password link names one account,
// and the account names its organisation, so these queries are keyed by user
// or token.

type userRow struct {
	ID             string
	OrganizationID string
	Email          string
	Name           string
	PasswordHash   string
	Admin          bool
	Leader         bool
	PersonID       *string
	CreatedAt      time.Time
	LastSignInAt   *time.Time
}

func (userRow) TableName() string { return "users" }

func (r userRow) domain() assessment.User {
	return assessment.User{
		ID: r.ID, OrganizationID: r.OrganizationID, Email: r.Email, Name: r.Name, PasswordHash: r.PasswordHash,
		Roles: assessment.RolesOf(r.Admin, r.Leader), PersonID: deref(r.PersonID), CreatedAt: r.CreatedAt.UTC(),
		LastSignInAt: utcPtr(r.LastSignInAt),
	}
}

type sessionRow struct {
	TokenHash string `gorm:"primaryKey"`
	UserID    *string
	// Data is the session manager's encoding as base64: TEXT works the same
	// on both engines, where BLOB and BYTEA would need a dialect switch.
	Data      string
	ExpiresAt time.Time
}

func (sessionRow) TableName() string { return "sessions" }

type passwordTokenRow struct {
	TokenHash string `gorm:"primaryKey"`
	UserID    string
	Purpose   string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

func (passwordTokenRow) TableName() string { return "password_tokens" }

type installationRow struct {
	ID           int `gorm:"primaryKey;autoIncrement:false"`
	FirstAdminAt time.Time
}

func (installationRow) TableName() string { return "installation" }

func init() {
	rowStructs = append(rowStructs, sessionRow{}, passwordTokenRow{}, installationRow{})
}

// CreateUser inserts a dashboard account.
func (s *Store) CreateUser(ctx context.Context, u *assessment.User) error {
	ensureID(&u.ID)
	stamp(&u.CreatedAt)
	row := userRow{
		ID: u.ID, OrganizationID: u.OrganizationID, Email: u.Email, Name: u.Name, PasswordHash: u.PasswordHash,
		Admin: u.Has(assessment.RoleAdmin), Leader: u.Has(assessment.RoleLeader), PersonID: optional(u.PersonID),
		CreatedAt: utc(u.CreatedAt), LastSignInAt: utcPtr(u.LastSignInAt),
	}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "create user "+u.Email)
}

// User loads an account by id.
func (s *Store) User(ctx context.Context, id string) (assessment.User, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.User{}, translate(err, "user")
	}
	return row.domain(), nil
}

// UserByEmail finds the organisation's account with this login email.
func (s *Store) UserByEmail(ctx context.Context, orgID, email string) (assessment.User, error) {
	var row userRow
	if err := s.inOrg(ctx, orgID).Where("email = ?", email).Take(&row).Error; err != nil {
		return assessment.User{}, translate(err, "user")
	}
	return row.domain(), nil
}

// UsersByEmail finds the accounts of a login email in every organisation,
// oldest first: sign-in and password resets start from the email alone.
// No account is an empty list, not an error.
func (s *Store) UsersByEmail(ctx context.Context, email string) ([]assessment.User, error) {
	var rows []userRow
	if err := s.db.WithContext(ctx).Where("email = ?", email).Order("created_at, " + s.bytewise("id")).Find(&rows).Error; err != nil {
		return nil, translate(err, "accounts of an email")
	}
	users := make([]assessment.User, len(rows))
	for i, row := range rows {
		users[i] = row.domain()
	}
	return users, nil
}

// AdminExists reports whether any organisation has an admin.
func (s *Store) AdminExists(ctx context.Context) (bool, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&userRow{}).Where("admin = ?", true).Limit(1).Count(&n).Error; err != nil {
		return false, translate(err, "look for an admin")
	}
	return n > 0, nil
}

// SetPasswordHash replaces a user's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, userID, hash string) error {
	res := s.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", userID).Update("password_hash", hash)
	if res.Error != nil {
		return translate(res.Error, "set password")
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeNotFound, "set password: user %s not found", userID)
	}
	return nil
}

// ClaimInstallation inserts the single installation row; the primary key
// turns a second claim into a conflict.
func (s *Store) ClaimInstallation(ctx context.Context, at time.Time) error {
	row := installationRow{ID: 1, FirstAdminAt: utc(at)}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "claim installation")
}

// CreatePasswordToken stores a password link by its hash.
func (s *Store) CreatePasswordToken(ctx context.Context, t *assessment.PasswordToken) error {
	stamp(&t.CreatedAt)
	row := passwordTokenRow{TokenHash: t.TokenHash, UserID: t.UserID, Purpose: string(t.Purpose),
		ExpiresAt: utc(t.ExpiresAt), UsedAt: utcPtr(t.UsedAt), CreatedAt: utc(t.CreatedAt)}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "create password link")
}

// PasswordToken loads a password link by its hash.
func (s *Store) PasswordToken(ctx context.Context, tokenHash string) (assessment.PasswordToken, error) {
	var row passwordTokenRow
	if err := s.db.WithContext(ctx).Where("token_hash = ?", tokenHash).Take(&row).Error; err != nil {
		return assessment.PasswordToken{}, translate(err, "password link")
	}
	return assessment.PasswordToken{TokenHash: row.TokenHash, UserID: row.UserID, Purpose: assessment.PasswordPurpose(row.Purpose),
		ExpiresAt: row.ExpiresAt.UTC(), UsedAt: utcPtr(row.UsedAt), CreatedAt: row.CreatedAt.UTC()}, nil
}

// UsePasswordToken is a conditional update: unused and unexpired, or gone.
func (s *Store) UsePasswordToken(ctx context.Context, tokenHash string, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&passwordTokenRow{}).
		Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", tokenHash, utc(at)).
		Update("used_at", utc(at))
	if res.Error != nil {
		return translate(res.Error, "use password link")
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeGone, "the password link is used or expired")
	}
	return nil
}

// RevokePasswordTokens uses up every open link of the user.
func (s *Store) RevokePasswordTokens(ctx context.Context, userID string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&passwordTokenRow{}).Where("user_id = ? AND used_at IS NULL", userID).
		Update("used_at", utc(at)).Error
	return translate(err, "revoke password links")
}

// Session loads a stored session by its token hash.
func (s *Store) Session(ctx context.Context, tokenHash string) (assessment.Session, error) {
	var row sessionRow
	if err := s.db.WithContext(ctx).Where("token_hash = ?", tokenHash).Take(&row).Error; err != nil {
		return assessment.Session{}, translate(err, "session")
	}
	data, err := base64.StdEncoding.DecodeString(row.Data)
	if err != nil {
		return assessment.Session{}, fmt.Errorf("decode session data: %w", err)
	}
	return assessment.Session{TokenHash: row.TokenHash, UserID: deref(row.UserID), Data: data, ExpiresAt: row.ExpiresAt.UTC()}, nil
}

// SaveSession upserts a session: INSERT ... ON CONFLICT DO UPDATE, which
// both engines speak.
func (s *Store) SaveSession(ctx context.Context, sess assessment.Session) error {
	row := sessionRow{TokenHash: sess.TokenHash, UserID: optional(sess.UserID),
		Data: base64.StdEncoding.EncodeToString(sess.Data), ExpiresAt: utc(sess.ExpiresAt)}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "token_hash"}},
		DoUpdates: clause.AssignmentColumns([]string{"user_id", "data", "expires_at"}),
	}).Create(&row).Error
	return translate(err, "save session")
}

// DeleteSession removes one session; deleting a missing one is fine.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	return translate(s.db.WithContext(ctx).Where("token_hash = ?", tokenHash).Delete(&sessionRow{}).Error, "delete session")
}

// DeleteUserSessions ends every session of a user.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) error {
	return translate(s.db.WithContext(ctx).Where("user_id = ?", userID).Delete(&sessionRow{}).Error, "end sessions")
}

// DeleteExpiredSessions removes sessions whose expiry has passed.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	return translate(s.db.WithContext(ctx).Where("expires_at <= ?", utc(now)).Delete(&sessionRow{}).Error, "purge sessions")
}

// RecordSignIn stamps the account's last sign-in.
func (s *Store) RecordSignIn(ctx context.Context, userID string, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", userID).Update("last_sign_in_at", utc(at))
	if res.Error != nil {
		return translate(res.Error, "record sign-in")
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeNotFound, "record sign-in: user %s not found", userID)
	}
	return nil
}

// Admins lists the organisation's admins by name, then email.
func (s *Store) Admins(ctx context.Context, orgID string) ([]assessment.User, error) {
	var rows []userRow
	if err := s.inOrg(ctx, orgID).Where("admin = ?", true).Order(s.bytewise("name") + ", " + s.bytewise("email")).
		Find(&rows).Error; err != nil {
		return nil, translate(err, "admins")
	}
	users := make([]assessment.User, len(rows))
	for i, row := range rows {
		users[i] = row.domain()
	}
	return users, nil
}

// roleColumns are the users columns of the roles: a fixed map, so no text
// from outside names a column.
var roleColumns = map[assessment.Role]string{assessment.RoleAdmin: "admin", assessment.RoleLeader: "leader"}

// AddRole sets the role's flag, and the person link when one is given.
func (s *Store) AddRole(ctx context.Context, orgID, userID string, r assessment.Role, personID string) error {
	col, ok := roleColumns[r]
	if !ok {
		return fmt.Errorf("add role %q: no such role", r)
	}
	set := map[string]any{col: true}
	if personID != "" {
		set["person_id"] = personID
	}
	res := s.inOrg(ctx, orgID).Model(&userRow{}).Where("id = ?", userID).Updates(set)
	if res.Error != nil {
		return translate(res.Error, "add role "+string(r))
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeNotFound, "add role: user %s not found", userID)
	}
	return nil
}

// RemoveAdmin first takes the organisation's row lock with an update that
// changes nothing: PostgreSQL then runs two removals in one organisation
// one after the other, and the second counts the admins the first left
// (SQLite's write transactions are serial anyway). The removal itself is
// conditional on another admin remaining.
func (s *Store) RemoveAdmin(ctx context.Context, orgID, userID string) error {
	lock := s.db.WithContext(ctx).Model(&organizationRow{}).Where("id = ?", orgID).Update("name", gorm.Expr("name"))
	if lock.Error != nil {
		return translate(lock.Error, "lock organisation")
	}
	if lock.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeNotFound, "remove admin: organisation %s not found", orgID)
	}
	var admin userRow
	if err := s.inOrg(ctx, orgID).Where("id = ? AND admin = ?", userID, true).Take(&admin).Error; err != nil {
		return translate(err, "admin")
	}
	others := s.inOrg(ctx, orgID).Model(&userRow{}).Select("id").Where("admin = ? AND id <> ?", true, userID)
	res := s.inOrg(ctx, orgID).Model(&userRow{}).Where("id = ? AND EXISTS (?)", userID, others).Update("admin", false)
	if res.Error != nil {
		return translate(res.Error, "remove admin")
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeConflict, "remove admin: %s is the organisation's last admin", userID)
	}
	return nil
}
