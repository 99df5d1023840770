package assessment

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Password rules (TRUST.md): at least 8 characters, long passphrases welcome,
// the most common passwords refused. The upper bound only keeps a form field
// finite.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 256
)

// Link lifetimes: a reset link is short-lived because it is asked for on the
// spot; an invitation waits for a leader to read their email.
const (
	ResetLinkLifetime  = 30 * time.Minute
	InviteLinkLifetime = 7 * 24 * time.Hour
)

//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	set := make(map[string]bool)
	for line := range strings.Lines(commonPasswordsText) {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			set[line] = true
		}
	}
	return set
})

// CheckPasswordPolicy returns a CodeInvalid error for the form field when the
// password is too short, too long, common, or the account's own email.
func CheckPasswordPolicy(field, password, email string) error {
	var msg string
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		msg = fmt.Sprintf("Use at least %d characters. A few unrelated words make a strong password.", MinPasswordLength)
	case n > MaxPasswordLength:
		msg = fmt.Sprintf("Use at most %d characters.", MaxPasswordLength)
	case commonPasswords()[strings.ToLower(password)]:
		msg = "This is one of the most common passwords. Choose one that is harder to guess."
	case email != "" && strings.EqualFold(password, email):
		msg = "Do not use your email address as your password."
	default:
		return nil
	}
	return &Error{Code: CodeInvalid, Message: "the password cannot be used", Fields: map[string]string{field: msg}}
}

// AccountEmail is a link that sets a password, to be mailed to one user.
type AccountEmail struct {
	Purpose   PasswordPurpose
	To        string
	Name      string
	Link      string
	ExpiresAt time.Time
	// UserID and OrganizationID name the account, so an outbox job can hold
	// ids instead of the address.
	UserID         string
	OrganizationID string
	// CycleID is the cycle whose opening caused the email, if any.
	CycleID string
	// Token is the raw token inside Link, for a mailer that seals it; it
	// must never be stored as it is.
	Token string
}

// AccountMailer sends account emails. It is called inside the transaction
// that creates the link, with that transaction's store, so an outbox-backed
// mailer can record the email if and only if the link is stored
// (tx.Enqueue). Such a mailer must not store the link in clear: it carries
// the token (seal it like survey tokens).
type AccountMailer interface {
	SendAccountEmail(ctx context.Context, tx Store, m AccountEmail) error
}

// Accounts holds the dashboard account use cases: first admin, sign-in,
// password links and the session records behind the cookie.
type Accounts struct {
	svc *Service
	// BaseURL builds the links in emails, never the request's Host header.
	BaseURL string
	// Mailer sends password links. When nil the link is written to the log,
	// which only suits a development set-up without SMTP.
	Mailer AccountMailer
	// Random is the source of link tokens.
	Random io.Reader
}

// NewAccounts returns the account use cases over the service's store and
// clock.
func NewAccounts(svc *Service, baseURL string, mailer AccountMailer) *Accounts {
	return &Accounts{svc: svc, BaseURL: strings.TrimRight(baseURL, "/"), Mailer: mailer, Random: cryptoReader{}}
}

type cryptoReader struct{}

func (cryptoReader) Read(b []byte) (int, error) { return cryptoRead(b) }

// Now is the accounts' clock: the service's.
func (a *Accounts) Now() time.Time { return a.svc.Now().UTC() }

func (a *Accounts) store() Store { return a.svc.store }

// AdminInput is what creates an admin: from the command line or the setup
// page.
type AdminInput struct {
	Organization string
	Email        string
	Name         string
	Password     string // empty on the command line: one is generated
}

// CreateAdmin creates an admin in the named organisation, creating the
// organisation if it does not exist. It is the operator's command-line tool,
// so it works at any time (a second organisation, a locked-out admin's
// colleague). When in.Password is empty a password is generated and
// returned.
func (a *Accounts) CreateAdmin(ctx context.Context, in AdminInput) (User, string, error) {
	generated := ""
	if in.Password == "" {
		var err error
		if generated, err = randomPassword(); err != nil {
			return User{}, "", err
		}
		in.Password = generated
	}
	u, err := a.createAdmin(ctx, in, false)
	return u, generated, err
}

// SetUp creates the first admin of the installation from the setup page.
// Once any organisation has an admin the page is gone: a CodeNotFound
// error, so nobody can use it to add themself to a running installation.
func (a *Accounts) SetUp(ctx context.Context, in AdminInput) (User, error) {
	return a.createAdmin(ctx, in, true)
}

// NeedsSetup reports whether the installation has no admin yet.
func (a *Accounts) NeedsSetup(ctx context.Context) (bool, error) {
	exists, err := a.store().AdminExists(ctx)
	if err != nil {
		return false, fmt.Errorf("check for an admin: %w", err)
	}
	return !exists, nil
}

func setupDone() error {
	return Errorf(CodeNotFound, "lead360 is already set up; sign in instead")
}

