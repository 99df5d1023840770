package assessmenttest

// The migrated SQLite template. Nearly every test wants a migrated database
// of its own, and migrating an SQLite file takes about 1.2 s under the race
// detector (the pure-Go SQLite runs instrumented; 60 ms without it), ours and
// River's migrations together. So each test binary migrates one file, the
// first time a test asks, and every test gets a copy of its bytes: 20 ms
// under -race. docs/benchmarks.md ("Test suite time") has the figures, and
// why PostgreSQL still migrates a schema per test. Tests of the migrations
// themselves migrate an empty database (DatabaseURL).

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/lead360/lead360/assessment/store"
)

// sqliteTemplate is the bytes of a migrated SQLite file, kept in memory
// (under half a megabyte), so nothing is left to clean up when the binary
// exits.
var sqliteTemplate = sync.OnceValues(migratedSQLiteFile)

// migratedSQLiteCopy returns a configuration for an SQLite file of the
// test's own, a copy of the binary's migrated template.
func migratedSQLiteCopy(t testing.TB) store.Config {
	t.Helper()
	raw, err := sqliteTemplate()
	if err != nil {
		t.Fatalf("migrated SQLite template: %v", err)
	}
	cfg := store.Config{DataDir: t.TempDir()}
	if err := os.WriteFile(SQLitePath(cfg), raw, 0o600); err != nil {
		t.Fatalf("copy the migrated SQLite template: %v", err)
	}
	return cfg
}

// migratedSQLiteFile migrates a new SQLite file in a temporary directory and
// returns its bytes: the whole database, since a checkpoint first moves
// everything out of the write-ahead log.
func migratedSQLiteFile() ([]byte, error) {
	dir, err := os.MkdirTemp("", "lead360-template-")
	if err != nil {
		return nil, fmt.Errorf("template directory: %w", err)
	}
	defer os.RemoveAll(dir)
	cfg := store.Config{DataDir: dir}
	ctx := context.Background()
	s, err := store.Open(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open the template: %w", err)
	}
	if _, err = s.Migrate(ctx); err != nil {
		err = fmt.Errorf("migrate the template: %w", err)
	}
	if err == nil {
		var busy, logPages, moved int
		err = s.DB().QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &moved)
		if err == nil && busy != 0 {
			err = errors.New("the checkpoint of the write-ahead log could not finish")
		}
	}
	if err := errors.Join(err, s.Close()); err != nil {
		return nil, err
	}
	// The write-ahead log must be empty, or the copy would miss what is in it.
	if info, err := os.Stat(SQLitePath(cfg) + "-wal"); err == nil && info.Size() > 0 {
		return nil, fmt.Errorf("%d bytes are still in the write-ahead log after the checkpoint", info.Size())
	}
	return os.ReadFile(SQLitePath(cfg))
}

// SQLitePath is the database file of a store opened with cfg.
func SQLitePath(cfg store.Config) string { return filepath.Join(cfg.DataDir, store.SQLiteFile) }
