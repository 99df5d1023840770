package store

import (
	"context"
	"time"

	"github.com/lead360/lead360/assessment"
)

// First answers to idempotency keys (idempotency_keys, migrations/00020).

type idempotencyKeyRow struct {
	OrganizationID string `gorm:"primaryKey"`
	IdempotencyKey string `gorm:"primaryKey"`
	RequestHash    string
	Status         int
	Body           string
	CreatedAt      time.Time
}

func (idempotencyKeyRow) TableName() string { return "idempotency_keys" }

func init() { rowStructs = append(rowStructs, idempotencyKeyRow{}) }

// IdempotentAnswer loads the organisation's answer to key.
func (s *Store) IdempotentAnswer(ctx context.Context, orgID, key string) (assessment.IdempotentAnswer, error) {
	var row idempotencyKeyRow
	if err := s.inOrg(ctx, orgID).Where("idempotency_key = ?", key).Take(&row).Error; err != nil {
		return assessment.IdempotentAnswer{}, translate(err, "idempotency key")
	}
	return assessment.IdempotentAnswer{OrganizationID: row.OrganizationID, Key: row.IdempotencyKey, RequestHash: row.RequestHash,
		Status: row.Status, Body: []byte(row.Body), CreatedAt: row.CreatedAt.UTC()}, nil
}

// SaveIdempotentAnswer deletes the keys older than before and inserts a;
// the primary key makes a second insert of the key a conflict.
func (s *Store) SaveIdempotentAnswer(ctx context.Context, a assessment.IdempotentAnswer, before time.Time) error {
	if err := s.inOrg(ctx, a.OrganizationID).Where("created_at < ?", utc(before)).Delete(&idempotencyKeyRow{}).Error; err != nil {
		return translate(err, "forget old idempotency keys")
	}
	row := idempotencyKeyRow{OrganizationID: a.OrganizationID, IdempotencyKey: a.Key, RequestHash: a.RequestHash, Status: a.Status,
		Body: string(a.Body), CreatedAt: utc(a.CreatedAt)}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "idempotency key")
}