func (a *Accounts) createAdmin(ctx context.Context, in AdminInput, firstOnly bool) (User, error) {
	if firstOnly {
		if needed, err := a.NeedsSetup(ctx); err != nil {
			return User{}, err
		} else if !needed {
			return User{}, setupDone()
		}
	}
	u, err := a.validateAdmin(in)
	if err != nil {
		return User{}, err
	}
	// Hash before the transaction: it takes tens of milliseconds and must
	// not hold SQLite's write lock.
	if u.PasswordHash, err = HashPassword(in.Password); err != nil {
		return User{}, err
	}
	err = a.store().InTx(ctx, func(tx Store) error {
		if firstOnly {
			if exists, err := tx.AdminExists(ctx); err != nil {
				return err
			} else if exists {
				return setupDone()
			}
			if err := tx.ClaimInstallation(ctx, u.CreatedAt); err != nil {
				if ErrorCode(err) == CodeConflict {
					return setupDone()
				}
				return err
			}
		}
		org, err := tx.OrganizationByName(ctx, strings.TrimSpace(in.Organization))
		if ErrorCode(err) == CodeNotFound {
			org = Organization{Name: strings.TrimSpace(in.Organization), CreatedAt: u.CreatedAt}
			err = tx.CreateOrganization(ctx, &org)
		}
		if err != nil {
			return err
		}
		u.OrganizationID = org.ID
		if err := tx.CreateUser(ctx, &u); err != nil {
			if ErrorCode(err) == CodeConflict {
				return &Error{Code: CodeConflict, Message: "an account with this email already exists in the organisation",
					Fields: map[string]string{"email": "This organisation already has an account with this email. Sign in, or reset its password."}}
			}
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: org.ID, ActorUserID: actor(firstOnly, u.ID),
			Action: "admin.create", SubjectType: "user", SubjectID: u.ID, CreatedAt: u.CreatedAt})
	})
	if err != nil {
		return User{}, fmt.Errorf("create admin %s: %w", u.Email, err)
	}
	return u, nil
}

// actor is the user an admin creation is recorded against: the new admin
// on the setup page, nobody (the operator) on the command line.
func actor(setupPage bool, userID string) string {
	if setupPage {
		return userID
	}
	return ""
}

// validateAdmin checks every field at once so a form shows all problems in
// one round trip.
func (a *Accounts) validateAdmin(in AdminInput) (User, error) {
	fe := fieldErrors{}
	if err := ValidateName("organization", in.Organization); err != nil {
		fe.add("organization", fieldMessage(err, "organization"))
	}
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		fe.add("email", "Enter an email address like name@example.com.")
	}
	if strings.TrimSpace(in.Name) != "" {
		if err := ValidateName("name", in.Name); err != nil {
			fe.add("name", fieldMessage(err, "name"))
		}
	}
	if err := CheckPasswordPolicy("password", in.Password, email); err != nil {
		fe.add("password", fieldMessage(err, "password"))
	}
	if err := fe.err("the admin account cannot be created"); err != nil {
		return User{}, err
	}
	return User{Email: email, Name: strings.TrimSpace(in.Name), Roles: []Role{RoleAdmin}, CreatedAt: a.Now()}, nil
}

func fieldMessage(err error, field string) string {
	var de *Error
	if errors.As(err, &de) && de.Fields[field] != "" {
		return de.Fields[field]
	}
	return err.Error()
}

// User loads the account a session names.
func (a *Accounts) User(ctx context.Context, id string) (User, error) {
	u, err := a.store().User(ctx, id)
	if err != nil {
		return User{}, fmt.Errorf("load user %s: %w", id, err)
	}
	return u, nil
}

// issuePasswordLink stores a new link for the user, revoking the older
// ones, and hands it to the mailer in the same transaction. cycleID names
// the cycle whose opening invites the user, if any.
func (a *Accounts) issuePasswordLink(ctx context.Context, tx Store, u User, purpose PasswordPurpose, lifetime time.Duration, cycleID string) error {
	token, err := newLinkToken(a.Random)
	if err != nil {
		return err
	}
	now := a.Now()
	if err := tx.RevokePasswordTokens(ctx, u.ID, now); err != nil {
		return err
	}
	t := PasswordToken{TokenHash: hashToken(token), UserID: u.ID, Purpose: purpose.stored(), ExpiresAt: now.Add(lifetime), CreatedAt: now}
	if err := tx.CreatePasswordToken(ctx, &t); err != nil {
		return err
	}
	return a.send(ctx, tx, AccountEmail{Purpose: purpose, To: u.Email, Name: u.Name, Link: a.BaseURL + "/password/reset/" + token,
		ExpiresAt: t.ExpiresAt, UserID: u.ID, OrganizationID: u.OrganizationID, CycleID: cycleID, Token: token})
}

func linkGone() error {
	return Errorf(CodeGone, "This link has expired or was already used. Ask for a new one.")
}

// CheckPasswordLink reports whether a link still sets a password: nil, or a
// CodeGone error whatever the reason (unknown, used, expired).
func (a *Accounts) CheckPasswordLink(ctx context.Context, token string) error {
	_, err := a.passwordLink(ctx, token)
	return err
}

