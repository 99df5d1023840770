package store

import (
	"context"
	"time"

	"github.com/lead360/lead360/assessment"
)

// API tokens (api_tokens, migrations/00018): an organisation table, read
// through inOrg, except the lookup by hash, which is how a request finds
// its organisation.

type apiTokenRow struct {
	ID             string
	OrganizationID string
	Name           string
	Scope          string
	TokenHash      string
	CreatedBy      string
	CreatedAt      time.Time
	LastUsedAt     *time.Time
	RevokedAt      *time.Time
}

func (apiTokenRow) TableName() string { return "api_tokens" }

func init() { rowStructs = append(rowStructs, apiTokenRow{}) }

func (r apiTokenRow) token() assessment.APIToken {
	return assessment.APIToken{ID: r.ID, OrganizationID: r.OrganizationID, Name: r.Name, Scope: assessment.TokenScope(r.Scope),
		TokenHash: r.TokenHash, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), LastUsedAt: utcPtr(r.LastUsedAt), RevokedAt: utcPtr(r.RevokedAt)}
}

// CreateAPIToken inserts a token.
func (s *Store) CreateAPIToken(ctx context.Context, t *assessment.APIToken) error {
	ensureID(&t.ID)
	stamp(&t.CreatedAt)
	row := apiTokenRow{ID: t.ID, OrganizationID: t.OrganizationID, Name: t.Name, Scope: string(t.Scope), TokenHash: t.TokenHash,
		CreatedBy: t.CreatedBy, CreatedAt: utc(t.CreatedAt)}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "API token "+t.Name)
}

// APITokens lists the organisation's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, orgID string) ([]assessment.APIToken, error) {
	var rows []apiTokenRow
	if err := s.inOrg(ctx, orgID).Order("created_at DESC").Order("id DESC").Find(&rows).Error; err != nil {
		return nil, translate(err, "API tokens")
	}
	out := make([]assessment.APIToken, len(rows))
	for i, r := range rows {
		out[i] = r.token()
	}
	return out, nil
}

// APITokenByHash finds the token with the hash, in any organisation.
func (s *Store) APITokenByHash(ctx context.Context, hash string) (assessment.APIToken, error) {
	var row apiTokenRow
	if err := s.db.WithContext(ctx).Where("token_hash = ?", hash).Take(&row).Error; err != nil {
		return assessment.APIToken{}, translate(err, "API token")
	}
	return row.token(), nil
}

// TouchAPIToken stamps the token's last use.
func (s *Store) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&apiTokenRow{}).Where("id = ?", id).Update("last_used_at", utc(at)).Error
	return translate(err, "stamp API token "+id)
}

// RevokeAPIToken stamps the organisation's token revoked, once.
func (s *Store) RevokeAPIToken(ctx context.Context, orgID, id string, at time.Time) error {
	var n int64
	if err := s.inOrg(ctx, orgID).Model(&apiTokenRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return translate(err, "API token "+id)
	}
	if n == 0 {
		return assessment.Errorf(assessment.CodeNotFound, "There is no such API token.")
	}
	res := s.inOrg(ctx, orgID).Model(&apiTokenRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", utc(at))
	if res.Error != nil {
		return translate(res.Error, "revoke API token "+id)
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeGone, "The token was already revoked.")
	}
	return nil
}
