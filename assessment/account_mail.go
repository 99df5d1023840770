package assessment

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"
)

// Account emails go through the outbox like survey emails: the job is
// recorded in the transaction that stores the password link, and sent by
// the queue afterwards.
//
// Choice: the link's token is SEALED into the job's arguments (AES-GCM with
// the survey-token key, the user id as additional data), not derived and
// not stored in clear. password_tokens keeps only the SHA-256 as before, so
// no schema change was needed, and a dump of the database (job table
// included) opens no account without the server's key. The worker opens the
// token at send time and sends nothing when the link was used, expired or
// replaced in the meantime, so a retry never mails a dead link and a
// resend's older job never mails a revoked one.

// PurposeCycleOpened is an account email without a link: the note to a
// leader who already has a password that a cycle assessing them opened.
const PurposeCycleOpened PasswordPurpose = "cycle_opened"

// AccountMailJob sends one account email to one user. It holds ids and the
// sealed token, never a raw token or an address.
type AccountMailJob struct {
	Mail           PasswordPurpose `json:"mail"`
	OrganizationID string          `json:"organization_id"`
	UserID         string          `json:"user_id"`
	// CycleID names the cycle whose opening caused the email, if any.
	CycleID string `json:"cycle_id,omitempty"`
	// SealedToken is the link's token sealed with the server's key; empty
	// for a note without a link.
	SealedToken string `json:"sealed_token,omitempty"`
}

// Kind names the job for the queue.
func (AccountMailJob) Kind() string { return "account_mail" }

// accountTokenAD binds a sealed account token to its user: a sealed value
// copied into another user's job does not open.
func accountTokenAD(userID string) []byte { return []byte("lead360 account link\x00" + userID) }

// seal encrypts plain for storage, with ad as additional data.
func (t *Tokens) seal(plain, ad []byte) (string, error) {
	nonce := make([]byte, t.aead.NonceSize())
	if _, err := io.ReadFull(t.rand, nonce); err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	return base64.RawStdEncoding.EncodeToString(t.aead.Seal(nonce, nonce, plain, ad)), nil
}

// unseal reverses seal.
func (t *Tokens) unseal(sealed string, ad []byte) ([]byte, error) {
	box, err := base64.RawStdEncoding.DecodeString(sealed)
	n := t.aead.NonceSize()
	if err != nil || len(box) < n {
		return nil, errors.New("sealed value is malformed")
	}
	plain, err := t.aead.Open(nil, box[:n], box[n:], ad)
	if err != nil {
		return nil, errors.New("sealed value does not open with this server's key (was LEAD360_SECRET_KEY changed?)")
	}
	return plain, nil
}

// AccountMailJob is the job that mails m, with its token sealed. An outbox
// mailer records it with tx.Enqueue in the transaction that stored the link.
func (s *Service) AccountMailJob(m AccountEmail) (Job, error) {
	job := AccountMailJob{Mail: m.Purpose, OrganizationID: m.OrganizationID, UserID: m.UserID, CycleID: m.CycleID}
	if m.UserID == "" || m.OrganizationID == "" {
		return Job{}, errors.New("account email: no user or organisation")
	}
	if m.Token != "" {
		sealed, err := s.tokens.seal([]byte(m.Token), accountTokenAD(m.UserID))
		if err != nil {
			return Job{}, fmt.Errorf("account email to user %s: %w", m.UserID, err)
		}
		job.SealedToken = sealed
	}
	return Job{Args: job}, nil
}

// AccountMail is what one account email says, gathered when it is sent.
type AccountMail struct {
	Job          AccountMailJob
	User         User
	Organization Organization
	// Cycle is the cycle that opened (zero when the email is not about one).
	Cycle Cycle
	// Token is the raw link token, for the link only; "" for a note.
	Token     string
	ExpiresAt time.Time
	// Lifetime is how long the link lived when it was made.
	Lifetime time.Duration
	// Stale is true when the email must not go: the link was used, expired
	// or replaced by a newer one, or the account is gone.
	Stale bool
}

// AccountMailFor gathers what the email of a job says at the time it is
// sent.
func (s *Service) AccountMailFor(ctx context.Context, job AccountMailJob) (AccountMail, error) {
	m := AccountMail{Job: job}
	var err error
	m.User, err = s.store.User(ctx, job.UserID)
	if ErrorCode(err) == CodeNotFound {
		m.Stale = true
		return m, nil
	}
	if err != nil {
		return AccountMail{}, fmt.Errorf("account email to user %s: %w", job.UserID, err)
	}
	if m.Organization, err = s.store.Organization(ctx, job.OrganizationID); err != nil {
		return AccountMail{}, fmt.Errorf("account email to user %s: %w", job.UserID, err)
	}
	if job.CycleID != "" {
		if m.Cycle, err = s.store.Cycle(ctx, job.OrganizationID, job.CycleID); err != nil {
			return AccountMail{}, fmt.Errorf("account email to user %s: %w", job.UserID, err)
		}
	}
	if job.SealedToken == "" {
		return m, nil
	}
	raw, err := s.tokens.unseal(job.SealedToken, accountTokenAD(job.UserID))
	if err != nil {
		return AccountMail{}, fmt.Errorf("account email to user %s: %w", job.UserID, err)
	}
	m.Token = string(raw)
	t, err := s.store.PasswordToken(ctx, hashToken(m.Token))
	switch {
	case ErrorCode(err) == CodeNotFound:
		m.Stale = true
	case err != nil:
		return AccountMail{}, fmt.Errorf("account email to user %s: %w", job.UserID, err)
	case t.UserID != m.User.ID || t.UsedAt != nil || !s.Now().Before(t.ExpiresAt):
		m.Stale = true
	}
	m.ExpiresAt, m.Lifetime = t.ExpiresAt, t.ExpiresAt.Sub(t.CreatedAt)
	return m, nil
}

