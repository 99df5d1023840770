package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/scoring"
)

// What differs on PostgreSQL: the URL check, byte-wise ordering, lz4 for large
// values, and fast paths through pgx itself for the two heaviest statements.
// Each fast path's comment names its plain twin, which runs on SQLite and
// inside transactions, and the test that proves the two agree.

// checkPostgresURL refuses a database URL that is not PostgreSQL's with a
// message naming the setting (TestOpenRefusesABadURL).
func checkPostgresURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return errors.New("LEAD360_DATABASE_URL must be a postgres:// URL such as postgres://user:pass@host:5432/lead360")
	}
	return nil
}

// bytewise orders a text column byte by byte. PostgreSQL would otherwise
// follow the database's locale (en_US puts "ana" before "Bo", and ignores
// the dashes of ids); SQLite's default collation already compares bytes.
// TestLeaderPagesAndGroupTotals (participants_test.go) checks the order on
// both engines.
func (s *Store) bytewise(column string) string {
	if s.dialect == Postgres {
		return column + ` COLLATE "C"`
	}
	return column
}

// toastLZ4 reports whether this PostgreSQL can compress large values with
// lz4 (version 14 or later, built with lz4).
func (s *Store) toastLZ4(ctx context.Context) bool {
	var n int64
	err := s.db.WithContext(ctx).Raw(`SELECT count(*) FROM pg_settings
WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`).Scan(&n).Error
	return err == nil && n > 0
}

// cycleRatingsPgx is CycleRatings on PostgreSQL through pgx itself: its raw
// row values cost no allocation per column, where database/sql costs about
// eight per row, which for 4.8 million answers is the difference between
// about 1.5 and 4 seconds. Same query, same interning.
//
// Plain twin: the database/sql loop in CycleRatings (responses.go), which
// runs on SQLite and inside a transaction. TestPostgresFastPathsMatchTheirPlainTwins
// (postgres_test.go) runs both on one cycle and compares the ratings.
func (s *Store) cycleRatingsPgx(ctx context.Context, orgID, cycleID string, fn func(assessment.CycleRating) error) error {
	conn, err := s.sqlDB.Conn(ctx)
	if err != nil {
		return translate(err, "load ratings of cycle "+cycleID)
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		sc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("load ratings of cycle %s: unexpected driver connection %T", cycleID, driverConn)
		}
		rows, err := sc.Conn().Query(ctx, strings.NewReplacer("p.cycle_id = ?", "p.cycle_id = $1", "p.organization_id = ?", "p.organization_id = $2").Replace(cycleRatingsSQL), cycleID, orgID)
		if err != nil {
			return translate(err, "load ratings of cycle "+cycleID)
		}
		defer rows.Close()
		binaryValue := rows.FieldDescriptions()[4].Format == pgx.BinaryFormatCode
		strs := map[string]string{}
		intern := func(b []byte) string {
			if v, ok := strs[string(b)]; ok {
				return v
			}
			v := string(b)
			strs[v] = v
			return v
		}
		for rows.Next() {
			vals := rows.RawValues()
			r := assessment.CycleRating{
				ParticipantID: intern(vals[0]), PersonID: intern(vals[1]),
				Relationship: assessment.Relationship(intern(vals[2])), ItemKey: intern(vals[3]), Value: assessment.NotObserved,
			}
			switch v := vals[4]; {
			case v == nil: // NULL: not observed
			case binaryValue && len(v) == 4:
				r.Value = int(int32(binary.BigEndian.Uint32(v)))
			case binaryValue && len(v) == 8:
				r.Value = int(int64(binary.BigEndian.Uint64(v)))
			default:
				n, err := strconv.Atoi(string(v))
				if err != nil {
					return fmt.Errorf("load ratings of cycle %s: answer value %q: %w", cycleID, v, err)
				}
				r.Value = n
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return translate(err, "read ratings of cycle "+cycleID)
		}
		return nil
	})
}

// createSnapshotPgx is CreateSnapshot on PostgreSQL through pgx itself: the
// leaders go in with COPY, encoded a batch at a time as COPY asks for them.
// Multi-row INSERTs of hundreds of MB of JSON cost gigabytes of allocation
// in parameter encoding; COPY streams each value once.
//
// Plain twin: the GORM transaction in CreateSnapshot (snapshots.go), which
// runs on SQLite and inside a transaction. TestPostgresFastPathsMatchTheirPlainTwins
// (postgres_test.go) stores one result both ways and compares the rows.
func (s *Store) createSnapshotPgx(ctx context.Context, row scoreSnapshotRow, leaders []scoring.Leader, lz4 bool) error {
	conn, err := s.sqlDB.Conn(ctx)
	if err != nil {
		return translate(err, "save snapshot of cycle "+row.CycleID)
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		sc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("save snapshot of cycle %s: unexpected driver connection %T", row.CycleID, driverConn)
		}
		tx, err := sc.Conn().Begin(ctx)
		if err != nil {
			return translate(err, "save snapshot of cycle "+row.CycleID)
		}
		// After Commit, Rollback is a no-op; before it, the error that got
		// us here is the one to report.
		defer func() { _ = tx.Rollback(ctx) }()
		if lz4 {
			if _, err := tx.Exec(ctx, "SET LOCAL default_toast_compression = 'lz4'"); err != nil {
				return translate(err, "choose snapshot compression")
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO score_snapshots
(id, organization_id, cycle_id, engine_version, instrument_key, instrument_version, input_hash, result, created_at, version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			row.ID, row.OrganizationID, row.CycleID, row.EngineVersion, row.InstrumentKey, row.InstrumentVersion,
			row.InputHash, row.Result, row.CreatedAt, row.Version)
		if err != nil {
			return translate(err, "save snapshot of cycle "+row.CycleID)
		}
		src := &leaderRows{snapshotID: row.ID, leaders: leaders}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"score_snapshot_leaders"}, []string{"snapshot_id", "participant_id", "result"}, src); err != nil {
			if src.err != nil {
				return fmt.Errorf("encode snapshot of cycle %s: %w", row.CycleID, src.err)
			}
			return translate(err, "save snapshot leaders of cycle "+row.CycleID)
		}
		if err := tx.Commit(ctx); err != nil {
			return translate(err, "save snapshot of cycle "+row.CycleID)
		}
		return nil
	})
}

// leaderRows feeds COPY: it encodes snapshotBatch leaders at a time (on
// every core) when COPY has consumed the previous batch.
type leaderRows struct {
	snapshotID string
	leaders    []scoring.Leader
	batch      []scoreSnapshotLeaderRow
	next, i    int
	err        error
}

func (r *leaderRows) Next() bool {
	if r.i >= len(r.batch) {
		if r.next >= len(r.leaders) || r.err != nil {
			return false
		}
		part := r.leaders[r.next:min(r.next+snapshotBatch, len(r.leaders))]
		if cap(r.batch) < len(part) {
			r.batch = make([]scoreSnapshotLeaderRow, snapshotBatch)
		}
		r.batch = r.batch[:len(part)]
		if r.err = encodeLeaders(r.snapshotID, part, r.batch); r.err != nil {
			return false
		}
		r.next += len(part)
		r.i = 0
	}
	r.i++
	return true
}

func (r *leaderRows) Values() ([]any, error) {
	row := &r.batch[r.i-1]
	return []any{row.SnapshotID, row.ParticipantID, row.Result}, nil
}

func (r *leaderRows) Err() error { return r.err }
