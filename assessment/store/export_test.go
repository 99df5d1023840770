package store

import "gorm.io/gorm"

// Exposed to the external tests of this package only.
var RowStructs = rowStructs

func (s *Store) Gorm() *gorm.DB { return s.db }
