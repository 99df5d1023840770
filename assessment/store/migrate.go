package store

import (
	"context"
	"fmt"

	"github.com/pressly/goose/v3"

	"github.com/lead360/lead360/migrations"
)

// Migrations: the numbered SQL files of migrations/, one portable set applied
// by goose on either engine, then the job queue's own (River's, jobs.go).

// Migrate applies every pending migration, ours and then the job queue's
// (River's), and names what it applied; applying none is a no-op.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	applied, err := s.migrateTables(ctx)
	if err != nil {
		return nil, err
	}
	versions, err := s.migrateJobs(ctx)
	if err != nil {
		return nil, err
	}
	return append(applied, versions...), nil
}

// migrateTables applies lead360's own migrations.
func (s *Store) migrateTables(ctx context.Context) ([]string, error) {
	dialect := goose.DialectPostgres
	if s.dialect == SQLite {
		dialect = goose.DialectSQLite3
	}
	p, err := goose.NewProvider(dialect, s.sqlDB, migrations.FS)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("apply migrations: %w", err)
	}
	applied := make([]string, len(results))
	for i, r := range results {
		applied[i] = r.Source.Path
	}
	return applied, nil
}
