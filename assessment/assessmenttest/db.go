// Package assessmenttest gives tests real databases, fixtures and a real
// in-process SMTP server.
package assessmenttest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, for schema set-up

	"github.com/lead360/lead360/assessment/assessmenttest/ci"
	"github.com/lead360/lead360/assessment/store"
)

// Engine is a database a test runs against.
type Engine struct {
	Name store.Dialect
}

// Engines lists the databases every store test runs on: SQLite always, and
// PostgreSQL when TEST_DATABASE_URL is set. Under CI a missing PostgreSQL is
// a failure, never a silent skip.
func Engines(t testing.TB) []Engine {
	t.Helper()
	engines := []Engine{{Name: store.SQLite}}
	if os.Getenv("TEST_DATABASE_URL") != "" {
		engines = append(engines, Engine{Name: store.Postgres})
	} else if ci.Enabled() {
		t.Fatal("TEST_DATABASE_URL is not set under CI: PostgreSQL tests cannot run (see .ci/run)")
	}
	return engines
}

// Postgres is the PostgreSQL engine, for the tests that only mean
// something there (several processes on one database, its fast paths).
// Without TEST_DATABASE_URL the test stops, naming why: a failure under
// CI, a skip elsewhere.
func Postgres(t testing.TB, why string) Engine {
	t.Helper()
	for _, e := range Engines(t) {
		if e.Name == store.Postgres {
			return e
		}
	}
	ci.Missing(t, "PostgreSQL (TEST_DATABASE_URL is not set): %s", why)
	return Engine{}
}

var schemaSeq atomic.Int64

// DatabaseURL returns a configuration for a fresh, empty database of the
// engine that the test owns: a new SQLite file, or a new PostgreSQL schema
// dropped at cleanup. The URL is empty for SQLite.
func DatabaseURL(t testing.TB, e Engine) store.Config {
	t.Helper()
	if e.Name == store.SQLite {
		return store.Config{DataDir: t.TempDir()}
	}
	base := os.Getenv("TEST_DATABASE_URL")
	schema := fmt.Sprintf("t_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, schemaSeq.Add(1))
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", redact(base), err)
	}
	t.Cleanup(func() { admin.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema on %s: %v", redact(base), err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	// A data directory too: without LEAD360_SECRET_KEY the server keeps its
	// link key there, and a test must never write into the source tree.
	return store.Config{DatabaseURL: u.String(), DataDir: t.TempDir()}
}

// NewStore opens a migrated store on a database of the engine that the test
// owns: on SQLite a copy of the binary's migrated template (template.go), on
// PostgreSQL a fresh schema, migrated.
func NewStore(t testing.TB, e Engine) *store.Store {
	t.Helper()
	ctx := context.Background()
	if e.Name == store.SQLite {
		s, err := store.Open(ctx, migratedSQLiteCopy(t))
		if err != nil {
			t.Fatalf("open %s store: %v", e.Name, err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	s, err := store.Open(ctx, DatabaseURL(t, e))
	if err != nil {
		t.Fatalf("open %s store: %v", e.Name, err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", e.Name, err)
	}
	return s
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return strings.Replace(u.Redacted(), u.RawQuery, "", 1)
}
