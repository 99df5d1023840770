// Package migrations holds lead360's versioned SQL schema. One portable set
// of files serves PostgreSQL and SQLite: ids are application-generated text,
// times are TIMESTAMP in UTC, and rules live in CHECK constraints both
// engines enforce.
package migrations

import "embed"

// FS holds the numbered migration files, applied in order and never edited
// once released: a schema change is a new file.
//
//go:embed *.sql
var FS embed.FS
