package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/lead360/lead360/assessment"
)

// Instruments (migrations/00001): each version of a questionnaire, stored once
// as JSON. Built-in instruments have no organisation, so this is not a tenant
// table and its reads are scoped here rather than by inOrg.

type instrumentRow struct {
	ID             string
	OrganizationID *string
	Key            string
	Version        int
	Name           string
	Definition     string
	ContentHash    string
	CreatedAt      time.Time
}

func (instrumentRow) TableName() string { return "instruments" }

func (r instrumentRow) domain() (assessment.Instrument, error) {
	var in assessment.Instrument
	if err := json.Unmarshal([]byte(r.Definition), &in); err != nil {
		return assessment.Instrument{}, fmt.Errorf("decode instrument %s: %w", r.ID, err)
	}
	in.ID = r.ID
	return in, nil
}

// SaveInstrument stores an instrument version once; storing the same text
// again adopts the stored id.
func (s *Store) SaveInstrument(ctx context.Context, in *assessment.Instrument) error {
	in.ID = ""
	def, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("encode instrument %s v%d: %w", in.Key, in.Version, err)
	}
	sum := sha256.Sum256(def)
	hash := hex.EncodeToString(sum[:])
	var existing instrumentRow
	err = s.db.WithContext(ctx).Where("key = ? AND version = ?", in.Key, in.Version).Take(&existing).Error
	switch {
	case err == nil:
		if existing.ContentHash != hash {
			return assessment.Errorf(assessment.CodeConflict,
				"instrument %s version %d is already stored with other content; publish the change as a new version", in.Key, in.Version)
		}
		in.ID = existing.ID
		return nil
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return translate(err, "find instrument")
	}
	row := instrumentRow{ID: newID(), Key: in.Key, Version: in.Version, Name: in.Name,
		Definition: string(def), ContentHash: hash, CreatedAt: time.Now().UTC()}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return translate(err, fmt.Sprintf("save instrument %s v%d", in.Key, in.Version))
	}
	in.ID = row.ID
	return nil
}

// Instrument loads an instrument version by id. A stored version never
// changes (SaveInstrument refuses a different text under the same key and
// version), so it is decoded once per process: every survey request needs
// it, and decoding its 12 kB of JSON was 13% of the server's CPU under the
// load harness (docs/benchmarks.md). Each caller gets its own copy.
func (s *Store) Instrument(ctx context.Context, id string) (assessment.Instrument, error) {
	if in, ok := s.instruments.Load(id); ok {
		return in.(assessment.Instrument).Clone(), nil
	}
	in, err := s.readInstrument(ctx, id)
	if err != nil {
		return assessment.Instrument{}, err
	}
	s.instruments.Store(id, in.Clone())
	return in, nil
}

// readInstrument reads and decodes an instrument from the database: the
// plain twin of Instrument's kept copy.
func (s *Store) readInstrument(ctx context.Context, id string) (assessment.Instrument, error) {
	var row instrumentRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Instrument{}, translate(err, "instrument "+id)
	}
	return row.domain()
}

// Instruments lists the built-in instruments and the organisation's own.
// Instruments are not a tenant table (built-in ones have no organisation),
// so this is scoped here rather than by inOrg.
func (s *Store) Instruments(ctx context.Context, orgID string) ([]assessment.Instrument, error) {
	var rows []instrumentRow
	err := s.db.WithContext(ctx).Where("organization_id IS NULL OR organization_id = ?", orgID).
		Order("name, version DESC, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "list instruments")
	}
	out := make([]assessment.Instrument, 0, len(rows))
	for _, r := range rows {
		in, err := r.domain()
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}
