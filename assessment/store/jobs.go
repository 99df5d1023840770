package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/gorm"

	"github.com/lead360/lead360/assessment"
)

// The job queue's rows (River's river_job and its companions) live in this
// database, so a use case records its emails in the transaction of the
// change that causes them. The store inserts jobs through River's
// database/sql driver, inside GORM's *sql.Tx; the server's queue (package
// outbox) works them: on SQLite through the same driver and connection, on
// PostgreSQL through River's pgx driver on a pool of its own, which LISTENs
// for the NOTIFY that an insert sends on commit (docs/notes-river.md).

// JobDriver is River's database/sql driver over this store's connection
// pool (one connection on SQLite, which River shares with GORM): it inserts
// jobs in our transactions, migrates River's tables, and works the jobs on
// SQLite.
func (s *Store) JobDriver() riverdriver.Driver[*sql.Tx] {
	if s.dialect == SQLite {
		return riversqlite.New(s.sqlDB)
	}
	return riverdatabasesql.New(s.sqlDB)
}

// ListeningJobDriver is River's pgx driver on PostgreSQL, over a pool of its
// own (jobPool), for the queue that works the jobs: it hears each insert at
// once instead of at the next poll. It is nil on SQLite, which has no
// LISTEN/NOTIFY.
func (s *Store) ListeningJobDriver() riverdriver.Driver[pgx.Tx] {
	if s.jobPool == nil {
		return nil
	}
	return riverpgxv5.New(s.jobPool)
}

// openJobPool opens the pgx pool that River's pgx driver works jobs on. It
// connects on first use; River's listener holds one connection for LISTEN.
func openJobPool(ctx context.Context, databaseURL string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("job queue pool: %w", err)
	}
	cfg.MaxConns = 8
	cfg.MaxConnIdleTime = 5 * time.Minute
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("job queue pool: %w", err)
	}
	return pool, nil
}

// migrateJobs applies River's own migrations and names the versions applied.
func (s *Store) migrateJobs(ctx context.Context) ([]string, error) {
	m, err := rivermigrate.New(s.JobDriver(), &rivermigrate.Config{Logger: s.log})
	if err != nil {
		return nil, fmt.Errorf("job queue migrations: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return nil, fmt.Errorf("apply job queue migrations: %w", err)
	}
	applied := make([]string, len(res.Versions))
	for i, v := range res.Versions {
		applied[i] = fmt.Sprintf("job queue version %d", v.Version)
	}
	return applied, nil
}

// Enqueue records jobs in the current transaction, so they exist if and only
// if the change that causes them commits.
func (s *Store) Enqueue(ctx context.Context, jobs ...assessment.Job) error {
	if len(jobs) == 0 {
		return nil
	}
	tx, err := sqlTxOf(s.db)
	if err != nil {
		return fmt.Errorf("enqueue jobs: %w", err)
	}
	params := make([]river.InsertManyParams, len(jobs))
	for i, j := range jobs {
		opts := &river.InsertOpts{Queue: j.Queue, MaxAttempts: j.MaxAttempts}
		if !j.At.IsZero() {
			opts.ScheduledAt = j.At
		}
		params[i] = river.InsertManyParams{Args: j.Args, InsertOpts: opts}
	}
	if _, err := s.jobs.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("enqueue %d jobs: %w", len(jobs), err)
	}
	return nil
}

// sqlTxOf returns the *sql.Tx a GORM transaction runs on.
func sqlTxOf(db *gorm.DB) (*sql.Tx, error) {
	switch p := db.Statement.ConnPool.(type) {
	case *sql.Tx:
		return p, nil
	case *gorm.PreparedStmtTX:
		if t, ok := p.Tx.(*sql.Tx); ok {
			return t, nil
		}
	}
	return nil, fmt.Errorf("not inside a transaction (connection pool is %T): use InTx", db.Statement.ConnPool)
}
