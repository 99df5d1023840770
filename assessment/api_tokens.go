package assessment

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// API tokens (issue #15, item 2): another system's key to one
// organisation's data through /api/v1. A token reads (GET only) or reads
// and writes. Its secret is shown once, when it is made; the database keeps
// only its SHA-256 (hashToken), like password links.

// TokenScope is what a token may do.
type TokenScope string

const (
	ScopeRead  TokenScope = "read"
	ScopeWrite TokenScope = "write"
)

// ParseTokenScope reads a scope as the form and the command line give it.
func ParseTokenScope(s string) (TokenScope, bool) {
	switch TokenScope(strings.TrimSpace(s)) {
	case ScopeRead:
		return ScopeRead, true
	case ScopeWrite:
		return ScopeWrite, true
	}
	return "", false
}

// APITokenPrefix starts every API token, so a token pasted where it should
// not be (a log, a ticket, a repository) is recognisable to people and to
// secret scanners.
const APITokenPrefix = "l360_"

// apiTokenBytes is the size of a token's secret: 256 bits. Because the
// secret is random and this long, one SHA-256 is the right way to store it:
// a slow password hash protects low-entropy secrets people choose, and
// would only slow every API request down here.
const apiTokenBytes = 32

// apiTokenLen is the length of a token as shown: the prefix and the
// base64url secret.
var apiTokenLen = len(APITokenPrefix) + base64.RawURLEncoding.EncodedLen(apiTokenBytes)

// APIToken is a stored token, without its secret.
type APIToken struct {
	ID             string
	OrganizationID string
	Name           string
	Scope          TokenScope
	// TokenHash is the SHA-256 of the token, hex.
	TokenHash  string
	CreatedBy  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// CanWrite reports whether the token may change data.
func (t APIToken) CanWrite() bool { return t.Scope == ScopeWrite }

// APITokenStore is the persistence of API tokens.
type APITokenStore interface {
	CreateAPIToken(ctx context.Context, t *APIToken) error
	// APITokens lists the organisation's tokens, newest first, revoked ones
	// included.
	APITokens(ctx context.Context, orgID string) ([]APIToken, error)
	// APITokenByHash finds a token in any organisation: the token names
	// its organisation.
	APITokenByHash(ctx context.Context, hash string) (APIToken, error)
	// TouchAPIToken stamps the token's last use.
	TouchAPIToken(ctx context.Context, id string, at time.Time) error
	// RevokeAPIToken stamps the organisation's token revoked if it is not
	// yet; a token already revoked is CodeGone.
	RevokeAPIToken(ctx context.Context, orgID, id string, at time.Time) error
}

// Audit actions of API tokens.
const (
	ActionTokenCreate = "token.create"
	ActionTokenRevoke = "token.revoke"
)

// NewAPIToken is what creating a token takes.
type NewAPIToken struct {
	Name  string
	Scope string
	// CreatedBy names who makes it, as the token list shows it.
	CreatedBy string
}

// CheckNewAPIToken validates the form of a new token, with the messages
// shown next to its fields ("name", "scope").
func CheckNewAPIToken(in NewAPIToken) (name string, scope TokenScope, err error) {
	fe := fieldErrors{}
	name = strings.TrimSpace(in.Name)
	switch {
	case name == "":
		fe.add("name", "Enter a name that says what uses the token, like HRIS sync.")
	case utf8.RuneCountInString(name) > 100 || !utf8.ValidString(name):
		fe.add("name", "Use at most 100 characters.")
	case strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }):
		fe.add("name", "Use letters, digits, spaces and punctuation only.")
	}
	scope, ok := ParseTokenScope(in.Scope)
	if !ok {
		fe.add("scope", "Choose read or write.")
	}
	return name, scope, fe.err("the token was not created")
}

// CreateAPIToken makes a token of the organisation and returns it with
// its secret, which exists nowhere else: the caller shows it once.
func (s *Service) CreateAPIToken(ctx context.Context, orgID, actorUserID string, in NewAPIToken) (APIToken, string, error) {
	name, scope, err := CheckNewAPIToken(in)
	if err != nil {
		return APIToken{}, "", err
	}
	secret, err := newAPITokenSecret(s.tokens.rand)
	if err != nil {
		return APIToken{}, "", err
	}
	t := APIToken{OrganizationID: orgID, Name: name, Scope: scope, TokenHash: hashToken(secret),
		CreatedBy: truncate(in.CreatedBy, 320), CreatedAt: s.Now()}
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.CreateAPIToken(ctx, &t); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionTokenCreate,
			SubjectType: "api_token", SubjectID: t.ID, Detail: truncate(fmt.Sprintf("Token %q, scope %s", name, scope), 2000), CreatedAt: t.CreatedAt})
	})
	if err != nil {
		return APIToken{}, "", fmt.Errorf("create API token in organisation %s: %w", orgID, err)
	}
	return t, secret, nil
}

// APITokens lists the organisation's tokens, newest first.
func (s *Service) APITokens(ctx context.Context, orgID string) ([]APIToken, error) {
	ts, err := s.store.APITokens(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("API tokens of organisation %s: %w", orgID, err)
	}
	return ts, nil
}

// RevokeAPIToken ends the organisation's token at once, with an audit
// entry; another organisation's token is not found.
func (s *Service) RevokeAPIToken(ctx context.Context, orgID, actorUserID, id string) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		now := s.Now()
		if err := tx.RevokeAPIToken(ctx, orgID, id, now); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionTokenRevoke,
			SubjectType: "api_token", SubjectID: id, CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("revoke API token %s: %w", id, err)
	}
	return nil
}

// errNoAPIToken is the one answer for a token that is malformed, unknown or
// revoked: a caller learns nothing about which.
var errNoAPIToken = &Error{Code: CodeForbidden, Message: "The API token is not valid: it may be mistyped or revoked."}

// lastUseGrain is how stale a token's "last used" may be: a busy token is
// stamped at most once a minute, not once a request.
const lastUseGrain = time.Minute

// AuthenticateAPIToken finds the live token a request presents. Text that
// cannot be a token never reaches the database.
func (s *Service) AuthenticateAPIToken(ctx context.Context, token string) (APIToken, error) {
	if !validAPIToken(token) {
		return APIToken{}, errNoAPIToken
	}
	t, err := s.store.APITokenByHash(ctx, hashToken(token))
	switch {
	case ErrorCode(err) == CodeNotFound:
		return APIToken{}, errNoAPIToken
	case err != nil:
		return APIToken{}, fmt.Errorf("look up API token: %w", err)
	case t.RevokedAt != nil:
		return APIToken{}, errNoAPIToken
	}
	now := s.Now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= lastUseGrain {
		if err := s.store.TouchAPIToken(ctx, t.ID, now); err != nil {
			return APIToken{}, fmt.Errorf("stamp API token %s: %w", t.ID, err)
		}
		t.LastUsedAt = &now
	}
	return t, nil
}

func newAPITokenSecret(random io.Reader) (string, error) {
	b := make([]byte, apiTokenBytes)
	if _, err := io.ReadFull(random, b); err != nil {
		return "", fmt.Errorf("API token: %w", err)
	}
	return APITokenPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// validAPIToken reports whether text has the shape of a token.
func validAPIToken(token string) bool {
	if len(token) != apiTokenLen || !strings.HasPrefix(token, APITokenPrefix) {
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token[len(APITokenPrefix):])
	return err == nil && len(b) == apiTokenBytes
}
