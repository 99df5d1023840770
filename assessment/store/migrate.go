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
// (River's), and names what it applied; applying none is a no-op. Replicas
// that start together take turns, so exactly one applies each file.
func (s *Store) Migrate(ctx context.Context) (_ []string, err error) {
	unlock, err := s.lockMigrations(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		if uerr := unlock(); uerr != nil && err == nil {
			err = uerr
		}
	}()
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
	// Out of order: migrations are numbered when their work starts, and
	// work done side by side lands in any order, so a database may have
	// 00019 and not yet 00018. Each migration stands alone (its own
	// tables and columns), so the missing one is applied.
	p, err := goose.NewProvider(dialect, s.sqlDB, migrations.FS, goose.WithAllowOutofOrder(true))
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

// migrationLock is the key of the PostgreSQL advisory lock held while
// migrating: one per schema, so databases or schemas side by side (tests)
// do not wait for each other.
const migrationLock = `hashtext('lead360 migrations ' || current_schema())`

// lockMigrations holds a session advisory lock on a connection of its own
// until unlock is called. goose and River lock nothing across processes on
// their own (two replicas applying 00001 together fail on duplicate types),
// and one lock around both covers River's migrations too. SQLite needs
// none: replicas share a PostgreSQL database, never an SQLite file.
func (s *Store) lockMigrations(ctx context.Context) (unlock func() error, err error) {
	if s.dialect == SQLite {
		return func() error { return nil }, nil
	}
	conn, err := s.sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock migrations: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock("+migrationLock+")"); err != nil {
		conn.Close()
		return nil, fmt.Errorf("lock migrations: %w", err)
	}
	return func() error {
		defer conn.Close()
		// A fresh context: the lock must go even when ctx has ended, or the
		// pooled connection would keep it.
		if _, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock("+migrationLock+")"); err != nil {
			return fmt.Errorf("unlock migrations: %w", err)
		}
		return nil
	}, nil
}
