package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/gorm"

	"github.com/lead360/lead360/assessment"
)

// The job queue's rows (River's river_job and its companions) live in this
// database, so a use case records its emails in the transaction of the
// change that causes them. The store inserts jobs; the server's queue
// (package outbox) works them, through the same driver.

// JobDriver is River's driver over this store's connection pool (one
// connection on SQLite, which River shares with GORM).
func (s *Store) JobDriver() riverdriver.Driver[*sql.Tx] {
	if s.dialect == SQLite {
		return riversqlite.New(s.sqlDB)
	}
	return riverdatabasesql.New(s.sqlDB)
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
		opts := &river.InsertOpts{}
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