func (a *Accounts) passwordLink(ctx context.Context, token string) (PasswordToken, error) {
	if !validLinkToken(token) {
		return PasswordToken{}, linkGone()
	}
	t, err := a.store().PasswordToken(ctx, hashToken(token))
	switch {
	case ErrorCode(err) == CodeNotFound:
		return PasswordToken{}, linkGone()
	case err != nil:
		return PasswordToken{}, fmt.Errorf("password link: %w", err)
	case t.UsedAt != nil || !a.Now().Before(t.ExpiresAt):
		return PasswordToken{}, linkGone()
	}
	return t, nil
}

// ResetPassword sets a new password from a link, uses the link up, and ends
// every session of the account: whoever knew the old password is out.
func (a *Accounts) ResetPassword(ctx context.Context, token, password string) (User, error) {
	t, err := a.passwordLink(ctx, token)
	if err != nil {
		return User{}, err
	}
	u, err := a.store().User(ctx, t.UserID)
	if err != nil {
		return User{}, fmt.Errorf("password reset: %w", err)
	}
	if err := CheckPasswordPolicy("password", password, u.Email); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, err
	}
	err = a.store().InTx(ctx, func(tx Store) error {
		now := a.Now()
		if err := tx.UsePasswordToken(ctx, t.TokenHash, now); err != nil {
			if ErrorCode(err) == CodeGone {
				return linkGone()
			}
			return err
		}
		return a.replacePassword(ctx, tx, u, hash, "password."+string(t.Purpose))
	})
	if err != nil {
		return User{}, fmt.Errorf("password reset for %s: %w", u.Email, err)
	}
	return u, nil
}

// ChangePassword replaces a signed-in user's password after checking the
// current one, and ends all their sessions; the caller signs them in again.
func (a *Accounts) ChangePassword(ctx context.Context, userID, current, password string) error {
	u, err := a.store().User(ctx, userID)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	fe := fieldErrors{}
	if !CheckPassword(u.PasswordHash, current) {
		fe.add("current_password", "This is not your current password.")
	}
	if err := CheckPasswordPolicy("password", password, u.Email); err != nil {
		fe.add("password", fieldMessage(err, "password"))
	}
	if err := fe.err("the password was not changed"); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	err = a.store().InTx(ctx, func(tx Store) error {
		return a.replacePassword(ctx, tx, u, hash, "password.change")
	})
	if err != nil {
		return fmt.Errorf("change password of %s: %w", u.Email, err)
	}
	return nil
}

func (a *Accounts) replacePassword(ctx context.Context, tx Store, u User, hash, action string) error {
	now := a.Now()
	if err := tx.SetPasswordHash(ctx, u.ID, hash); err != nil {
		return err
	}
	if err := tx.RevokePasswordTokens(ctx, u.ID, now); err != nil {
		return err
	}
	if err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
		return err
	}
	return tx.AddAudit(ctx, &AuditEntry{OrganizationID: u.OrganizationID, ActorUserID: u.ID, Action: action,
		SubjectType: "user", SubjectID: u.ID, CreatedAt: now})
}

// Session records. The session manager hands over its cookie token; only
// its hash reaches the store.

// FindSession returns the data of a live session; an unknown or expired
// token is simply not found.
func (a *Accounts) FindSession(ctx context.Context, token string) ([]byte, bool, error) {
	s, err := a.store().Session(ctx, hashToken(token))
	switch {
	case ErrorCode(err) == CodeNotFound:
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("find session: %w", err)
	case !a.Now().Before(s.ExpiresAt):
		return nil, false, nil
	}
	return s.Data, true, nil
}

// SaveSession stores a session's data under its token until expiry.
func (a *Accounts) SaveSession(ctx context.Context, token, userID string, data []byte, expiry time.Time) error {
	s := Session{TokenHash: hashToken(token), UserID: userID, Data: data, ExpiresAt: expiry.UTC()}
	if err := a.store().SaveSession(ctx, s); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// DeleteSession ends a session for good: its token finds nothing afterwards.
func (a *Accounts) DeleteSession(ctx context.Context, token string) error {
	if err := a.store().DeleteSession(ctx, hashToken(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// PurgeExpiredSessions deletes expired session records. Sign-ins call it,
// which keeps the table small without a background job.
func (a *Accounts) PurgeExpiredSessions(ctx context.Context) error {
	if err := a.store().DeleteExpiredSessions(ctx, a.Now()); err != nil {
		return fmt.Errorf("purge sessions: %w", err)
	}
	return nil
}

// linkTokenBytes is the size of a password link's token: 256 bits.
const linkTokenBytes = 32

func newLinkToken(random io.Reader) (string, error) {
	b := make([]byte, linkTokenBytes)
	if _, err := io.ReadFull(random, b); err != nil {
		return "", fmt.Errorf("password link token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// validLinkToken rejects anything that is not a token before it reaches the
// database.
func validLinkToken(token string) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && len(b) == linkTokenBytes
}

// hashToken is what the database keeps of a token: its SHA-256, hex.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
