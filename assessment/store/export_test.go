package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/lead360/lead360/assessment"
)

// Exposed to the external tests of this package only.
var RowStructs = rowStructs

func (s *Store) Gorm() *gorm.DB { return s.db }

// ReadInstrument is Instrument's plain twin: always the database.
func (s *Store) ReadInstrument(ctx context.Context, id string) (assessment.Instrument, error) {
	return s.readInstrument(ctx, id)
}
