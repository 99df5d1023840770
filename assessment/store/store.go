// Package store keeps lead360's domain in PostgreSQL (production) or an
// embedded SQLite file (the zero-set-up default). It is the only package that
// speaks SQL.
//
// A table's row structs, converters and queries sit in one file named for
// the table or its family (cycles.go, participants.go for participants and
// rater_assignments, responses.go for responses, answers and comments...);
// a query that counts across tables for one page sits in a file named for
// that view (progress.go). What differs between the engines sits in
// sqlite.go and postgres.go, apart from the switches in Open, Migrate and
// constraintKind. This file holds Open, the Store, transactions, the
// translation of driver errors, and the helpers every table file uses.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	gosqlite "github.com/glebarez/go-sqlite"
	"github.com/glebarez/sqlite"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/lead360/lead360/assessment"
)

// Dialect names the database engine behind a Store.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Config says where the data lives: a PostgreSQL URL, or (when empty) an
// SQLite file in DataDir.
type Config struct {
	DatabaseURL string
	DataDir     string
	Logger      *slog.Logger
}

// Store implements assessment.Store over GORM.
type Store struct {
	db      *gorm.DB
	sqlDB   *sql.DB
	dialect Dialect
	log     *slog.Logger
	// jobs inserts background jobs in our transactions (see Enqueue):
	// a River client that only inserts; the server's queue works them.
	jobs *river.Client[*sql.Tx]
	// jobPool is the pgx pool River's pgx driver works jobs on, on
	// PostgreSQL only (jobs.go); nil on SQLite.
	jobPool *pgxpool.Pool
	// instruments keeps decoded instruments by id (instruments.go); a
	// pointer, so the copies InTx makes share it.
	instruments *sync.Map
}

// Open connects to the configured database and checks it answers. It does not
// migrate: call Migrate.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// Each gorm.Open gets its own Config: a shared one makes a PostgreSQL
	// handle emit SQLite syntax after an SQLite handle was opened with it.
	gcfg := &gorm.Config{
		Logger:                                   logger.Discard,
		NowFunc:                                  func() time.Time { return time.Now().UTC() },
		DisableForeignKeyConstraintWhenMigrating: true,
		SkipDefaultTransaction:                   true,
	}
	var (
		db      *gorm.DB
		dialect Dialect
		err     error
	)
	if cfg.DatabaseURL == "" {
		dialect = SQLite
		dir := cfg.DataDir
		if dir == "" {
			dir = "data"
		}
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("data dir %s: %w", dir, err)
		}
		path := filepath.Join(dir, SQLiteFile)
		db, err = gorm.Open(sqlite.Open(SQLiteDSN(path)), gcfg)
		if err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
	} else {
		dialect = Postgres
		if err := checkPostgresURL(cfg.DatabaseURL); err != nil {
			return nil, err
		}
		db, err = gorm.Open(postgres.Open(cfg.DatabaseURL), gcfg)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("database handle: %w", err)
	}
	if dialect == SQLite {
		// One connection: SQLite has one writer anyway, and one connection
		// rules out SQLITE_BUSY between our own goroutines and River's.
		sqlDB.SetMaxOpenConns(1)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	s := &Store{db: db, sqlDB: sqlDB, dialect: dialect, log: log, instruments: &sync.Map{}}
	// On PostgreSQL each insert NOTIFYs the queue's listener, but River
	// sends at most one notification per FetchCooldown (100 ms by default)
	// per client: a job committed in that window after another waited for
	// the next poll (measured: 10.3 s of a 10 s poll). One millisecond
	// lets every job-inserting transaction wake the queue; none of them
	// is on a path hot enough for the NOTIFY to cost (docs/notes-river.md).
	inserter := &river.Config{Logger: log, FetchCooldown: river.FetchCooldownMin}
	if s.jobs, err = river.NewClient(s.JobDriver(), inserter); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("job inserter: %w", err)
	}
	if dialect == Postgres {
		if s.jobPool, err = openJobPool(ctx, cfg.DatabaseURL); err != nil {
			sqlDB.Close()
			return nil, err
		}
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.Ping(pingCtx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to %s: %w", dialect, err)
	}
	return s, nil
}

// Dialect tells which engine this store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB is the database/sql handle, for tests that look at rows directly.
func (s *Store) DB() *sql.DB { return s.sqlDB }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.sqlDB.PingContext(ctx) }

// Close closes the connection pools. Stop the job queue first.
func (s *Store) Close() error {
	if s.jobPool != nil {
		s.jobPool.Close()
	}
	return s.sqlDB.Close()
}

// InTx runs fn in one transaction; fn must use only the store it is given.
func (s *Store) InTx(ctx context.Context, fn func(tx assessment.Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inTx := *s
		inTx.db = tx
		return fn(&inTx)
	})
}

// inOrg is the one place where tenant scoping happens: every query on a table
// that belongs to an organisation starts here.
func (s *Store) inOrg(ctx context.Context, orgID string) *gorm.DB {
	return s.db.WithContext(ctx).Where("organization_id = ?", orgID)
}

// translate turns driver errors into domain errors with a message a person can
// act on; what is left is wrapped with the operation.
func translate(err error, op string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return assessment.Errorf(assessment.CodeNotFound, "%s: not found", op)
	}
	switch constraintKind(err) {
	case "unique":
		return &assessment.Error{Code: assessment.CodeConflict, Message: op + ": it already exists"}
	case "foreign":
		return &assessment.Error{Code: assessment.CodeInvalid, Message: op + ": it refers to something that does not exist"}
	case "check":
		return &assessment.Error{Code: assessment.CodeInvalid, Message: op + ": a value is outside what is allowed (" + constraintDetail(err) + ")"}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// SQLite extended result codes for constraint violations.
const (
	sqliteConstraintCheck      = 275
	sqliteConstraintForeignKey = 787
	sqliteConstraintNotNull    = 1299
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

func constraintKind(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return "unique"
		case "23503":
			return "foreign"
		case "23514", "23502", "22001", "22003":
			return "check"
		}
		return ""
	}
	var liteErr *gosqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() {
		case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
			return "unique"
		case sqliteConstraintForeignKey:
			return "foreign"
		case sqliteConstraintCheck, sqliteConstraintNotNull:
			return "check"
		}
	}
	return ""
}

func constraintDetail(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if pgErr.ConstraintName != "" {
			return pgErr.ConstraintName
		}
		return pgErr.Message
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

var _ assessment.Store = (*Store)(nil)

// rowStructs lists every row type, for the schema test: row structs mirror
// the tables of migrations/ one to one, and TestRowStructsMatchMigratedSchema
// compares them with the migrated schema on both engines. Tables added after
// the first migration append their rows in an init beside their struct.
var rowStructs = []any{
	organizationRow{}, personRow{}, userRow{}, instrumentRow{}, cycleRow{},
	participantRow{}, assignmentRow{}, invitationRow{}, responseRow{}, answerRow{}, commentRow{},
	reminderSentRow{},
}

// newID returns a time-ordered UUIDv7, so ids sort by creation and index
// inserts stay local.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

func ensureID(id *string) {
	if *id == "" {
		*id = newID()
	}
}

func stamp(t *time.Time) {
	if t.IsZero() {
		*t = time.Now().UTC()
	}
}

// utc makes every stored time UTC: TIMESTAMP columns carry no zone, and both
// engines must read back the instant that was written.
func utc(t time.Time) time.Time { return t.UTC() }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