// AccountMailFailed records a permanent delivery failure in the audit log,
// where HR sees it (an account email belongs to no invitation).
func (s *Service) AccountMailFailed(ctx context.Context, m AccountMail, failure string) error {
	err := s.store.AddAudit(ctx, &AuditEntry{OrganizationID: m.Job.OrganizationID, Action: "email.failed",
		SubjectType: "user", SubjectID: m.Job.UserID, Detail: string(m.Job.Mail) + " email: " + cleanFailure(failure), CreatedAt: s.Now()})
	if err != nil {
		return fmt.Errorf("record %s email failure for user %s: %w", m.Job.Mail, m.Job.UserID, err)
	}
	return nil
}

// cleanFailure makes a mail server's answer safe and short enough to keep.
func cleanFailure(failure string) string {
	failure = strings.ToValidUTF8(strings.ReplaceAll(failure, "\x00", ""), "?")
	if utf8.RuneCountInString(failure) > MaxFailureRunes {
		failure = string([]rune(failure)[:MaxFailureRunes-1]) + "…"
	}
	if failure == "" {
		failure = "delivery failed"
	}
	return failure
}

// LeaderInviter gives the leaders of a cycle that opens a way into the
// dashboard. OpenCycle calls it inside its transaction, so the accounts and
// their emails exist if and only if the cycle opened.
type LeaderInviter interface {
	InviteLeaders(ctx context.Context, tx Store, c Cycle, parts []Participant) error
}

// leaderMails are the two emails of an invitation of leaders to the
// dashboard: Link for an account without a password (it sets one), Note
// for one that can sign in.
type leaderMails struct{ Link, Note PasswordPurpose }

// InviteLeaders creates a leader account, without a usable password, for
// each leader of the cycle who has none in the cycle's organisation, and
// mails them a link to set one; a leader who can already sign in there
// gets a note that the cycle opened.
func (a *Accounts) InviteLeaders(ctx context.Context, tx Store, c Cycle, parts []Participant) error {
	return a.inviteLeaders(ctx, tx, c, parts, leaderMails{Link: PurposeInvite, Note: PurposeCycleOpened})
}

// inviteLeaders creates the accounts the leaders lack and sends each the
// email of mails that fits their account.
//
// Accounts belong to one organisation: an account the same address has in
// another organisation is neither used nor touched, nor told about this
// one. Roles belong to the account: an admin of this organisation who is
// also assessed gets the leader role on their admin account (linked to the
// person assessed), and the same sign-in reaches their own pages.
func (a *Accounts) inviteLeaders(ctx context.Context, tx Store, c Cycle, parts []Participant, mails leaderMails) error {
	for _, p := range parts {
		person, err := tx.Person(ctx, c.OrganizationID, p.PersonID)
		if err != nil {
			return err
		}
		u, err := a.leaderAccount(ctx, tx, c, person)
		if err != nil {
			return err
		}
		if !hasPassword(u) {
			if err := a.issuePasswordLink(ctx, tx, u, mails.Link, InviteLinkLifetime, c.ID); err != nil {
				return err
			}
			continue
		}
		if err := a.send(ctx, tx, AccountEmail{Purpose: mails.Note, To: u.Email, Name: u.Name,
			Link: a.BaseURL + "/login", UserID: u.ID, OrganizationID: u.OrganizationID, CycleID: c.ID}); err != nil {
			return err
		}
	}
	return nil
}

// leaderAccount is the person's account in the cycle's organisation, as a
// leader: created without a password when there is none, or given the
// leader role (and the link to the person) when it is an admin's.
func (a *Accounts) leaderAccount(ctx context.Context, tx Store, c Cycle, person Person) (User, error) {
	u, err := tx.UserByEmail(ctx, c.OrganizationID, person.Email)
	detail := "cycle " + c.ID
	switch {
	case ErrorCode(err) == CodeNotFound:
		u = User{OrganizationID: c.OrganizationID, Email: person.Email, Name: person.Name, Roles: []Role{RoleLeader},
			PersonID: person.ID, CreatedAt: a.Now()}
		if err := tx.CreateUser(ctx, &u); err != nil {
			return User{}, err
		}
	case err != nil:
		return User{}, err
	case u.Has(RoleLeader):
		return u, nil
	default:
		if err := tx.AddRole(ctx, c.OrganizationID, u.ID, RoleLeader, person.ID); err != nil {
			return User{}, err
		}
		u.Roles, u.PersonID = RolesOf(u.Has(RoleAdmin), true), person.ID
		detail += "; leader role added to an existing account"
	}
	err = tx.AddAudit(ctx, &AuditEntry{OrganizationID: c.OrganizationID, Action: "leader.invite",
		SubjectType: "user", SubjectID: u.ID, Detail: detail, CreatedAt: a.Now()})
	return u, err
}

// hasPassword reports whether the account can sign in with a password.
func hasPassword(u User) bool { return strings.HasPrefix(u.PasswordHash, "$argon2id$") }

// send hands an account email to the mailer, or to the log when there is
// none (a development set-up without SMTP).
func (a *Accounts) send(ctx context.Context, tx Store, m AccountEmail) error {
	if a.Mailer == nil {
		a.svc.Log.WarnContext(ctx, "no mailer configured: account email written to the log",
			slog.String("to", m.To), slog.String("purpose", string(m.Purpose)), slog.String("link", m.Link))
		return nil
	}
	return a.Mailer.SendAccountEmail(ctx, tx, m)
}
