package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/lead360/lead360/assessment"
)

// Throttle buckets (throttle_buckets, migrations/00019): the limits on
// repeated tries, shared by every process on the database.

type throttleBucketRow struct {
	LimitName string `gorm:"primaryKey"`
	KeyHash   string `gorm:"primaryKey"`
	Tokens    float64
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
	FullAt    time.Time
}

func (throttleBucketRow) TableName() string { return "throttle_buckets" }

// ChangeBucket inserts a full bucket unless one is stored, then reads it
// locked (FOR UPDATE on PostgreSQL; SQLite's one connection already runs
// one transaction at a time), so two processes taking the last try at once
// see each other's take.
func (s *Store) ChangeBucket(ctx context.Context, limit, keyHash string, full assessment.Bucket,
	change func(assessment.Bucket) (assessment.Bucket, time.Time)) error {
	op := "change the " + limit + " bucket"
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		fresh := throttleBucketRow{LimitName: limit, KeyHash: keyHash, Tokens: full.Tokens, UpdatedAt: utc(full.At), FullAt: utc(full.At)}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&fresh).Error; err != nil {
			return translate(err, op)
		}
		var row throttleBucketRow
		err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).
			Where("limit_name = ? AND key_hash = ?", limit, keyHash).Take(&row).Error
		if err != nil {
			return translate(err, op)
		}
		b, fullAt := change(assessment.Bucket{Tokens: row.Tokens, At: row.UpdatedAt})
		err = tx.Model(&throttleBucketRow{}).Where("limit_name = ? AND key_hash = ?", limit, keyHash).
			Updates(map[string]any{"tokens": b.Tokens, "updated_at": utc(b.At), "full_at": utc(fullAt)}).Error
		return translate(err, op)
	})
}

// Bucket reads the key's bucket without locking it.
func (s *Store) Bucket(ctx context.Context, limit, keyHash string) (assessment.Bucket, bool, error) {
	var row throttleBucketRow
	err := s.db.WithContext(ctx).Where("limit_name = ? AND key_hash = ?", limit, keyHash).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return assessment.Bucket{}, false, nil
	}
	if err != nil {
		return assessment.Bucket{}, false, translate(err, "read the "+limit+" bucket")
	}
	return assessment.Bucket{Tokens: row.Tokens, At: row.UpdatedAt}, true, nil
}

// DeleteBucket forgets the key.
func (s *Store) DeleteBucket(ctx context.Context, limit, keyHash string) error {
	err := s.db.WithContext(ctx).Where("limit_name = ? AND key_hash = ?", limit, keyHash).Delete(&throttleBucketRow{}).Error
	return translate(err, "forget the "+limit+" bucket")
}

// DeleteFullBuckets removes the buckets full by now.
func (s *Store) DeleteFullBuckets(ctx context.Context, now time.Time) error {
	err := s.db.WithContext(ctx).Where("full_at <= ?", utc(now)).Delete(&throttleBucketRow{}).Error
	return translate(err, "purge full buckets")
}
